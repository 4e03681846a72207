//! Follow-up plans (RTL) over JSON: a unit's items (by year and status), one item, created by
//! hand or drafted from a closed period's evidence, changed field by field. Supervisors of the
//! unit, planners and administrators; 404 for anyone else; 422 per field.
use actix_web::{HttpResponse, get, patch, post, put, web};
use serde::Deserialize;

use crate::i18n::Lang;
use crate::service::follow_ups::{
    self, DraftIn, Drafted, FollowUpIn, FollowUpOut, MediaIn, Pekppp,
};
use crate::web::auth::{Admitted, StaffApi};
use crate::web::error::ApiError;
use crate::web::request_checks::Json;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(draft)
        .service(get_one)
        .service(update)
        .service(pekppp)
        .service(publication_media);
}

/// The follow-up operations in the OpenAPI document (see [`crate::web::openapi`]).
#[derive(utoipa::OpenApi)]
#[openapi(paths(list, create, draft, get_one, update, pekppp, publication_media))]
pub struct Api;

#[derive(Deserialize)]
pub struct ListQuery {
    pub year: Option<String>,
    pub status: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/units/{slug}/follow-ups", tag = "follow-up", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("slug" = String, Path), ("year" = Option<i32>, Query, description = "periods ending in this year"),
        ("status" = Option<String>, Query, description = "planned, in_progress, done or cancelled")),
    responses((status = 200, body = [FollowUpOut]), (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[get("/api/v1/units/{slug}/follow-ups")]
pub async fn list(
    state: State,
    StaffApi(user): StaffApi,
    lang: Lang,
    slug: web::Path<String>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => None,
        Some(y) => Some(
            y.parse::<i32>()
                .map_err(|_| ApiError::field("year", lang.t("v_range")))?,
        ),
    };
    let status = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let items = follow_ups::list(&state, &user, &slug, year, status, lang)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(items))
}

#[utoipa::path(post, path = "/api/v1/units/{slug}/follow-ups", tag = "follow-up", security(("staff" = ["admin", "supervisor", "planner"])),
    request_body = FollowUpIn, params(("slug" = String, Path)),
    responses((status = 201, body = FollowUpOut), (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[post("/api/v1/units/{slug}/follow-ups")]
pub async fn create(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    Admitted(StaffApi(user), body): Admitted<StaffApi, Json<FollowUpIn>>,
) -> Result<HttpResponse, ApiError> {
    let item = follow_ups::create(&state, &user, &slug, &body)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Created().json(item))
}

#[utoipa::path(post, path = "/api/v1/units/{slug}/follow-ups/draft", tag = "follow-up", security(("staff" = ["admin", "supervisor", "planner"])),
    request_body = DraftIn, params(("slug" = String, Path)),
    responses((status = 200, body = Drafted, description = "One item per element for the two lowest-NRR elements of the closed period, with the numbers behind it; drafting again adds nothing"),
        (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[post("/api/v1/units/{slug}/follow-ups/draft")]
pub async fn draft(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    Admitted(StaffApi(user), body): Admitted<StaffApi, Json<DraftIn>>,
) -> Result<HttpResponse, ApiError> {
    let drafted = follow_ups::draft(&state, &user, &slug, &body, lang)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(drafted))
}

#[utoipa::path(get, path = "/api/v1/follow-ups/{id}", tag = "follow-up", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("id" = i32, Path)), responses((status = 200, body = FollowUpOut), (status = 404)))]
#[get("/api/v1/follow-ups/{id}")]
pub async fn get_one(
    state: State,
    StaffApi(user): StaffApi,
    lang: Lang,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let item = follow_ups::get(&state, &user, &id)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(item))
}

#[utoipa::path(patch, path = "/api/v1/follow-ups/{id}", tag = "follow-up", security(("staff" = ["admin", "supervisor", "planner"])),
    request_body = FollowUpIn, params(("id" = i32, Path)),
    responses((status = 200, body = FollowUpOut), (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[patch("/api/v1/follow-ups/{id}")]
pub async fn update(
    state: State,
    lang: Lang,
    id: web::Path<String>,
    Admitted(StaffApi(user), body): Admitted<StaffApi, Json<FollowUpIn>>,
) -> Result<HttpResponse, ApiError> {
    let item = follow_ups::update(&state, &user, &id, &body)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(item))
}

#[derive(Deserialize)]
pub struct YearQuery {
    pub year: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/units/{slug}/pekppp", tag = "follow-up", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("slug" = String, Path), ("year" = Option<i32>, Query, description = "default this year")),
    responses((status = 200, body = Pekppp, description = "Indicators 6–9 of the yearly evaluation with their score (0–5) and the evidence behind each"),
        (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[get("/api/v1/units/{slug}/pekppp")]
pub async fn pekppp(
    state: State,
    StaffApi(user): StaffApi,
    lang: Lang,
    slug: web::Path<String>,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, ApiError> {
    use chrono::Datelike;
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => crate::service::today_wib().year(),
        Some(y) => y
            .parse::<i32>()
            .map_err(|_| ApiError::field("year", lang.t("v_range")))?,
    };
    let p = follow_ups::pekppp(&state, &user, &slug, year, lang)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(p))
}

#[utoipa::path(put, path = "/api/v1/units/{slug}/publication-media", tag = "follow-up", security(("staff" = ["admin", "supervisor", "planner"])),
    request_body = MediaIn, params(("slug" = String, Path)),
    responses((status = 200, body = MediaIn, description = "The unit's publication media as recorded"), (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[put("/api/v1/units/{slug}/publication-media")]
pub async fn publication_media(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    Admitted(StaffApi(user), body): Admitted<StaffApi, Json<MediaIn>>,
) -> Result<HttpResponse, ApiError> {
    let media = follow_ups::set_media(&state, &user, &slug, &body)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(media))
}
