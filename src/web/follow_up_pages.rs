//! The desk pages of follow-up plans: a unit's plan for a year (`/staff/units/{slug}/follow-ups`)
//! where its supervisors and planners draft it from a closed period's evidence, add an item and
//! move each to done with its evidence; and every unit's plan with what is late
//! (`/planner/follow-ups`). Forms post without JavaScript; a refused one says why on the page.
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Datelike;
use serde::Deserialize;

use crate::i18n::Lang;
use crate::service::error::{ServiceError, translate};
use crate::service::follow_ups::{self, DraftIn, EvidenceIn, FollowUpIn};
use crate::store;
use crate::web::auth::StaffPage;
use crate::web::error::PageError;
use crate::web::forms::{FormData, StaffForm, StaffUpload, Upload};
use crate::web::render::{context, page, redirect};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(unit_plan)
        .service(draft_post)
        .service(add_post)
        .service(update_post)
        .service(evidence_upload)
        .service(evidence_download)
        .service(planner_plans)
        .service(pekppp_ranking);
}

#[derive(Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

fn plan_path(slug: &str) -> String {
    format!("/staff/units/{slug}/follow-ups")
}

/// Where to go after a form: the plan with the line it should say (a known op, or words).
fn back(
    slug: &str,
    result: Result<&'static str, ServiceError>,
    lang: Lang,
    user: &crate::web::auth::CurrentUser,
) -> Result<HttpResponse, PageError> {
    let path = plan_path(slug);
    match result {
        Ok(op) => Ok(redirect(&crate::web::flash::to(&path, op))),
        Err(ServiceError::Problems(p)) => {
            let msg = translate(&p, lang)
                .into_iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join("; ");
            Ok(redirect(&crate::web::flash::to_text(
                &path, "error", &msg, user,
            )))
        }
        Err(ServiceError::Invalid(f)) => {
            let msg = f.into_values().collect::<Vec<_>>().join(" ");
            Ok(redirect(&crate::web::flash::to_text(
                &path, "error", &msg, user,
            )))
        }
        Err(e) => Err(e.into()),
    }
}

#[get("/staff/units/{slug}/follow-ups")]
async fn unit_plan(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    slug: web::Path<String>,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let year = q.year.unwrap_or_else(|| crate::service::today_wib().year());
    let items = follow_ups::list(&state, &user, &slug, Some(year), None, lang).await?;
    let unit = store::units::by_slug(&state.db, &slug)
        .await?
        .ok_or(PageError::NotFound)?;
    let mut ctx = context(&req, lang, Some(&user));
    ctx.insert("items", &items);
    ctx.insert("unit_name", &unit.name);
    ctx.insert("unit_slug", &unit.slug);
    ctx.insert("year", &year);
    ctx.insert("kinds", &crate::domain::follow_up::KINDS);
    ctx.insert("statuses", &crate::domain::follow_up::STATUSES);
    ctx.insert("element_codes", &crate::domain::skm::ELEMENT_CODES);
    ctx.insert("error", &crate::web::flash::texts_said(&req, &user).1);
    page(&state, "staff/follow_ups.html", &ctx)
}

#[post("/staff/units/{slug}/follow-ups/draft")]
async fn draft_post(
    state: State,
    lang: Lang,
    StaffForm(user, f): StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let input = DraftIn {
        from: f.text("from"),
        to: f.text("to"),
    };
    let r = follow_ups::draft(&state, &user, &slug, &input, lang)
        .await
        .map(|_| "follow_up_drafted");
    back(&slug, r, lang, &user)
}

fn item_input(f: &FormData) -> FollowUpIn {
    FollowUpIn {
        title: f.text("title"),
        kind: f.text("kind"),
        elements: Some(f.all("elements")),
        due_on: f.text("due_on"),
        period_from: f.text("period_from"),
        period_to: f.text("period_to"),
        ..Default::default()
    }
}

#[post("/staff/units/{slug}/follow-ups")]
async fn add_post(
    state: State,
    lang: Lang,
    StaffForm(user, f): StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let r = follow_ups::create(&state, &user, &slug, &item_input(&f), lang)
        .await
        .map(|_| "follow_up_added");
    back(&slug, r, lang, &user)
}

#[post("/staff/follow-ups/{id}")]
async fn update_post(
    state: State,
    lang: Lang,
    StaffForm(user, f): StaffForm,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (_, slug) = follow_ups::seen_item(&state, &user, &id).await?;
    let input = FollowUpIn {
        status: f.text("status"),
        progress: f.text("progress").and_then(|p| p.parse().ok()),
        done_on: f.text("done_on"),
        evidence: (f.text("evidence").is_some() || f.text("evidence_link").is_some()).then(|| {
            EvidenceIn {
                text: f.text("evidence"),
                link: f.text("evidence_link"),
            }
        }),
        ..Default::default()
    };
    let r = follow_ups::update(&state, &user, &id, &input, lang)
        .await
        .map(|_| "follow_up_saved");
    back(&slug, r, lang, &user)
}

