//! People's pages: the employee's needs page and, after a programme, their reflection page, each
//! by a personal link (no account, no JavaScript), and the planner's page of the 20 JP every civil servant is owed: each unit's coverage (planned
//! and done) and everyone still short. Staff only; a supervisor sees their own units.
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Datelike;
use serde::Deserialize;

use crate::domain::validation::Problems;
use crate::i18n::Lang;
use crate::service::employees::{needs, programmes};
use crate::service::error::ServiceError;
use crate::web::auth::StaffPage;
use crate::web::error::PageError;
use crate::web::forms::FormData;
use crate::web::ratelimit::check_public_limit;
use crate::web::render::{context, page, page_with_status};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(jp_page)
        .service(needs_page)
        .service(needs_submit)
        .service(reflection_page)
        .service(reflection_submit);
}

#[derive(Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

#[get("/planner/jp")]
async fn jp_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let year = q
        .year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| crate::service::today_wib().year());
    let c = crate::service::employees::coverage::coverage(&state, &user, year).await?;
    let mut ctx = context(&req, lang, Some(&user));
    ctx.insert("c", &c);
    page(&state, "planner/jp.html", &ctx)
}

/// An employee's needs page, by their personal link: no account, no JavaScript, phone-first.
#[get("/n/{token}")]
async fn needs_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    render_needs(
        &state,
        &req,
        lang,
        &token,
        &FormData(vec![]),
        &Problems::new(),
        false,
    )
    .await
}

#[post("/n/{token}")]
async fn needs_submit(
    state: State,
    req: HttpRequest,
    lang: Lang,
    token: web::Path<String>,
    form: crate::web::forms::Form,
) -> Result<HttpResponse, PageError> {
    check_public_limit(&state, &req).await?;
    let form = FormData(form.into_inner());
    let mut problems = Problems::new();
    let mut competencies = vec![];
    for i in 1..=3 {
        let Some(code) = form.text(&format!("c{i}")) else {
            continue;
        };
        let level =
            |k: &str, p: &mut Problems| form.number::<u8>(&format!("c{i}_{k}"), p).unwrap_or(0);
        let current = level("current", &mut problems);
        let needed = level("needed", &mut problems);
        competencies.push(needs::CompetencyNeed {
            code,
            current,
            needed,
        });
    }
    let need = needs::NeedIn {
        competencies,
        wish: form.text("wish"),
        method: form.text("method"),
    };
    if problems.is_empty() {
        match needs::answer(&state, &token, &need).await {
            Ok(_) => {
                return render_needs(&state, &req, lang, &token, &form, &Problems::new(), true)
                    .await;
            }
            Err(ServiceError::Problems(p)) => problems = p,
            Err(e) => return Err(e.into()),
        }
    }
    // The form again with what was chosen; `competencies.0.code` is shown at the first fieldset.
    let shown: Problems = problems
        .into_iter()
        .map(|(k, v)| {
            let field = match k.strip_prefix("competencies.") {
                Some(rest) => {
                    let n: usize = rest
                        .split('.')
                        .next()
                        .and_then(|x| x.parse().ok())
                        .unwrap_or(0);
                    format!("c{}", n + 1)
                }
                None if k == "competencies" => "c1".to_string(),
                None => k,
            };
            (field, v)
        })
        .collect();
    render_needs(&state, &req, lang, &token, &form, &shown, false).await
}

