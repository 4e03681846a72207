//! Administrator JSON API: the unit registry and survey definitions.
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use serde::Deserialize;
use validator::Validate;

use crate::domain::registry::{AgencyInput, ServiceInput, UnitInput};
use crate::domain::survey::{Definition, check_definition};
use crate::domain::validation::from_validator;
use crate::i18n::Lang;
use crate::state::State;
use crate::store::{
    self, is_unique_violation, units::AgencyView, units::ServiceView, units::UnitView,
};
use crate::web::auth::StaffApi;
use crate::web::error::ApiError;
use crate::web::translate;

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
        .service(archive_service)
        .service(list_surveys)
        .service(create_survey)
        .service(add_version)
        .service(publish_version)
        .service(assign_survey)
        .service(list_holidays)
        .service(put_holiday)
        .service(delete_holiday);
}

fn check<T: Validate>(input: &T, lang: Lang) -> Result<(), ApiError> {
    input
        .validate()
        .map_err(|e| ApiError::Validation(translate(&from_validator(&e), lang)))
}

fn taken(e: sea_orm::DbErr, field: &str, lang: Lang) -> ApiError {
    if is_unique_violation(&e) {
        ApiError::field(field, lang.t("v_taken"))
    } else {
        e.into()
    }
}

#[utoipa::path(get, path = "/api/v1/admin/agencies", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = [AgencyView])))]
#[get("/api/v1/admin/agencies")]
pub async fn list_agencies(state: State, StaffApi(u): StaffApi) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let a: Vec<AgencyView> = store::units::agencies(&state.db, true)
        .await?
        .iter()
        .map(Into::into)
        .collect();
    Ok(HttpResponse::Ok().json(a))
}

#[utoipa::path(post, path = "/api/v1/admin/agencies", tag = "admin", security(("bearer" = [])), request_body = crate::web::openapi::NewAgency,
    responses((status = 201, body = AgencyView), (status = 422, body = crate::web::error::ErrorBody)))]
#[post("/api/v1/admin/agencies")]
pub async fn create_agency(
    state: State,
    StaffApi(u): StaffApi,
    lang: Lang,
    body: crate::web::boundary::Json<AgencyInput>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let mut problems = crate::domain::validation::Problems::new();
    if body.slug.is_none() {
        problems.insert("slug".into(), "v_required");
    }
    if body.name.is_none() {
        problems.insert("name".into(), "v_required");
    }
    if let Err(e) = body.validate() {
        problems.extend(from_validator(&e));
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(translate(&problems, lang)));
    }
    let a = store::units::create_agency(
        &state.db,
        body.slug.as_deref().unwrap_or_default(),
        body.name.as_deref().unwrap_or_default(),
    )
    .await
    .map_err(|e| taken(e, "slug", lang))?;
    Ok(HttpResponse::Created().json(AgencyView::from(&a)))
}

#[utoipa::path(patch, path = "/api/v1/admin/agencies/{slug}", tag = "admin", security(("bearer" = [])), request_body = AgencyInput,
    params(("slug" = String, Path)), responses((status = 200, body = AgencyView), (status = 404), (status = 422)))]
