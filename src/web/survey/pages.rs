//! Citizen pages: the unit, its survey, the thank-you page, QR code and poster.
use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use qrcode::QrCode;
use qrcode::render::svg;
use serde::Serialize;
use serde_json::Value;

use crate::domain::survey::{Definition, Kind, Question};
use crate::i18n::Lang;
use crate::service::error::ServiceError;
use crate::service::survey::{accept, ikm_summary};
use crate::service::today_wib;
use crate::store;
use crate::web::auth::MaybeStaff;
use crate::web::error::PageError;
use crate::web::forms::FormData;
use crate::web::ratelimit::check_public_limit;
use crate::web::render::{context, page, page_with_status, redirect};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(home)
        .service(unit_page)
        .service(survey_form)
        .service(survey_submit)
        .service(thanks)
        .service(qr_svg)
        .service(poster);
}

#[get("/")]
async fn home(
    state: State,
    req: HttpRequest,
    lang: Lang,
    MaybeStaff(user): MaybeStaff,
) -> Result<HttpResponse, PageError> {
    let units = store::units::list(&state.db, false).await?;
    let mut ctx = context(&req, lang, user.as_ref());
    ctx.insert("units", &units);
    page(&state, "public/home.html", &ctx)
}

async fn live_unit(
    state: &State,
    slug: &str,
) -> Result<(entity::unit::Model, store::units::UnitView), PageError> {
    store::units::view_by_slug(&state.db, slug, false)
        .await?
        .filter(|(u, _)| u.archived_at.is_none())
        .ok_or(PageError::NotFound)
}

#[get("/u/{slug}")]
async fn unit_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    slug: web::Path<String>,
    MaybeStaff(user): MaybeStaff,
) -> Result<HttpResponse, PageError> {
    let (unit, view) = live_unit(&state, &slug).await?;
    let mut ctx = context(&req, lang, user.as_ref());
    if let Some(a) = store::surveys::active_for_unit(&state.db, unit.id).await? {
        let to = today_wib();
        let from = to - chrono::Duration::days(89);
        let ikm = ikm_summary(&state, &unit, &a.definition, from, to, lang).await?;
        ctx.insert("ikm", &ikm);
        ctx.insert("has_survey", &true);
    }
    ctx.insert("unit", &view);
    ctx.insert("src", &query_param(&req, "src").unwrap_or_default());
    page(&state, "public/unit.html", &ctx)
}

fn query_param(req: &HttpRequest, key: &str) -> Option<String> {
    web::Query::<BTreeMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get(key).cloned())
}

#[derive(Serialize)]
struct OptionView {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Serialize)]
struct QuestionView {
    code: String,
    kind: &'static str,
    label: String,
    help: Option<String>,
    required: bool,
    profile: bool,
    options: Vec<OptionView>,
    value: String,
    error: Option<String>,
    min: Option<i64>,
    max: Option<i64>,
    max_length: Option<usize>,
    unit: Option<String>,
    show_if: Option<(String, String)>,
}

fn text(t: &crate::domain::survey::Text, lang: Lang) -> String {
    lang.pick(&t.id, &t.en).clone()
}

