//! Administrator JSON API for the unit registry: agencies, their service units and the units'
//! services. The use cases are in [`crate::service::registry`]; this file parses and answers.
use actix_web::{HttpResponse, delete, get, patch, post, web};

use crate::domain::registry::{AgencyInput, ServiceInput, UnitInput};
use crate::domain::validation::Problems;
use crate::i18n::Lang;
use crate::service::registry::{self, Fields};
use crate::store::{self, units::AgencyView, units::ServiceView, units::UnitView};
use crate::web::auth::{AdminApi, Admitted};
use crate::web::error::ApiError;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_agencies)
        .service(create_agency)
        .service(patch_agency)
        .service(archive_agency)
        .service(admin_list_units)
        .service(create_unit)
        .service(patch_unit)
        .service(archive_unit)
        .service(list_services)
        .service(create_service)
        .service(patch_service)
        .service(archive_service);
}

#[utoipa::path(get, path = "/api/v1/admin/agencies", tag = "admin", security(("staff" = ["admin"])),
    responses((status = 200, body = [AgencyView])))]
#[get("/api/v1/admin/agencies")]
pub async fn list_agencies(state: State, _admin: AdminApi) -> Result<HttpResponse, ApiError> {
    let a: Vec<AgencyView> = store::units::agencies(&state.db, true)
        .await?
        .iter()
        .map(Into::into)
        .collect();
    Ok(HttpResponse::Ok().json(a))
}

#[utoipa::path(post, path = "/api/v1/admin/agencies", tag = "admin", security(("staff" = ["admin"])), request_body = NewAgency,
    responses((status = 201, body = AgencyView), (status = 422, body = crate::web::error::ErrorBody)))]
#[post("/api/v1/admin/agencies")]
pub async fn create_agency(
    state: State,
    lang: Lang,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<AgencyInput>>,
) -> Result<HttpResponse, ApiError> {
    let a = registry::create_agency(&state.db, &body)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Created().json(AgencyView::from(&a)))
}

#[utoipa::path(patch, path = "/api/v1/admin/agencies/{slug}", tag = "admin", security(("staff" = ["admin"])), request_body = AgencyInput,
    params(("slug" = String, Path)), responses((status = 200, body = AgencyView), (status = 404), (status = 422)))]
#[patch("/api/v1/admin/agencies/{slug}")]
pub async fn patch_agency(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<AgencyInput>>,
) -> Result<HttpResponse, ApiError> {
    let a = registry::update_agency(&state.db, &slug, &body)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(AgencyView::from(&a)))
}

#[utoipa::path(delete, path = "/api/v1/admin/agencies/{slug}", tag = "admin", security(("staff" = ["admin"])),
    params(("slug" = String, Path)), responses((status = 204, description = "Archived"), (status = 404)))]
#[delete("/api/v1/admin/agencies/{slug}")]
pub async fn archive_agency(
    state: State,
    _admin: AdminApi,
    lang: Lang,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    registry::archive_agency(&state.db, &slug)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/admin/units", tag = "admin", security(("staff" = ["admin"])),
    responses((status = 200, description = "All units, archived ones included", body = [UnitView])))]
#[get("/api/v1/admin/units")]
pub async fn admin_list_units(state: State, _admin: AdminApi) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(store::units::list(&state.db, true).await?))
}

async fn unit_view(state: &State, slug: &str) -> Result<UnitView, ApiError> {
    Ok(store::units::view_by_slug(&state.db, slug, true)
        .await?
        .ok_or(ApiError::NotFound)?
        .1)
}

#[utoipa::path(post, path = "/api/v1/admin/units", tag = "admin", security(("staff" = ["admin"])), request_body = NewUnit,
    responses((status = 201, body = UnitView), (status = 422, body = crate::web::error::ErrorBody)))]
#[post("/api/v1/admin/units")]
pub async fn create_unit(
    state: State,
    lang: Lang,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<UnitInput>>,
) -> Result<HttpResponse, ApiError> {
    let unit = registry::create_unit(&state.db, &body, Problems::new())
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Created().json(unit_view(&state, &unit.slug).await?))
}

#[utoipa::path(patch, path = "/api/v1/admin/units/{slug}", tag = "admin", security(("staff" = ["admin"])), request_body = UnitInput,
    params(("slug" = String, Path)), responses((status = 200, body = UnitView), (status = 404), (status = 422)))]