#[patch("/api/v1/admin/agencies/{slug}")]
pub async fn patch_agency(
    state: State,
    StaffApi(u): StaffApi,
    lang: Lang,
    slug: web::Path<String>,
    body: crate::web::boundary::Json<AgencyInput>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    check(&*body, lang)?;
    let a = store::units::agency_by_slug(&state.db, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    let a = store::units::update_agency(&state.db, a, body.slug.as_deref(), body.name.as_deref())
        .await
        .map_err(|e| taken(e, "slug", lang))?;
    Ok(HttpResponse::Ok().json(AgencyView::from(&a)))
}

#[utoipa::path(delete, path = "/api/v1/admin/agencies/{slug}", tag = "admin", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 204, description = "Archived"), (status = 404)))]
#[delete("/api/v1/admin/agencies/{slug}")]
pub async fn archive_agency(
    state: State,
    StaffApi(u): StaffApi,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let a = store::units::agency_by_slug(&state.db, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    store::units::set_agency_archived(&state.db, a, true).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/admin/units", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "All units, archived ones included", body = [UnitView])))]
#[get("/api/v1/admin/units")]
pub async fn admin_list_units(
    state: State,
    StaffApi(u): StaffApi,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    Ok(HttpResponse::Ok().json(store::units::list(&state.db, true).await?))
}

/// Validates a unit body; `create` also requires the fields a new unit needs. Returns the agency id named.
pub async fn check_unit(
    state: &State,
    i: &UnitInput,
    create: bool,
    lang: Lang,
) -> Result<Option<i32>, ApiError> {
    let mut problems = crate::domain::validation::Problems::new();
    if create {
        for f in i.missing_for_create() {
            problems.insert(f.into(), "v_required");
        }
    }
    if let Err(e) = i.validate() {
        problems.extend(from_validator(&e));
    }
    let mut agency_id = None;
    if let Some(a) = &i.agency {
        match store::units::agency_by_slug(&state.db, a).await? {
            Some(a) if a.archived_at.is_none() => agency_id = Some(a.id),
            _ => {
                problems.insert("agency".into(), "v_unknown_agency");
            }
        }
    }
    if problems.is_empty() {
        Ok(agency_id)
    } else {
        Err(ApiError::Validation(translate(&problems, lang)))
    }
}

pub async fn unit_view(state: &State, slug: &str) -> Result<UnitView, ApiError> {
    Ok(store::units::view_by_slug(&state.db, slug, true)
        .await?
        .ok_or(ApiError::NotFound)?
        .1)
}

#[utoipa::path(post, path = "/api/v1/admin/units", tag = "admin", security(("bearer" = [])), request_body = crate::web::openapi::NewUnit,
    responses((status = 201, body = UnitView), (status = 422, body = crate::web::error::ErrorBody)))]
#[post("/api/v1/admin/units")]
pub async fn create_unit(
    state: State,
    StaffApi(u): StaffApi,
    lang: Lang,
    body: crate::web::boundary::Json<UnitInput>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let agency_id = check_unit(&state, &body, true, lang)
        .await?
        .ok_or(ApiError::NotFound)?;
    let unit = store::units::create(&state.db, agency_id, &body)
        .await
        .map_err(|e| taken(e, "slug", lang))?;
    Ok(HttpResponse::Created().json(unit_view(&state, &unit.slug).await?))
}

#[utoipa::path(patch, path = "/api/v1/admin/units/{slug}", tag = "admin", security(("bearer" = [])), request_body = UnitInput,
    params(("slug" = String, Path)), responses((status = 200, body = UnitView), (status = 404), (status = 422)))]
#[patch("/api/v1/admin/units/{slug}")]
pub async fn patch_unit(
    state: State,
    StaffApi(u): StaffApi,
    lang: Lang,
    slug: web::Path<String>,
    body: crate::web::boundary::Json<UnitInput>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let unit = store::units::by_slug(&state.db, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    let agency_id = check_unit(&state, &body, false, lang).await?;
    let unit = store::units::update(&state.db, unit, agency_id, &body)
        .await
        .map_err(|e| taken(e, "slug", lang))?;
    Ok(HttpResponse::Ok().json(unit_view(&state, &unit.slug).await?))
}

#[utoipa::path(delete, path = "/api/v1/admin/units/{slug}", tag = "admin", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 204, description = "Archived: hidden from citizens, data kept"), (status = 404)))]
#[delete("/api/v1/admin/units/{slug}")]
pub async fn archive_unit(
    state: State,
    StaffApi(u): StaffApi,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let unit = store::units::by_slug(&state.db, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    store::units::set_archived(&state.db, unit, true).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/admin/units/{slug}/services", tag = "admin", security(("bearer" = [])),
    params(("slug" = String, Path)), responses((status = 200, body = [ServiceView]), (status = 404)))]
#[get("/api/v1/admin/units/{slug}/services")]
pub async fn list_services(
    state: State,
    StaffApi(u): StaffApi,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
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

pub fn check_service(i: &ServiceInput, create: bool, lang: Lang) -> Result<(), ApiError> {
    let mut problems = crate::domain::validation::Problems::new();
    if create && i.slug.is_none() {
        problems.insert("slug".into(), "v_required");
    }
    if create && i.name.is_none() {
        problems.insert("name".into(), "v_required");
    }
    if let Err(e) = i.validate() {
        problems.extend(from_validator(&e));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(translate(&problems, lang)))
    }
}

#[utoipa::path(post, path = "/api/v1/admin/units/{slug}/services", tag = "admin", security(("bearer" = [])), request_body = crate::web::openapi::NewService,
    params(("slug" = String, Path)), responses((status = 201, body = ServiceView), (status = 404), (status = 422)))]
#[post("/api/v1/admin/units/{slug}/services")]
pub async fn create_service(
    state: State,
    StaffApi(u): StaffApi,
    lang: Lang,
    slug: web::Path<String>,
    body: crate::web::boundary::Json<ServiceInput>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let unit = store::units::by_slug(&state.db, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    check_service(&body, true, lang)?;
    let s = store::units::create_service(&state.db, unit.id, &body)
        .await
        .map_err(|e| taken(e, "slug", lang))?;
    Ok(HttpResponse::Created().json(ServiceView::from(&s)))
}

#[utoipa::path(patch, path = "/api/v1/admin/units/{slug}/services/{service}", tag = "admin", security(("bearer" = [])), request_body = ServiceInput,
    params(("slug" = String, Path), ("service" = String, Path)), responses((status = 200, body = ServiceView), (status = 404), (status = 422)))]