/// Every unit's plan for a year, with what is late: for planners (and administrators).
#[get("/planner/follow-ups")]
async fn planner_plans(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let year = q.year.unwrap_or_else(|| crate::service::today_wib().year());
    let mut rows = vec![];
    for u in store::units::list(&state.db, false).await? {
        if !user.sees_unit(u.id) {
            continue;
        }
        let items = follow_ups::list(&state, &user, &u.slug, Some(year), None, lang).await?;
        let live: Vec<_> = items.iter().filter(|i| i.status != "cancelled").collect();
        let done = live.iter().filter(|i| i.status == "done").count();
        let late: Vec<&str> = live
            .iter()
            .filter(|i| i.late)
            .map(|i| i.title.as_str())
            .collect();
        rows.push(serde_json::json!({
            "slug": u.slug, "name": u.name, "items": live.len(), "done": done, "late": late,
        }));
    }
    let mut ctx = context(&req, lang, Some(&user));
    ctx.insert("rows", &rows);
    ctx.insert("year", &year);
    page(&state, "planner/follow_ups.html", &ctx)
}

/// The province's units ranked by their PEKPPP score for a year (indicators 6–9, 0–20), each
/// with the gaps that cost it points: for planners and administrators.
#[get("/planner/pekppp")]
async fn pekppp_ranking(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let year = q.year.unwrap_or_else(|| crate::service::today_wib().year());
    let mut rows = vec![];
    for u in store::units::list(&state.db, false).await? {
        if !user.sees_unit(u.id) {
            continue;
        }
        let p = follow_ups::pekppp(&state, &user, &u.slug, year, lang).await?;
        let total: u32 = p.indicators.iter().map(|i| u32::from(i.score)).sum();
        let gaps: Vec<String> = p
            .indicators
            .iter()
            .filter(|i| i.score < 5)
            .map(|i| format!("{} ({}/5): {}", i.number, i.score, i.evidence))
            .collect();
        let scores: Vec<u8> = p.indicators.iter().map(|i| i.score).collect();
        rows.push((total, u.name.clone(), u.slug.clone(), scores, gaps));
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let rows: Vec<serde_json::Value> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (total, name, slug, scores, gaps))| {
            serde_json::json!({"rank": i + 1, "total": total, "name": name, "slug": slug,
                "scores": scores, "gaps": gaps})
        })
        .collect();
    let mut ctx = context(&req, lang, Some(&user));
    ctx.insert("rows", &rows);
    ctx.insert("year", &year);
    page(&state, "planner/pekppp.html", &ctx)
}

/// A file of evidence for an item (a photo of the new counter, a signed decree): JPEG, PNG, WebP
/// or PDF up to 5 MB, checked by content like a complaint's attachment.
#[post("/staff/follow-ups/{id}/evidence")]
async fn evidence_upload(
    state: State,
    lang: Lang,
    StaffUpload(user, _, file): StaffUpload,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (_, slug) = follow_ups::seen_item(&state, &user, &id).await?;
    let refused = |key: &'static str| {
        let mut p = crate::domain::validation::Problems::new();
        p.insert("evidence_file".into(), key);
        Err(ServiceError::Problems(p))
    };
    let r = match file {
        Upload::None => refused("v_required"),
        Upload::TooLarge => refused("v_file_size"),
        Upload::File { filename, bytes }
            if bytes.len() > crate::web::complaints::uploads::MAX_FILE_BYTES =>
        {
            let _ = filename;
            refused("v_file_size")
        }
        Upload::File { filename, bytes } => {
            match crate::web::complaints::uploads::store_bytes(&state, &filename, &bytes)
                .await
                .map_err(|e| PageError::Internal(e.into()))?
            {
                None => refused("v_file_type"),
                Some(f) => follow_ups::set_evidence_file(&state, &user, &id, &f)
                    .await
                    .map(|_| "follow_up_saved"),
            }
        }
    };
    back(&slug, r, lang, &user)
}

#[get("/staff/follow-ups/{id}/evidence")]
async fn evidence_download(
    state: State,
    StaffPage(user): StaffPage,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (name, content_type, path) = follow_ups::evidence_file(&state, &user, &id).await?;
    let bytes = match tokio::fs::read(&path).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(PageError::NotFound),
        Err(e) => return Err(PageError::Internal(e.into())),
    };
    Ok(crate::web::complaints::attachments::stored_file(
        &content_type,
        &name,
        bytes,
    ))
}