#[patch("/api/v1/admin/units/{slug}")]
pub async fn patch_unit(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<UnitInput>>,
) -> Result<HttpResponse, ApiError> {
    let unit = registry::update_unit(&state.db, &slug, &body, Fields::Named, Problems::new())
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(unit_view(&state, &unit.slug).await?))
}

#[utoipa::path(delete, path = "/api/v1/admin/units/{slug}", tag = "admin", security(("staff" = ["admin"])),
    params(("slug" = String, Path)), responses((status = 204, description = "Archived: hidden from citizens, data kept"), (status = 404)))]
#[delete("/api/v1/admin/units/{slug}")]
pub async fn archive_unit(
    state: State,
    _admin: AdminApi,
    lang: Lang,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    registry::archive_unit(&state.db, &slug)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/admin/units/{slug}/services", tag = "admin", security(("staff" = ["admin"])),
    params(("slug" = String, Path)), responses((status = 200, body = [ServiceView]), (status = 404)))]
#[get("/api/v1/admin/units/{slug}/services")]
pub async fn list_services(
    state: State,
    _admin: AdminApi,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let unit = store::units::by_slug(&state.db, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    let s: Vec<ServiceView> = store::units::services(&state.db, unit.id, true)
        .await?
        .iter()
        .map(Into::into)
        .collect();
    Ok(HttpResponse::Ok().json(s))
}

#[utoipa::path(post, path = "/api/v1/admin/units/{slug}/services", tag = "admin", security(("staff" = ["admin"])), request_body = NewService,
    params(("slug" = String, Path)), responses((status = 201, body = ServiceView), (status = 404), (status = 422)))]
#[post("/api/v1/admin/units/{slug}/services")]
pub async fn create_service(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<ServiceInput>>,
) -> Result<HttpResponse, ApiError> {
    let s = registry::create_service(&state.db, &slug, &body, Problems::new())
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Created().json(ServiceView::from(&s)))
}

#[utoipa::path(patch, path = "/api/v1/admin/units/{slug}/services/{service}", tag = "admin", security(("staff" = ["admin"])), request_body = ServiceInput,
    params(("slug" = String, Path), ("service" = String, Path)), responses((status = 200, body = ServiceView), (status = 404), (status = 422)))]
#[patch("/api/v1/admin/units/{slug}/services/{service}")]
pub async fn patch_service(
    state: State,
    lang: Lang,
    path: web::Path<(String, String)>,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<ServiceInput>>,
) -> Result<HttpResponse, ApiError> {
    let (_, s) = registry::update_service(
        &state.db,
        &path.0,
        &path.1,
        &body,
        Fields::Named,
        Problems::new(),
    )
    .await
    .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(ServiceView::from(&s)))
}

#[utoipa::path(delete, path = "/api/v1/admin/units/{slug}/services/{service}", tag = "admin", security(("staff" = ["admin"])),
    params(("slug" = String, Path), ("service" = String, Path)), responses((status = 204), (status = 404)))]
#[delete("/api/v1/admin/units/{slug}/services/{service}")]
pub async fn archive_service(
    state: State,
    _admin: AdminApi,
    lang: Lang,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    registry::archive_service(&state.db, &path.0, &path.1)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::NoContent().finish())
}

// Request bodies of the create operations. The handlers share one input type between create
// and PATCH (where every field is optional) and require these fields themselves; these types
// only tell the document what a create must carry. `tests/api/openapi.rs` keeps their fields
// in step with the real input types.

/// A new agency.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewAgency {
    /// Lower-case letters, digits and single hyphens, 3–64 characters.
    slug: String,
    /// 3–200 characters.
    name: String,
}

/// A new service unit.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewUnit {
    /// Agency slug.
    agency: String,
    slug: String,
    /// 3–200 characters.
    name: String,
    /// One of `rumah_sakit`, `puskesmas`, `dukcapil`, `perizinan`, `samsat`, `kantor_pelayanan`, `lainnya`.
    kind: String,
    address: Option<String>,
    staff_count: Option<i32>,
    monthly_visitors: Option<i32>,
}

/// A new service of a unit.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewService {
    slug: String,
    /// 3–200 characters.
    name: String,
    /// Declared completion time at the counter, in minutes.
    standard_minutes: Option<i32>,
    /// Declared completion time, in working days.
    standard_days: Option<i32>,
    /// Declared fee in rupiah (0 = free).
    fee_rupiah: Option<i64>,
}
