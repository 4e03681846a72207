//! Administrator JSON API for survey definitions: list, create, add a draft version, publish it,
//! and assign a survey to a unit.
use actix_web::{HttpResponse, get, post, put, web};
use serde::Deserialize;

use crate::domain::survey::Definition;
use crate::i18n::Lang;
use crate::service::survey_registry;
use crate::store;
use crate::web::auth::{AdminApi, Admitted};
use crate::web::error::ApiError;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_surveys)
        .service(create_survey)
        .service(add_version)
        .service(publish_version)
        .service(assign_survey);
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

#[utoipa::path(get, path = "/api/v1/admin/surveys", tag = "admin", security(("staff" = ["admin"])),
    responses((status = 200, body = [SurveyOut])))]
#[get("/api/v1/admin/surveys")]
pub async fn list_surveys(state: State, _admin: AdminApi) -> Result<HttpResponse, ApiError> {
    let mut out = vec![];
    for s in store::surveys::all(&state.db).await? {
        out.push(survey_out(&state, s).await?);
    }
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewSurvey {
    pub code: String,
    /// 3 to 200 characters once trimmed (the same rule as the admin page's).
    #[schema(min_length = 3, max_length = 200)]
    pub name: String,
    pub definition: Definition,
    /// Publish the first version at once.
    #[serde(default)]
    pub publish: bool,
}

#[utoipa::path(post, path = "/api/v1/admin/surveys", tag = "admin", security(("staff" = ["admin"])), request_body = NewSurvey,
    responses((status = 201, body = SurveyOut), (status = 422)))]
#[post("/api/v1/admin/surveys")]
pub async fn create_survey(
    state: State,
    lang: Lang,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<NewSurvey>>,
) -> Result<HttpResponse, ApiError> {
    let s = survey_registry::create(
        &state.db,
        lang,
        &body.code,
        &body.name,
        &body.definition,
        body.publish,
    )
    .await
    .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Created().json(survey_out(&state, s).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/surveys/{code}/versions", tag = "admin", security(("staff" = ["admin"])), request_body = Definition,
    params(("code" = String, Path)),
    responses((status = 201, description = "A new draft version; published versions are never edited", body = SurveyVersionOut), (status = 404), (status = 422)))]
#[post("/api/v1/admin/surveys/{code}/versions")]
pub async fn add_version(
    state: State,
    lang: Lang,
    code: web::Path<String>,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<Definition>>,
) -> Result<HttpResponse, ApiError> {
    let v = survey_registry::add_version(&state.db, &code, &body)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Created().json(SurveyVersionOut {
        version: v.version,
        status: v.status,
        definition: body.into_inner(),
    }))
}

#[utoipa::path(post, path = "/api/v1/admin/surveys/{code}/versions/{version}/publish", tag = "admin", security(("staff" = ["admin"])),
    params(("code" = String, Path), ("version" = i32, Path)), responses((status = 204), (status = 404), (status = 409)))]
#[post("/api/v1/admin/surveys/{code}/versions/{version}/publish")]
pub async fn publish_version(
    state: State,
    _admin: AdminApi,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, ApiError> {
    survey_registry::publish(&state.db, &path.0, path.1).await?;
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

#[utoipa::path(put, path = "/api/v1/admin/units/{slug}/survey", tag = "admin", security(("staff" = ["admin"])), request_body = Assignment,
    params(("slug" = String, Path)), responses((status = 204), (status = 404), (status = 422)))]
#[put("/api/v1/admin/units/{slug}/survey")]
pub async fn assign_survey(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<Assignment>>,
) -> Result<HttpResponse, ApiError> {
    survey_registry::assign(&state.db, lang, &slug, &body.survey, body.require_code)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::NoContent().finish())
}
