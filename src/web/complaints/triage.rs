//! Supervisors' triage as JSON: the queue and a complaint with its actions, scoped to their
//! units (the pages are `triage_pages`).
use std::collections::HashMap;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, get, patch, post, web};
use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};

pub use super::queue_query::QueueQuery;
use super::queue_query::queue_filter;
use crate::bootstrap::state::AppState;
use crate::i18n::Lang;
use crate::service::complaints::{self, BulkIn, BulkOut, MetaIn, StaffView, TransitionIn, bulk};
use crate::store;
use crate::web::auth::{ActingApi, Admitted, CurrentUser, StaffApi};
use crate::web::error::ApiError;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(api_queue)
        .service(api_bulk)
        .service(api_get)
        .service(api_transition)
        .service(api_reply)
        .service(api_note)
        .service(api_meta);
}

const PAGE_SIZE: u64 = 50;
const MAX_PAGE_SIZE: u64 = 200;

/// Page number and size from the query, or the problem with them.
fn paging(q: &QueueQuery, lang: Lang) -> Result<(u64, u64), ApiError> {
    let num = |v: &Option<String>, name: &str, lo: u64, hi: u64, default: u64| match v
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Ok(default),
        Some(s) => s
            .parse::<u64>()
            .ok()
            .filter(|n| (lo..=hi).contains(n))
            .ok_or_else(|| ApiError::field(name, lang.t("v_range"))),
    };
    Ok((
        num(&q.page, "page", 1, 1_000_000, 1)?,
        num(&q.size, "size", 1, MAX_PAGE_SIZE, PAGE_SIZE)?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct QueueItem {
    pub tracking_id: String,
    pub unit: String,
    pub kind: String,
    pub category: String,
    pub status: String,
    pub priority: String,
    pub assignee: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub next_deadline: Option<chrono::NaiveDate>,
    pub overdue: bool,
    /// The first 140 characters of the description.
    pub summary: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct QueueOut {
    /// Complaints per status within your units (whatever the filter).
    pub counts: HashMap<String, i64>,
    /// Complaints matching the filter, on all pages.
    pub total: u64,
    pub page: u64,
    pub size: u64,
    /// The same query for the next page, when there is one.
    pub next: Option<String>,
    pub items: Vec<QueueItem>,
}

pub(super) async fn load_queue(
    state: &AppState,
    user: &CurrentUser,
    q: &QueueQuery,
    base: &str,
    lang: Lang,
) -> Result<QueueOut, ApiError> {
    let (page, size) = paging(q, lang)?;
    let (f, overdue, cats) = queue_filter(state, q, lang).await?;
    let out = complaints::queue(state, user, f, overdue, page, size).await?;
    let units: HashMap<i32, String> = store::units::list(&state.db, true)
        .await?
        .into_iter()
        .map(|u| (u.id, u.slug))
        .collect();
    let items = out
        .rows
        .into_iter()
        .map(|r| QueueItem {
            tracking_id: r.c.tracking_id.clone(),
            unit: units.get(&r.c.unit_id).cloned().unwrap_or_default(),
            kind: r.c.kind.clone(),
            category: cats
                .get(&r.c.category_id)
                .map(|c| c.code.clone())
                .unwrap_or_default(),
            status: r.c.status.clone(),
            priority: r.c.priority.clone(),
            assignee: r.c.assignee.clone(),
            created_at: r.c.created_at,
            next_deadline: r.next,
            overdue: r.overdue,
            summary: r.c.description.chars().take(140).collect(),
        })
        .collect();
    let next = (page * size < out.total).then(|| {
        let mut next = QueueQuery {
            page: Some((page + 1).to_string()),
            size: Some(size.to_string()),
            ..QueueQuery::default()
        };
        next.unit.clone_from(&q.unit);
        next.status.clone_from(&q.status);
        next.category.clone_from(&q.category);
        next.kind.clone_from(&q.kind);
        next.overdue.clone_from(&q.overdue);
        format!(
            "{base}?{}",
            serde_urlencoded::to_string(&next).unwrap_or_default()
        )
    });
    Ok(QueueOut {
        counts: out.counts,
        total: out.total,
        page,
        size,
        next,
        items,
    })
}

#[utoipa::path(get, path = "/api/v1/staff/complaints", tag = "staff", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("unit" = Option<String>, Query), ("status" = Option<String>, Query), ("category" = Option<String>, Query),
        ("kind" = Option<String>, Query), ("overdue" = Option<bool>, Query),
        ("page" = Option<u64>, Query, description = "1-based, default 1"), ("size" = Option<u64>, Query, description = "1–200, default 50"),
        ("format" = Option<String>, Query, description = "csv (every matching complaint, no paging, codes and UTC times: for machines), or send Accept: text/csv; xlsx (the same rows for people: Indonesian headers, labels in words, WIB times as date cells)")),
    responses((status = 200, description = "Sorted by next deadline, overdue first; as CSV with `format=csv` or `Accept: text/csv`, as a workbook with `format=xlsx`",
        content((QueueOut = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 422)))]
#[get("/api/v1/staff/complaints")]
pub async fn api_queue(
    state: State,
    req: HttpRequest,
    StaffApi(user): StaffApi,
    lang: Lang,
    q: web::Query<QueueQuery>,
) -> Result<HttpResponse, ApiError> {
    if q.format.as_deref() == Some("xlsx") {
        return super::exports::queue_xlsx(state, user, &q, lang).await;
    }
    if super::exports::wants_csv(&req, q.format.as_deref()) {
        return super::exports::queue_csv(state, user, &q, lang).await;
    }
    Ok(HttpResponse::Ok()
        .json(load_queue(&state, &user, &q, "/api/v1/staff/complaints", lang).await?))
}

#[utoipa::path(get, path = "/api/v1/staff/complaints/{tracking_id}", tag = "staff", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("tracking_id" = String, Path)), responses((status = 200, body = StaffView), (status = 404)))]
#[get("/api/v1/staff/complaints/{tracking_id}")]
pub async fn api_get(
    state: State,
    StaffApi(user): StaffApi,
    lang: Lang,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let c = complaints::scoped(&state, &user, &id).await?;
    Ok(HttpResponse::Ok().json(complaints::staff_view(&state.db, &c, &user, lang).await?))
}

/// The complaint `{tracking_id}` names, for a caller who acts on its unit: planners get 403 (they
/// read only), anyone outside its unit 404 whatever the reason — both before the handler's body
/// is read, so a refused caller never hears which fields it lacked.
pub struct ActedComplaint(pub CurrentUser, pub entity::complaint::Model);

impl FromRequest for ActedComplaint {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let acting = ActingApi::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let tracking = req.match_info().get("tracking_id").map(str::to_string);
        Box::pin(async move {
            let ActingApi(user) = acting.await?;
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
            let tracking = tracking.ok_or(ApiError::NotFound)?;
            let c = complaints::scoped(&state, &user, &tracking).await?;
            if !user.acts_on_unit(c.unit_id) {
                return Err(ApiError::NotFound);
            }
            Ok(ActedComplaint(user, c))
        })
    }
}

#[utoipa::path(post, path = "/api/v1/staff/complaints/{tracking_id}/transitions", tag = "staff", security(("staff" = ["admin", "supervisor"])),
    request_body = TransitionIn, params(("tracking_id" = String, Path)),
    responses((status = 200, body = StaffView), (status = 404), (status = 409, description = "Not allowed from the current status"), (status = 422)))]
