//! Follow-up plans (RTL) over JSON: a unit's items (by year and status), one item, created by
//! hand or drafted from a closed period's evidence, changed field by field. Supervisors of the
//! unit, planners and administrators; 404 for anyone else; 422 per field.
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, get, patch, post, put, web};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;

use crate::bootstrap::state::AppState;
use crate::web::auth::CurrentUser;

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

/// The unit `{slug}` names, for a caller who sees it (its supervisors, planners, admins); 404
/// for anyone else — before the query or the body is read, so another unit's caller never
/// hears what was wrong with their input.
pub struct SeenUnit(pub CurrentUser);

impl FromRequest for SeenUnit {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let staff = StaffApi::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let slug = req.match_info().get("slug").map(str::to_string);
        Box::pin(async move {
            let StaffApi(user) = staff.await?;
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
            let slug = slug.ok_or(ApiError::NotFound)?;
            follow_ups::seen_unit(&state, &user, &slug)
                .await
                .map_err(|e| ApiError::from_service(e, Lang::Id))?;
            Ok(SeenUnit(user))
        })
    }
}

/// The follow-up item `{id}` names, for a caller who sees its unit; 404 otherwise, first.
pub struct SeenItem(pub CurrentUser);

impl FromRequest for SeenItem {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let staff = StaffApi::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let id = req.match_info().get("id").map(str::to_string);
        Box::pin(async move {
            let StaffApi(user) = staff.await?;
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
            let id = id.ok_or(ApiError::NotFound)?;
            follow_ups::seen_item(&state, &user, &id)
                .await
                .map_err(|e| ApiError::from_service(e, Lang::Id))?;
            Ok(SeenItem(user))
        })
    }
}

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
    lang: Lang,
    slug: web::Path<String>,
    Admitted(SeenUnit(user), q): Admitted<SeenUnit, web::Query<ListQuery>>,
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
    Admitted(SeenUnit(user), body): Admitted<SeenUnit, Json<FollowUpIn>>,
) -> Result<HttpResponse, ApiError> {
    let item = follow_ups::create(&state, &user, &slug, &body, lang)
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
    Admitted(SeenUnit(user), body): Admitted<SeenUnit, Json<DraftIn>>,
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
    SeenItem(user): SeenItem,
    lang: Lang,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let item = follow_ups::get(&state, &user, &id, lang)
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
    Admitted(SeenItem(user), body): Admitted<SeenItem, Json<FollowUpIn>>,
) -> Result<HttpResponse, ApiError> {
    let item = follow_ups::update(&state, &user, &id, &body, lang)
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
    lang: Lang,
    slug: web::Path<String>,
    Admitted(SeenUnit(user), q): Admitted<SeenUnit, web::Query<YearQuery>>,
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
    Admitted(SeenUnit(user), body): Admitted<SeenUnit, Json<MediaIn>>,
) -> Result<HttpResponse, ApiError> {
    let media = follow_ups::set_media(&state, &user, &slug, &body)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(media))
}