fn value_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What the template needs for each question, with the entered values and messages kept.
fn question_views(
    def: &Definition,
    services: &[store::units::ServiceView],
    form: &FormData,
    errors: &BTreeMap<String, String>,
    lang: Lang,
) -> Vec<QuestionView> {
    def.questions
        .iter()
        .map(|q: &Question| {
            let entered = form.all(&q.code);
            let first = entered.first().cloned().unwrap_or_default();
            let opts = |choices: &[crate::domain::survey::Choice]| {
                choices
                    .iter()
                    .map(|c| {
                        let v = value_str(&c.value);
                        OptionView {
                            checked: entered.contains(&v),
                            value: v,
                            label: text(&c.label, lang),
                        }
                    })
                    .collect::<Vec<_>>()
            };
            let numbered = |lo: i64, hi: i64| {
                (lo..=hi)
                    .map(|i| OptionView {
                        value: i.to_string(),
                        label: i.to_string(),
                        checked: first == i.to_string(),
                    })
                    .collect::<Vec<_>>()
            };
            let (kind, options, min, max, max_length, unit) = match &q.kind {
                Kind::Likert4 { options } => ("likert4", opts(options), None, None, None, None),
                Kind::Rating5 => ("scale", numbered(1, 5), None, None, None, None),
                Kind::Nps => ("scale", numbered(0, 10), None, None, None, None),
                Kind::SingleChoice { options } => {
                    ("single_choice", opts(options), None, None, None, None)
                }
                Kind::MultiChoice { options } => {
                    ("multi_choice", opts(options), None, None, None, None)
                }
                Kind::YesNo => (
                    "single_choice",
                    vec![
                        OptionView {
                            value: "yes".into(),
                            label: lang.t("yes").into(),
                            checked: first == "yes",
                        },
                        OptionView {
                            value: "no".into(),
                            label: lang.t("no").into(),
                            checked: first == "no",
                        },
                    ],
                    None,
                    None,
                    None,
                    None,
                ),
                Kind::Number { min, max, unit } => {
                    ("number", vec![], Some(*min), Some(*max), None, unit.clone())
                }
                Kind::Text { max_length } => ("text", vec![], None, None, Some(*max_length), None),
                Kind::Service => (
                    "service",
                    services
                        .iter()
                        .map(|s| OptionView {
                            value: s.slug.clone(),
                            label: s.name.clone(),
                            checked: first == s.slug,
                        })
                        .collect(),
                    None,
                    None,
                    None,
                    None,
                ),
            };
            QuestionView {
                code: q.code.clone(),
                kind,
                label: text(&q.label, lang),
                help: q.help.as_ref().map(|h| text(h, lang)),
                required: q.required && !(matches!(q.kind, Kind::Service) && services.is_empty()),
                profile: q.profile,
                options,
                value: first,
                error: errors.get(&q.code).cloned(),
                min,
                max,
                max_length,
                unit: unit.map(|u| match (u.as_str(), lang) {
                    ("minutes", Lang::Id) => "menit".into(),
                    ("visits", Lang::Id) => "kali".into(),
                    ("years", Lang::Id) => "tahun".into(),
                    ("rupiah", _) => "Rp".into(),
                    _ => u,
                }),
                show_if: q
                    .show_if
                    .as_ref()
                    .map(|c| (c.code.clone(), value_str(&c.equals))),
            }
        })
        .filter(|q| !(q.kind == "service" && q.options.is_empty()))
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn render_form(
    state: &State,
    req: &HttpRequest,
    lang: Lang,
    slug: &str,
    form: &FormData,
    errors: BTreeMap<String, String>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let (unit, view) = live_unit(state, slug).await?;
    let mut ctx = context(req, lang, None);
    ctx.insert("unit", &view);
    match store::surveys::active_for_unit(&state.db, unit.id).await? {
        None => ctx.insert("closed", &true),
        Some(a) => {
            let questions = question_views(&a.definition, &view.services, form, &errors, lang);
            ctx.insert("questions", &questions);
            ctx.insert("require_code", &a.require_code);
            ctx.insert("title", &text(&a.definition.title, lang));
        }
    }
    ctx.insert(
        "code_value",
        &form
            .text("code")
            .or_else(|| query_param(req, "code"))
            .unwrap_or_default(),
    );
    ctx.insert("code_error", &errors.get("code"));
    ctx.insert("form_error", &errors.get("form"));
    ctx.insert(
        "submission_key",
        &form
            .text(SUBMISSION_KEY)
            .unwrap_or_else(|| crate::security::random_token(16)),
    );
    ctx.insert("has_errors", &!errors.is_empty());
    ctx.insert(
        "src",
        &form
            .text("src")
            .or_else(|| query_param(req, "src"))
            .unwrap_or_default(),
    );
    page_with_status(state, status, "public/survey.html", &ctx)
}

#[get("/u/{slug}/survey")]
async fn survey_form(
    state: State,
    req: HttpRequest,
    lang: Lang,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    render_form(
        &state,
        &req,
        lang,
        &slug,
        &FormData(vec![]),
        BTreeMap::new(),
        StatusCode::OK,
    )
    .await
}

/// The one-time key every rendered form carries: a double tap or a reload stores once.
pub const SUBMISSION_KEY: &str = "submission_key";

/// Fields of the survey form that are not answers.
const NOT_ANSWERS: [&str; 5] = ["code", "website", "src", "lang", SUBMISSION_KEY];

#[post("/u/{slug}/survey")]
async fn survey_submit(
    state: State,
    req: HttpRequest,
    lang: Lang,
    slug: web::Path<String>,
    form: crate::web::forms::Form,
) -> Result<HttpResponse, PageError> {
    check_public_limit(&state, &req).await?;
    let form = FormData(form.into_inner());
    let ctx = state
        .unit_cache
        .get(&state.db, &slug)
        .await?
        .ok_or(PageError::NotFound)?;
    // Bots fill every field, people never see this one: pretend success and keep nothing.
    if form.text("website").is_some() {
        return Ok(redirect(&format!("/u/{slug}/thanks")));
    }
    let Some(active) = &ctx.active else {
        return Err(PageError::NotFound);
    };
    let channel = if form.text("src").as_deref() == Some("qr") {
        "qr"
    } else {
        "web"
    };
    let raw = form.to_answers(&NOT_ANSWERS);
    let key = form.text(SUBMISSION_KEY);
    match accept(
        &state,
        &ctx.unit,
        active,
        &ctx.services,
        &raw,
        channel,
        form.text("code"),
        key.as_deref(),
    )
    .await
    {
        Ok(_) if crate::domain::survey::has_low_rating(&active.definition, &raw) => {
            Ok(redirect(&format!("/u/{slug}/thanks?low=1")))
        }
        Ok(_) => Ok(redirect(&format!("/u/{slug}/thanks"))),
        Err(ServiceError::KeyReused) => {
            // This form was sent before with other answers (Back, edit, send): say so, and
            // give the page a fresh key so sending again stores the new answers.
            let mut fresh: Vec<(String, String)> = form
                .0
                .iter()
                .filter(|(k, _)| k != SUBMISSION_KEY)
                .cloned()
                .collect();
            fresh.push((SUBMISSION_KEY.into(), crate::security::random_token(16)));
            let errors = BTreeMap::from([(
                "form".to_string(),
                lang.t("v_form_already_sent").to_string(),
            )]);
            render_form(
                &state,
                &req,
                lang,
                &slug,
                &FormData(fresh),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(ServiceError::Problems(p)) => {
            let errors = crate::service::error::translate(&p, lang);
            render_form(
                &state,
                &req,
                lang,
                &slug,
                &form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[get("/u/{slug}/thanks")]
async fn thanks(
    state: State,
    req: HttpRequest,
    lang: Lang,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (_, view) = live_unit(&state, &slug).await?;
    let mut ctx = context(&req, lang, None);
    ctx.insert("unit", &view);
    ctx.insert("low", &req.query_string().contains("low=1"));
    page(&state, "public/thanks.html", &ctx)
}

fn qr_for(url: &str) -> Result<String, PageError> {
    let code =
        QrCode::new(url.as_bytes()).map_err(|e| PageError::Internal(anyhow::anyhow!("qr: {e}")))?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

fn unit_url(state: &State, slug: &str) -> String {
    format!("{}/u/{slug}", state.settings.base_url)
}

#[get("/u/{slug}/qr.svg")]
async fn qr_svg(state: State, slug: web::Path<String>) -> Result<HttpResponse, PageError> {
    live_unit(&state, &slug).await?;
    let svg = qr_for(&format!("{}?src=qr", unit_url(&state, &slug)))?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("cache-control", "public, max-age=3600"))
        .body(svg))
}

#[get("/u/{slug}/poster")]
async fn poster(
    state: State,
    req: HttpRequest,
    lang: Lang,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (unit, view) = live_unit(&state, &slug).await?;
    let mut ctx = context(&req, lang, None);
    ctx.insert("unit", &view);
    ctx.insert("url", &unit_url(&state, &slug));
    // The chat channels find a unit by this short code as well as by its slug.
    let code = crate::service::chat::short_code(unit.id);
    if let Some(n) = &state.settings.whatsapp.public_number {
        ctx.insert("wa_number", n);
        ctx.insert("wa_link", &format!("https://wa.me/{n}?text=SKM%20{code}"));
    }
    ctx.insert("sms_number", &state.settings.sms_number);
    ctx.insert("code", &code);
    ctx.insert(
        "qr",
        &qr_for(&format!("{}?src=qr", unit_url(&state, &slug)))?,
    );
    page(&state, "public/poster.html", &ctx)
}
