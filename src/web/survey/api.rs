//! Citizen-facing survey JSON: the active definition, response intake, and the unit's IKM.
use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::survey::{Definition, Kind};
use crate::i18n::Lang;
use crate::service::error::ServiceError;
use crate::service::error::translate;
use crate::service::period::{RangeQuery, parse_range};
use crate::service::survey::{CHANNELS, IkmOut, accept, ikm_summary};
use crate::store::{self};
use crate::web::error::ApiError;
use crate::web::ratelimit::check_public_limit;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(get_survey)
        .service(post_response)
        .service(get_ikm);
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SurveyOut {
    pub unit: String,
    pub survey: String,
    pub version: i32,
    pub require_code: bool,
    /// The unit's services, by slug, for the `service` question.
    pub services: Vec<crate::store::units::ServiceView>,
    pub definition: Definition,
}

#[utoipa::path(get, path = "/api/v1/units/{slug}/survey", tag = "survey",
    params(("slug" = String, Path)), responses((status = 200, body = SurveyOut), (status = 404)))]
#[get("/api/v1/units/{slug}/survey")]
pub async fn get_survey(state: State, slug: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let (unit, view) = store::units::view_by_slug(&state.db, &slug, false)
        .await?
        .filter(|(u, _)| u.archived_at.is_none())
        .ok_or(ApiError::NotFound)?;
    let a = store::surveys::active_for_unit(&state.db, unit.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(SurveyOut {
        unit: unit.slug,
        survey: a.survey.code,
        version: a.version.version,
        require_code: a.require_code,
        services: view.services,
        definition: a.definition,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ResponseIn {
    /// Answers by question code, e.g. `{"U1": 4, "WAIT_MIN": 35}`.
    #[serde(default)]
    pub answers: BTreeMap<String, Value>,
    /// Respondent profile by code: `gender`, `age`, `education`, `occupation`.
    #[serde(default)]
    pub respondent: BTreeMap<String, Value>,
    /// Service slug.
    pub service: Option<String>,
    /// `qr`, `web`, `kiosk`, `api` (default), `sms` or `whatsapp`.
    pub channel: Option<String>,
    /// One-time code, when the unit requires one.
    pub code: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

/// The `Idempotency-Key` header, refused as a field of the JSON API when malformed.
pub fn idempotency_key(req: &HttpRequest, lang: Lang) -> Result<Option<String>, ApiError> {
    crate::web::request_checks::idempotency_key(req)
        .map(|k| k.map(|k| k.as_str().to_string()))
        .map_err(|_| ApiError::field("Idempotency-Key", lang.t("v_key_format")))
}

/// Where each problem lives in the API body.
fn api_field(def: &Definition, code: &str) -> String {
    match def.questions.iter().find(|q| q.code == code) {
        Some(q) if matches!(q.kind, Kind::Service) => "service".into(),
        Some(q) if q.profile => format!("respondent.{code}"),
        Some(_) => format!("answers.{code}"),
        None if code == "code" => "code".into(),
        None => format!("answers.{code}"),
    }
}

#[utoipa::path(post, path = "/api/v1/units/{slug}/responses", tag = "survey", request_body = ResponseIn,
    params(("slug" = String, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "Any unique string (1–255 visible ASCII characters); the same key with the same body answers the first result again, with another body 422. Kept at least 24 hours.")),
    responses((status = 201, body = Created), (status = 404), (status = 413), (status = 422, body = crate::web::error::ErrorBody),
        (status = 429, description = "Rate limited; see Retry-After")))]
#[post("/api/v1/units/{slug}/responses")]
pub async fn post_response(
    state: State,
    req: HttpRequest,
    lang: Lang,
    slug: web::Path<String>,
    body: crate::web::request_checks::Json<ResponseIn>,
) -> Result<HttpResponse, ApiError> {
    check_public_limit(&state, &req).await?;
    let ctx = state
        .unit_cache
        .get(&state.db, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    let active = ctx.active.as_ref().ok_or(ApiError::NotFound)?;
    let body = body.into_inner();
    let channel = body.channel.as_deref().unwrap_or("api");
    if !CHANNELS.contains(&channel) {
        return Err(ApiError::field("channel", lang.t("v_choice")));
    }
    let mut raw = body.answers;
    for (k, v) in body.respondent {
        raw.insert(k, v);
    }
    if let Some(s) = body.service
        && let Some(q) = active
            .definition
            .questions
            .iter()
            .find(|q| matches!(q.kind, Kind::Service))
    {
        raw.insert(q.code.clone(), Value::String(s));
    }
    let key = idempotency_key(&req, lang)?;
    match accept(
        &state,
        &ctx.unit,
        active,
        &ctx.services,
        &raw,
        channel,
        body.code,
        key.as_deref(),
    )
    .await
    {
        Ok(id) => Ok(HttpResponse::Created().json(Created { id })),
        Err(ServiceError::Problems(p)) => {
            let fields = translate(&p, lang)
                .into_iter()
                .map(|(k, v)| (api_field(&active.definition, &k), v))
                .collect();
            Err(ApiError::Validation(fields))
        }
        Err(e) => Err(ApiError::from_service(e, lang)),
    }
}

#[utoipa::path(get, path = "/api/v1/units/{slug}/ikm", tag = "survey",
    params(("slug" = String, Path), ("from" = Option<String>, Query, description = "YYYY-MM-DD, default 1 January"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD, default today (WIB)")),
    responses((status = 200, body = IkmOut), (status = 404), (status = 422)))]
#[get("/api/v1/units/{slug}/ikm")]
pub async fn get_ikm(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    q: web::Query<RangeQuery>,
) -> Result<HttpResponse, ApiError> {
    let unit = store::units::by_slug(&state.db, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (from, to) = parse_range(&q, lang)?;
    let def = match store::surveys::active_for_unit(&state.db, unit.id).await? {
        Some(a) => a.definition,
        None => crate::domain::skm_survey::skm_definition(),
    };
    Ok(HttpResponse::Ok().json(ikm_summary(&state, &unit, &def, from, to, lang).await?))
}