#[patch("/api/v1/admin/units/{slug}/services/{service}")]
pub async fn patch_service(
    state: State,
    StaffApi(u): StaffApi,
    lang: Lang,
    path: web::Path<(String, String)>,
    body: crate::web::boundary::Json<ServiceInput>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let unit = store::units::by_slug(&state.db, &path.0)
        .await?
        .ok_or(ApiError::NotFound)?;
    let s = store::units::service_by_slug(&state.db, unit.id, &path.1)
        .await?
        .ok_or(ApiError::NotFound)?;
    check_service(&body, false, lang)?;
    let s = store::units::update_service(&state.db, s, &body)
        .await
        .map_err(|e| taken(e, "slug", lang))?;
    Ok(HttpResponse::Ok().json(ServiceView::from(&s)))
}

#[utoipa::path(delete, path = "/api/v1/admin/units/{slug}/services/{service}", tag = "admin", security(("bearer" = [])),
    params(("slug" = String, Path), ("service" = String, Path)), responses((status = 204), (status = 404)))]
#[delete("/api/v1/admin/units/{slug}/services/{service}")]
pub async fn archive_service(
    state: State,
    StaffApi(u): StaffApi,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let unit = store::units::by_slug(&state.db, &path.0)
        .await?
        .ok_or(ApiError::NotFound)?;
    let s = store::units::service_by_slug(&state.db, unit.id, &path.1)
        .await?
        .ok_or(ApiError::NotFound)?;
    store::units::set_service_archived(&state.db, s, true).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SurveyVersionOut {
    pub version: i32,
    /// `draft`, `published` or `retired`.
    pub status: String,
    pub definition: Definition,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = AdminSurveyOut)]
pub struct SurveyOut {
    pub code: String,
    pub name: String,
    pub versions: Vec<SurveyVersionOut>,
}

pub async fn survey_out(state: &State, s: entity::survey::Model) -> Result<SurveyOut, ApiError> {
    let mut versions = vec![];
    for v in store::surveys::versions(&state.db, s.id).await? {
        versions.push(SurveyVersionOut {
            version: v.version,
            status: v.status.clone(),
            definition: store::surveys::parse_definition(&v)?,
        });
    }
    Ok(SurveyOut {
        code: s.code,
        name: s.name,
        versions,
    })
}

#[utoipa::path(get, path = "/api/v1/admin/surveys", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = [SurveyOut])))]
#[get("/api/v1/admin/surveys")]
pub async fn list_surveys(state: State, StaffApi(u): StaffApi) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let mut out = vec![];
    for s in store::surveys::all(&state.db).await? {
        out.push(survey_out(&state, s).await?);
    }
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewSurvey {
    pub code: String,
    pub name: String,
    pub definition: Definition,
    /// Publish the first version at once.
    #[serde(default)]
    pub publish: bool,
}

fn check_def(def: &Definition) -> Result<(), ApiError> {
    check_definition(def).map_err(|m| ApiError::field("definition", m))
}

#[utoipa::path(post, path = "/api/v1/admin/surveys", tag = "admin", security(("bearer" = [])), request_body = NewSurvey,
    responses((status = 201, body = SurveyOut), (status = 422)))]
#[post("/api/v1/admin/surveys")]
pub async fn create_survey(
    state: State,
    StaffApi(u): StaffApi,
    lang: Lang,
    body: crate::web::boundary::Json<NewSurvey>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    if crate::domain::registry::validate_slug(&body.code).is_err() {
        return Err(ApiError::field("code", lang.t("v_slug")));
    }
    check_def(&body.definition)?;
    let txn = crate::bootstrap::db::begin_write(&state.db).await?;
    let s = store::surveys::create(&txn, &body.code, body.name.trim())
        .await
        .map_err(|e| taken(e, "code", lang))?;
    let v = store::surveys::add_version(&txn, s.id, &body.definition).await?;
    if body.publish {
        store::surveys::publish(&txn, &v).await?;
    }
    txn.commit().await?;
    Ok(HttpResponse::Created().json(survey_out(&state, s).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/surveys/{code}/versions", tag = "admin", security(("bearer" = [])), request_body = Definition,
    params(("code" = String, Path)),
    responses((status = 201, description = "A new draft version; published versions are never edited", body = SurveyVersionOut), (status = 404), (status = 422)))]
#[post("/api/v1/admin/surveys/{code}/versions")]
pub async fn add_version(
    state: State,
    StaffApi(u): StaffApi,
    code: web::Path<String>,
    body: crate::web::boundary::Json<Definition>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let s = store::surveys::by_code(&state.db, &code)
        .await?
        .ok_or(ApiError::NotFound)?;
    check_def(&body)?;
    let v = store::surveys::add_version(&state.db, s.id, &body).await?;
    Ok(HttpResponse::Created().json(SurveyVersionOut {
        version: v.version,
        status: v.status,
        definition: body.into_inner(),
    }))
}

#[utoipa::path(post, path = "/api/v1/admin/surveys/{code}/versions/{version}/publish", tag = "admin", security(("bearer" = [])),
    params(("code" = String, Path), ("version" = i32, Path)), responses((status = 204), (status = 404), (status = 409)))]