#[post("/api/v1/staff/complaints/{tracking_id}/transitions")]
pub async fn api_transition(
    state: State,
    lang: Lang,
    Admitted(ActedComplaint(user, c), body): Admitted<
        ActedComplaint,
        crate::web::request_checks::Json<TransitionIn>,
    >,
) -> Result<HttpResponse, ApiError> {
    let c = complaints::act(&state, c, &body, Some(&user), lang).await?;
    Ok(HttpResponse::Ok().json(complaints::staff_view(&state.db, &c, &user, lang).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct BodyIn {
    pub body: String,
}

/// A public reply, stored.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Replied {
    /// How the citizen was told: `email`, `whatsapp` or `sms`; null when they left no contact
    /// (the reply shows on the tracking page).
    pub notified_via: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/staff/complaints/{tracking_id}/replies", tag = "staff", security(("staff" = ["admin", "supervisor"])),
    request_body = BodyIn, params(("tracking_id" = String, Path)), responses((status = 201, body = Replied, description = "Public reply, sent to the citizen on the channel they chose"), (status = 404), (status = 422)))]
#[post("/api/v1/staff/complaints/{tracking_id}/replies")]
pub async fn api_reply(
    state: State,
    lang: Lang,
    Admitted(ActedComplaint(user, c), body): Admitted<
        ActedComplaint,
        crate::web::request_checks::Json<BodyIn>,
    >,
) -> Result<HttpResponse, ApiError> {
    let via = complaints::comment(&state, c, &user, &body.body, true, lang).await?;
    Ok(HttpResponse::Created().json(Replied {
        notified_via: via.map(|v| v.as_str().to_string()),
    }))
}

#[utoipa::path(post, path = "/api/v1/staff/complaints/{tracking_id}/notes", tag = "staff", security(("staff" = ["admin", "supervisor"])),
    request_body = BodyIn, params(("tracking_id" = String, Path)), responses((status = 201, description = "Internal note, never shown to the citizen"), (status = 404), (status = 422)))]
#[post("/api/v1/staff/complaints/{tracking_id}/notes")]
pub async fn api_note(
    state: State,
    lang: Lang,
    Admitted(ActedComplaint(user, c), body): Admitted<
        ActedComplaint,
        crate::web::request_checks::Json<BodyIn>,
    >,
) -> Result<HttpResponse, ApiError> {
    complaints::comment(&state, c, &user, &body.body, false, lang).await?;
    Ok(HttpResponse::Created().finish())
}

#[utoipa::path(patch, path = "/api/v1/staff/complaints/{tracking_id}", tag = "staff", security(("staff" = ["admin", "supervisor"])),
    request_body = MetaIn, params(("tracking_id" = String, Path)), responses((status = 200, body = StaffView), (status = 404), (status = 422)))]
#[patch("/api/v1/staff/complaints/{tracking_id}")]
pub async fn api_meta(
    state: State,
    lang: Lang,
    Admitted(ActedComplaint(user, c), body): Admitted<
        ActedComplaint,
        crate::web::request_checks::Json<MetaIn>,
    >,
) -> Result<HttpResponse, ApiError> {
    let c = complaints::set_meta(&state, c, &user, &body, lang).await?;
    Ok(HttpResponse::Ok().json(complaints::staff_view(&state.db, &c, &user, lang).await?))
}

#[utoipa::path(post, path = "/api/v1/staff/complaints/bulk", tag = "staff", security(("staff" = ["admin", "supervisor"])),
    request_body = BulkIn, responses((status = 200, body = BulkOut), (status = 422)))]
#[post("/api/v1/staff/complaints/bulk")]
pub async fn api_bulk(
    state: State,
    lang: Lang,
    Admitted(ActingApi(user), body): Admitted<ActingApi, crate::web::request_checks::Json<BulkIn>>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(bulk(&state, &user, &body, lang).await?))
}
