//! The supervisors' triage pages: the queue, bulk actions, and one complaint with its actions
//! (the JSON API beside them is `triage`).
use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};

use super::triage::{QueueQuery, load_queue};
use crate::domain::complaint::Status;
use crate::i18n::Lang;
use crate::service::complaints::{self, BulkIn, MetaIn, TransitionIn, bulk};
use crate::service::error::ServiceError;
use crate::store;
use crate::web::auth::StaffPage;
use crate::web::error::PageError;
use crate::web::forms::StaffForm;
use crate::web::render::{context, page, redirect};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(queue_page)
        .service(bulk_page)
        .service(complaint_page)
        .service(complaint_post);
}

#[get("/staff/complaints")]
pub async fn queue_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    q: web::Query<QueueQuery>,
) -> Result<HttpResponse, PageError> {
    let out = load_queue(&state, &user, &q, "/staff/complaints", lang).await?;
    let mut ctx = context(&req, lang, Some(&user));
    let statuses: Vec<(String, String, i64)> = Status::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_string(),
                lang.t(&format!("status_{}", s.as_str())).to_string(),
                out.counts.get(s.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let units: Vec<_> = store::units::list(&state.db, false)
        .await?
        .into_iter()
        .filter(|u| user.sees_unit(u.id))
        .collect();
    let cats: Vec<(String, String)> = store::complaints::categories(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.code, lang.pick(c.name_id, c.name_en)))
        .collect();
    ctx.insert("statuses", &statuses);
    ctx.insert("items", &out.items);
    ctx.insert("units", &units);
    ctx.insert("categories", &cats);
    ctx.insert("q", &serde_json::json!({"unit": q.unit, "status": q.status, "category": q.category, "kind": q.kind, "overdue": q.overdue}));
    ctx.insert("total", &out.total);
    ctx.insert("next", &out.next);
    // What the last bulk action did (see `bulk_page`).
    let (ok, error) = crate::web::flash::texts_said(&req, &user);
    ctx.insert("ok", &ok);
    ctx.insert("error", &error);
    page(&state, "staff/complaints.html", &ctx)
}

#[post("/staff/complaints/bulk")]
pub async fn bulk_page(
    state: State,
    lang: Lang,
    StaffForm(user, f): StaffForm,
) -> Result<HttpResponse, PageError> {
    let b = BulkIn {
        tracking_ids: f.all("ids"),
        action: f.text("action").unwrap_or_default(),
        reason: f.text("reason"),
        duplicate_of: f.text("duplicate_of"),
    };
    // Always an answer on the queue page: how many changed, which did not and why, or what
    // was missing from the request (a reject without a reason used to change nothing silently).
    match bulk(&state, &user, &b, lang).await {
        Ok(out) => {
            let mut msg = lang
                .t("ok_bulk")
                .replace("{n}", &out.done.len().to_string());
            for (id, why) in &out.failed {
                msg.push_str(&format!(" {id}: {why}."));
            }
            let kind = if out.failed.is_empty() { "ok" } else { "error" };
            Ok(redirect(&crate::web::flash::to_text(
                "/staff/complaints",
                kind,
                &msg,
                &user,
            )))
        }
        Err(ServiceError::Invalid(fields)) => {
            let msg = fields.into_values().collect::<Vec<_>>().join(" ");
            Ok(redirect(&crate::web::flash::to_text(
                "/staff/complaints",
                "error",
                &msg,
                &user,
            )))
        }
        Err(e) => Err(e.into()),
    }
}

