//! Public unit registry JSON and the staff "who am I / my unit" endpoints.
use actix_web::{HttpResponse, get, web};
use serde::Serialize;

use crate::store;
use crate::store::units::UnitView;
use crate::web::auth::StaffApi;
use crate::web::error::ApiError;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_units)
        .service(get_unit)
        .service(me)
        .service(staff_unit);
}

#[utoipa::path(get, path = "/api/v1/units", tag = "public",
    responses((status = 200, description = "Active service units with agency and services", body = [UnitView])))]
#[get("/api/v1/units")]
pub async fn list_units(state: State) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(store::units::list(&state.db, false).await?))
}

#[utoipa::path(get, path = "/api/v1/units/{slug}", tag = "public",
    params(("slug" = String, Path, description = "Unit slug")),
    responses((status = 200, body = UnitView), (status = 404, body = crate::web::error::ErrorBody)))]
#[get("/api/v1/units/{slug}")]
pub async fn get_unit(state: State, slug: web::Path<String>) -> Result<HttpResponse, ApiError> {
    match store::units::view_by_slug(&state.db, &slug, false).await? {
        Some((u, v)) if u.archived_at.is_none() => Ok(HttpResponse::Ok().json(v)),
        _ => Err(ApiError::NotFound),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub email: String,
    pub name: String,
    /// `admin`, `supervisor` or `planner`.
    pub role: String,
    /// Slugs of the units a supervisor is scoped to.
    pub units: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/staff/me", tag = "staff", security(("staff" = ["admin", "supervisor", "planner"])),
    responses((status = 200, body = Me), (status = 401, body = crate::web::error::ErrorBody)))]
#[get("/api/v1/staff/me")]
pub async fn me(state: State, StaffApi(user): StaffApi) -> Result<HttpResponse, ApiError> {
    let mut units = vec![];
    for id in &user.unit_ids {
        if let Some(u) = store::units::by_id(&state.db, *id).await? {
            units.push(u.slug);
        }
    }
    Ok(HttpResponse::Ok().json(Me {
        email: user.email,
        name: user.name,
        role: user.role.as_str().into(),
        units,
    }))
}

#[utoipa::path(get, path = "/api/v1/staff/units/{slug}", tag = "staff", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("slug" = String, Path)),
    responses((status = 200, body = UnitView), (status = 404, description = "No such unit, or not one of yours", body = crate::web::error::ErrorBody)))]
#[get("/api/v1/staff/units/{slug}")]
pub async fn staff_unit(
    state: State,
    StaffApi(user): StaffApi,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    match store::units::view_by_slug(&state.db, &slug, true).await? {
        Some((u, v)) if user.sees_unit(u.id) => Ok(HttpResponse::Ok().json(v)),
        _ => Err(ApiError::NotFound),
    }
}