async fn render_needs(
    state: &State,
    req: &HttpRequest,
    lang: Lang,
    token: &str,
    form: &FormData,
    problems: &Problems,
    done: bool,
) -> Result<HttpResponse, PageError> {
    let view = needs::link_view(state, token).await?;
    let mut ctx = context(req, lang, None);
    ctx.insert("name", &view.name);
    ctx.insert("unit", &view.unit);
    ctx.insert("year", &view.year);
    ctx.insert("open", &view.open);
    ctx.insert("colleague", &view.colleague);
    ctx.insert("done", &done);
    ctx.insert("token", token);
    ctx.insert("competencies", &needs::competencies(state).await?);
    ctx.insert("methods", &needs::METHODS);
    // Every field named, so the template reads a blank where nothing was chosen or is wrong.
    let fields = ["wish", "method"]
        .into_iter()
        .map(String::from)
        .chain((1..=3).flat_map(|i| {
            [
                format!("c{i}"),
                format!("c{i}_current"),
                format!("c{i}_needed"),
            ]
        }));
    let status = form_state(&mut ctx, fields, form, problems, lang, |k| match k {
        "wish" => lang.t("nd_wish").to_string(),
        "method" => lang.t("nd_method").to_string(),
        c => format!("{} {}", lang.t("nd_competency"), c.trim_start_matches('c')),
    });
    page_with_status(state, status, "public/needs.html", &ctx)
}

/// The form's values (`v`) and problems (`errors`, and `error_list` of (anchor, the field's
/// name, the problem) for the summary at the top), every field named so the template reads a
/// blank where nothing was given; 422 when there are problems.
fn form_state(
    ctx: &mut tera::Context,
    fields: impl Iterator<Item = String> + Clone,
    form: &FormData,
    problems: &Problems,
    lang: Lang,
    label: impl Fn(&str) -> String,
) -> actix_web::http::StatusCode {
    let mut values: std::collections::BTreeMap<String, String> =
        fields.clone().map(|f| (f, String::new())).collect();
    values.extend(form.values_map());
    ctx.insert("v", &values);
    let mut errors: std::collections::BTreeMap<String, String> =
        fields.map(|f| (f, String::new())).collect();
    errors.extend(
        problems
            .iter()
            .map(|(k, v)| (k.clone(), lang.t(v).to_string())),
    );
    let list: Vec<(String, String, String)> = problems
        .iter()
        .map(|(k, v)| (k.clone(), label(k), lang.t(v).to_string()))
        .collect();
    ctx.insert("has_errors", &!problems.is_empty());
    ctx.insert("errors", &errors);
    ctx.insert("error_list", &list);
    if problems.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// A participant's reflection on a programme (Kirkpatrick level 1), by their personal link.
#[get("/k/{token}")]
async fn reflection_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let blank = FormData(vec![]);
    render_reflection(&state, &req, lang, &token, &blank, &Problems::new(), false).await
}

#[post("/k/{token}")]
async fn reflection_submit(
    state: State,
    req: HttpRequest,
    lang: Lang,
    token: web::Path<String>,
    form: crate::web::forms::Form,
) -> Result<HttpResponse, PageError> {
    check_public_limit(&state, &req).await?;
    let form = FormData(form.into_inner());
    let input = programmes::ReflectionIn {
        reaction: form.text("reaction"),
        reflection: form.text("reflection"),
    };
    match programmes::reflect(&state, &token, &input).await {
        Ok(_) => render_reflection(&state, &req, lang, &token, &form, &Problems::new(), true).await,
        Err(ServiceError::Problems(p)) => {
            render_reflection(&state, &req, lang, &token, &form, &p, false).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn render_reflection(
    state: &State,
    req: &HttpRequest,
    lang: Lang,
    token: &str,
    form: &FormData,
    problems: &Problems,
    done: bool,
) -> Result<HttpResponse, PageError> {
    let view = programmes::reflection_view(state, token).await?;
    let mut ctx = context(req, lang, None);
    ctx.insert("name", &view.name);
    ctx.insert("programme", &view.programme);
    ctx.insert("unit", &view.unit);
    ctx.insert("open", &view.open);
    ctx.insert("done", &done);
    ctx.insert("token", token);
    let fields = ["reaction", "reflection"].into_iter().map(String::from);
    let status = form_state(&mut ctx, fields, form, problems, lang, |k| {
        let key = if k == "reaction" {
            "kp_reaction"
        } else {
            "kp_reflection"
        };
        lang.t(key).to_string()
    });
    page_with_status(state, status, "public/reflection.html", &ctx)
}