#[post("/api/v1/admin/surveys/{code}/versions/{version}/publish")]
pub async fn publish_version(
    state: State,
    StaffApi(u): StaffApi,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let s = store::surveys::by_code(&state.db, &path.0)
        .await?
        .ok_or(ApiError::NotFound)?;
    let v = store::surveys::versions(&state.db, s.id)
        .await?
        .into_iter()
        .find(|v| v.version == path.1)
        .ok_or(ApiError::NotFound)?;
    if v.status != store::surveys::DRAFT {
        return Err(ApiError::Conflict(format!(
            "version {} is {}, only a draft can be published",
            v.version, v.status
        )));
    }
    let txn = crate::bootstrap::db::begin_write(&state.db).await?;
    store::surveys::publish(&txn, &v).await?;
    txn.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Assignment {
    /// Survey code.
    pub survey: String,
    /// Accept responses only with a one-time code printed by the unit.
    #[serde(default)]
    pub require_code: bool,
}

#[utoipa::path(put, path = "/api/v1/admin/units/{slug}/survey", tag = "admin", security(("bearer" = [])), request_body = Assignment,
    params(("slug" = String, Path)), responses((status = 204), (status = 404), (status = 422)))]
#[put("/api/v1/admin/units/{slug}/survey")]
pub async fn assign_survey(
    state: State,
    StaffApi(u): StaffApi,
    lang: Lang,
    slug: web::Path<String>,
    body: crate::web::boundary::Json<Assignment>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let unit = store::units::by_slug(&state.db, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    let s = store::surveys::by_code(&state.db, &body.survey)
        .await?
        .ok_or_else(|| ApiError::field("survey", lang.t("v_choice")))?;
    store::surveys::assign(&state.db, unit.id, s.id, body.require_code).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct HolidayOut {
    pub date: chrono::NaiveDate,
    pub name: String,
    /// `libur_nasional` or `cuti_bersama`.
    pub kind: String,
}

#[utoipa::path(get, path = "/api/v1/admin/holidays", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "The calendar working-day deadlines skip", body = [HolidayOut])))]
#[get("/api/v1/admin/holidays")]
pub async fn list_holidays(state: State, StaffApi(u): StaffApi) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let out: Vec<HolidayOut> = store::complaints::holidays(&state.db)
        .await?
        .into_iter()
        .map(|h| HolidayOut {
            date: h.date,
            name: h.name,
            kind: h.kind,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct HolidayIn {
    pub name: String,
    /// `libur_nasional` or `cuti_bersama`.
    pub kind: String,
}

fn parse_day(s: &str, lang: Lang) -> Result<chrono::NaiveDate, ApiError> {
    crate::domain::validation::parse_date(s).map_err(|k| ApiError::field("date", lang.t(k)))
}

#[utoipa::path(put, path = "/api/v1/admin/holidays/{date}", tag = "admin", security(("bearer" = [])), request_body = HolidayIn,
    params(("date" = String, Path, description = "YYYY-MM-DD")), responses((status = 204), (status = 422, description = "Not a date, or invalid fields")))]
#[put("/api/v1/admin/holidays/{date}")]
pub async fn put_holiday(
    state: State,
    StaffApi(u): StaffApi,
    lang: Lang,
    date: web::Path<String>,
    body: crate::web::boundary::Json<HolidayIn>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    let day = parse_day(&date, lang)?;
    if !["libur_nasional", "cuti_bersama"].contains(&body.kind.as_str()) {
        return Err(ApiError::field("kind", lang.t("v_choice")));
    }
    if body.name.trim().is_empty() || body.name.len() > 200 {
        return Err(ApiError::field("name", lang.t("v_required")));
    }
    store::complaints::set_holiday(&state.db, day, body.name.trim(), &body.kind).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(delete, path = "/api/v1/admin/holidays/{date}", tag = "admin", security(("bearer" = [])),
    params(("date" = String, Path, description = "YYYY-MM-DD")), responses((status = 204), (status = 404), (status = 422, description = "Not a date")))]
#[delete("/api/v1/admin/holidays/{date}")]
pub async fn delete_holiday(
    state: State,
    StaffApi(u): StaffApi,
    lang: Lang,
    date: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    u.require_admin()?;
    if store::complaints::delete_holiday(&state.db, parse_day(&date, lang)?).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound)
    }
}