#[get("/staff/complaints/{id}")]
pub async fn complaint_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let c = complaints::scoped(&state, &user, &id).await?;
    let view = complaints::staff_view(&state.db, &c, &user, lang).await?;
    let mut ctx = context(&req, lang, Some(&user));
    let actions: Vec<(String, String)> = view
        .actions
        .iter()
        .map(|a| {
            (
                a.as_str().to_string(),
                lang.t(&format!("action_{}", a.as_str())).to_string(),
            )
        })
        .collect();
    ctx.insert("actions", &actions);
    ctx.insert(
        "can_mark_duplicate",
        &view
            .actions
            .contains(&crate::domain::complaint::Action::MarkDuplicate),
    );
    ctx.insert("c", &view);
    let can_act = user.acts_on_unit(c.unit_id);
    ctx.insert("can_act", &can_act);
    let query = web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    ctx.insert("error", &crate::web::flash::texts_said(&req, &user).1);
    // Reply templates: `?template={id}` re-renders the page with the reply pre-filled.
    let templates = if can_act {
        complaints::reply_templates_for(&state.db, &c).await?
    } else {
        vec![]
    };
    let chosen = query
        .get("template")
        .and_then(|t| t.parse::<i32>().ok())
        .and_then(|id| templates.iter().find(|t| t.id == id));
    ctx.insert("template_id", &chosen.map(|t| t.id));
    ctx.insert(
        "reply_prefill",
        &chosen.map(|t| t.body.as_str()).unwrap_or(""),
    );
    ctx.insert("reply_templates", &templates);
    // The action the panel opens with: the reply when a template was just chosen, else a
    // status change while one is possible.
    let act = match query.get("act").map(String::as_str) {
        Some(a @ ("transition" | "reply" | "note" | "meta")) => a,
        _ if chosen.is_some() => "reply",
        _ if !view.actions.is_empty() => "transition",
        _ => "reply",
    };
    ctx.insert("act", act);
    // Forwarding names units by name; the form sends the slug.
    let units: Vec<(String, String)> = store::units::list(&state.db, false)
        .await?
        .into_iter()
        .filter(|u| u.id != c.unit_id)
        .map(|u| (u.slug, u.name))
        .collect();
    ctx.insert("units", &units);
    // Where a reply will go, said before it is sent.
    let goes = match complaints::news_channel(&c) {
        Some(via) => lang
            .t("c_reply_goes_via")
            .replace("{via}", lang.t(&format!("notify_{}", via.as_str()))),
        None => lang.t("ok_reply_none").to_string(),
    };
    ctx.insert("reply_goes", &goes);
    if can_act && let Some(u) = store::units::by_id(&state.db, c.unit_id).await? {
        ctx.insert("manage_templates", &u.slug);
    }
    page(&state, "staff/complaint.html", &ctx)
}

/// One form posts every staff action on the complaint page; `op` says which.
#[post("/staff/complaints/{id}")]
pub async fn complaint_post(
    state: State,
    lang: Lang,
    StaffForm(user, f): StaffForm,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let c = complaints::scoped(&state, &user, &id).await?;
    let back = format!("/staff/complaints/{}", c.tracking_id);
    let result = match f.text("op").as_deref() {
        Some("transition") => {
            let input = TransitionIn {
                action: f.text("action").unwrap_or_default(),
                note: f.text("note"),
                reason: f.text("reason"),
                forward_to: f.text("forward_to"),
                duplicate_of: f.text("duplicate_of"),
                ..Default::default()
            };
            complaints::act(&state, c, &input, Some(&user), lang)
                .await
                .map(|_| "transition")
        }
        // The line the desk shows says how the reply really went out.
        // The panel names its text boxes apart; `body` is what a plain form (and older pages) send.
        Some("reply") => complaints::comment(
            &state,
            c,
            &user,
            &f.text("reply_body")
                .or_else(|| f.text("body"))
                .unwrap_or_default(),
            true,
            lang,
        )
        .await
        .map(|via| match via.map(|v| v.as_str()) {
            Some("email") => "reply_email",
            Some("whatsapp") => "reply_whatsapp",
            Some("sms") => "reply_sms",
            _ => "reply_none",
        }),
        Some("note") => complaints::comment(
            &state,
            c,
            &user,
            &f.text("note_body")
                .or_else(|| f.text("body"))
                .unwrap_or_default(),
            false,
            lang,
        )
        .await
        .map(|_| "note"),
        Some("meta") => complaints::set_meta(
            &state,
            c,
            &user,
            &MetaIn {
                assignee: Some(f.text("assignee").unwrap_or_default()),
                priority: f.text("priority"),
            },
            lang,
        )
        .await
        .map(|_| "meta"),
        _ => Err(ServiceError::BadRequest("unknown op".into())),
    };
    match result {
        // Said on the page it lands on: "Status diperbarui.", "Balasan dikirim lewat WhatsApp.", …
        Ok(op) => Ok(redirect(&crate::web::flash::to(&back, op))),
        Err(ServiceError::Invalid(fields)) => {
            let msg = fields
                .into_iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join("; ");
            Ok(redirect(&crate::web::flash::to_text(
                &back, "error", &msg, &user,
            )))
        }
        Err(ServiceError::Conflict(m)) => Ok(redirect(&crate::web::flash::to_text(
            &back, "error", &m, &user,
        ))),
        Err(e) => Err(e.into()),
    }
}
