//! The supervisor's people page: the unit's employees with their JP of the year, the needs
//! round (open it and get the personal links to share or print; who answered and what they
//! said), and the confirmation of each person's need with a programme or a course and its JP.
//! A refused confirmation comes back on the same page with what was entered.
use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Datelike;
use serde::Deserialize;

use crate::domain::validation::Problems;
use crate::i18n::Lang;
use crate::service::employees::needs::{self, ConfirmIn, RoundIn, RoundLink};
use crate::service::error::ServiceError;
use crate::store;
use crate::web::auth::StaffPage;
use crate::web::error::PageError;
use crate::web::forms::{FormData, StaffForm};
use crate::web::render::{context, page_with_status};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(people_page).service(people_post);
}

#[derive(Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

fn year_or_now(y: Option<i32>) -> i32 {
    y.filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| crate::service::today_wib().year())
}

#[get("/staff/units/{slug}/people")]
async fn people_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    slug: web::Path<String>,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let shown = Shown {
        year: year_or_now(q.year),
        ..Default::default()
    };
    render(&state, &req, lang, &user, &slug, shown).await
}

/// `op` = `open` (open the round or new links for who has not answered) or `confirm` (a
/// person's need answered by a programme or a course with its JP).
#[post("/staff/units/{slug}/people")]
async fn people_post(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, form): StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let year = year_or_now(form.text("year").and_then(|y| y.parse().ok()));
    let mut shown = Shown {
        year,
        ..Default::default()
    };
    if form.text("op").as_deref() == Some("open") {
        let r = needs::open_round(&state, &user, &slug, &RoundIn { year: Some(year) }).await?;
        shown.links = r.links;
        return render(&state, &req, lang, &user, &slug, shown).await;
    }
    let mut problems = Problems::new();
    let employee_id = form.number::<i32>("employee_id", &mut problems);
    let jp = form.number::<i32>("jp", &mut problems);
    let round = needs::round_of(&state, &user, &slug, year).await?;
    let result = match (&round, problems.is_empty()) {
        (Some(r), true) => {
            let c = ConfirmIn {
                employee_id,
                programme: form.text("programme"),
                course: form.text("course"),
                jp,
                ..Default::default()
            };
            needs::confirm(&state, &user, &r.id.to_string(), &c)
                .await
                .map(|_| ())
        }
        (None, _) => Err(ServiceError::NotFound),
        (_, false) => Err(ServiceError::Problems(problems)),
    };
    match result {
        Ok(()) => {
            shown.confirmed = employee_id;
            render(&state, &req, lang, &user, &slug, shown).await
        }
        Err(ServiceError::Problems(p)) => {
            shown.failed = Some((employee_id.unwrap_or(0), form, p));
            render(&state, &req, lang, &user, &slug, shown).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Default)]
struct Shown {
    year: i32,
    /// Links just made (shown once).
    links: Vec<RoundLink>,
    /// The person whose need was just confirmed.
    confirmed: Option<i32>,
    /// A refused confirmation: whose, what was entered, what was wrong.
    failed: Option<(i32, FormData, Problems)>,
}

async fn render(
    state: &State,
    req: &HttpRequest,
    lang: Lang,
    user: &crate::web::auth::CurrentUser,
    slug: &str,
    shown: Shown,
) -> Result<HttpResponse, PageError> {
    let year = shown.year;
    let people = crate::service::employees::list(state, user, slug, Some(year)).await?;
    let unit = store::units::by_slug(&state.db, slug)
        .await?
        .ok_or(PageError::NotFound)?;
    let round = needs::round_of(state, user, slug, year).await?;
    let mut ctx = context(req, lang, Some(user));
    ctx.insert("unit_name", &unit.name);
    ctx.insert("unit_slug", &unit.slug);
    ctx.insert("year", &year);
    // Each person's answers by id (every person named: tera cannot read a missing key).
    let statuses: BTreeMap<String, Option<&needs::PersonStatus>> = people
        .iter()
        .map(|p| {
            let st = round
                .as_ref()
                .and_then(|r| r.people.iter().find(|s| s.employee_id == p.id));
            (p.id.to_string(), st)
        })
        .collect();
    ctx.insert("statuses", &statuses);
    ctx.insert("people", &people);
    ctx.insert("round", &round);
    ctx.insert("can_act", &user.acts_on_unit(unit.id));
    ctx.insert("links", &shown.links);
    ctx.insert("confirmed", &shown.confirmed.unwrap_or(0));
    ctx.insert(
        "competency_names",
        &needs::competencies(state)
            .await?
            .into_iter()
            .collect::<BTreeMap<_, _>>(),
    );
    ctx.insert(
        "programmes",
        &store::training::catalogue::programmes(&state.read)
            .await?
            .into_iter()
            .filter(|p| !p.archived)
            .map(|p| (p.code, p.name, p.jp))
            .collect::<Vec<_>>(),
    );
    // The refused form's values and messages, for the person it was about (blank otherwise).
    let (failed_for, values, problems) = match shown.failed {
        Some((e, form, p)) => (e, form.values_map(), p),
        None => (0, BTreeMap::new(), Problems::new()),
    };
    let mut v: BTreeMap<String, String> = ["programme", "course", "jp"]
        .into_iter()
        .map(|k| (k.to_string(), String::new()))
        .collect();
    v.extend(values);
    let mut errors: BTreeMap<String, String> = ["programme", "course", "jp", "employee_id"]
        .into_iter()
        .map(|k| (k.to_string(), String::new()))
        .collect();
    errors.extend(
        problems
            .iter()
            .map(|(k, m)| (k.clone(), lang.t(m).to_string())),
    );
    ctx.insert("failed_for", &failed_for);
    ctx.insert("v", &v);
    ctx.insert("errors", &errors);
    let status = if problems.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    page_with_status(state, status, "staff/people.html", &ctx)
}
