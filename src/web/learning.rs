//! Learning records over HTTP: completions in (SIASN or Moodle files, xAPI statements) from
//! BKPSDM staff or a learning source's own token, the list of what is still unmapped, the
//! mapping of an activity to a programme, and the sources themselves.
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, delete, get, post, web};
use base64::Engine;

use crate::i18n::Lang;
use crate::service::employees::learning::{self, LearningImported, Unmapped};
use crate::service::employees::sources::{
    self, Deliverer, MappingIn, MappingOut, SourceIn, SourceOut,
};
use crate::web::auth::{Admitted, DecidingApi, StaffApi};
use crate::web::employees::body;
use crate::web::error::ApiError;
use crate::web::request_checks::Json;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(learning_file)
        .service(unmapped)
        .service(xapi)
        .service(new_source)
        .service(list_sources)
        .service(revoke_source)
        .service(map_activity);
}

/// The learning operations in the OpenAPI document (see [`crate::web::openapi`]).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    learning_file,
    unmapped,
    xapi,
    new_source,
    list_sources,
    revoke_source,
    map_activity
))]
pub struct Api;

/// A learning source's token: `Bearer sl_…`, or Basic with the token as the password (how
/// Moodle's xAPI log store and most LRS clients authenticate).
fn source_token(req: &HttpRequest) -> Option<String> {
    let h = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    if let Some(t) = h.strip_prefix("Bearer ") {
        return Some(t.trim().to_string()).filter(|t| t.starts_with("sl_"));
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(h.strip_prefix("Basic ")?.trim())
        .ok()?;
    let pair = String::from_utf8(raw).ok()?;
    Some(pair.split_once(':')?.1.to_string())
}

/// Who delivers: a learning source by its token, else a staff member (401 without either).
async fn deliverer(state: &State, req: &HttpRequest) -> Result<Deliverer, ApiError> {
    if let Some(t) = source_token(req) {
        return match sources::by_token(state, &t).await? {
            Some(s) => Ok(Deliverer::Source(s)),
            None => Err(ApiError::Unauthorized),
        };
    }
    let StaffApi(user) = StaffApi::from_request(req, &mut Payload::None).await?;
    Ok(Deliverer::Staff(user))
}

#[utoipa::path(post, path = "/api/v1/learning/records", tag = "people", security(("staff" = ["admin", "planner"]), ("learning_source" = [])),
    params(("format" = Option<String>, Query, description = "`siasn` (default: nip,namaKursus,jumlahJam,…,tanggalSelesaiKursus) or `moodle` (userid,course,timecompleted)")),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = LearningImported, description = "Counts; each completion counts once; unknown NIPs and activities are kept unmapped"),
        (status = 401), (status = 403), (status = 413), (status = 422, body = crate::web::error::ErrorBody)))]
#[post("/api/v1/learning/records")]
pub async fn learning_file(
    state: State,
    lang: Lang,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let who = deliverer(&state, &req).await?;
    let q = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .map_err(|_| ApiError::field("format", lang.t("v_choice")))?;
    let format = q.get("format").map_or("siasn", |f| f.trim()).to_string();
    who.may(&format)?;
    let bytes = body(&state, &req, payload).await?;
    let r = learning::import(&state, &who, &format, &bytes, lang)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(r))
}

#[utoipa::path(get, path = "/api/v1/learning/unmapped", tag = "people", security(("staff" = ["admin", "planner"]), ("learning_source" = [])),
    responses((status = 200, body = [Unmapped], description = "Completions kept for a planner to map: an unknown NIP or an activity that is no programme's"),
        (status = 401), (status = 403)))]
#[get("/api/v1/learning/unmapped")]
pub async fn unmapped(
    state: State,
    lang: Lang,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let StaffApi(user) = StaffApi::from_request(&req, &mut Payload::None).await?;
    let r = learning::unmapped(&state, &user)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(r))
}

#[utoipa::path(post, path = "/api/v1/xapi/statements", tag = "people", security(("staff" = ["admin", "planner"]), ("learning_source" = [])),
    params(("X-Experience-API-Version" = String, Header, description = "1.0.x")),
    request_body(content = Object, description = "One xAPI 1.0.3 statement or an array; `completed` and `passed` by an actor whose `account.name` is a NIP count as a completion of the activity (`object.id`: a programme's code or an IRI ending in it)"),
    responses((status = 200, body = [String], description = "The statement ids, as an LRS answers"),
        (status = 400), (status = 401), (status = 403), (status = 413)))]
#[post("/api/v1/xapi/statements")]
pub async fn xapi(
    state: State,
    lang: Lang,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let who = deliverer(&state, &req).await?;
    who.may("xapi")?;
    let version = req
        .headers()
        .get("x-experience-api-version")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !version.starts_with("1.0") {
        return Err(ApiError::BadRequest(
            "X-Experience-API-Version: 1.0.3 is required.".into(),
        ));
    }
    let bytes = body(&state, &req, payload).await?;
    let v: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|_| ApiError::BadRequest("The body is not JSON.".into()))?;
    let ids = learning::statements(&state, &who, &v)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok()
        .insert_header(("X-Experience-API-Version", "1.0.3"))
        .json(ids))
}

#[utoipa::path(post, path = "/api/v1/learning/sources", tag = "people", security(("staff" = ["admin", "planner"])),
    request_body = SourceIn,
    responses((status = 201, body = SourceOut, description = "The source with its token (`sl_…`), shown only here"),
        (status = 400), (status = 401), (status = 403), (status = 413), (status = 422, body = crate::web::error::ErrorBody)))]
#[post("/api/v1/learning/sources")]
pub async fn new_source(
    state: State,
    lang: Lang,
    Admitted(DecidingApi(user), body): Admitted<DecidingApi, Json<SourceIn>>,
) -> Result<HttpResponse, ApiError> {
    let s = sources::create(&state, &user, &body)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Created().json(s))
}

#[utoipa::path(get, path = "/api/v1/learning/sources", tag = "people", security(("staff" = ["admin", "planner"])),
    responses((status = 200, body = [SourceOut], description = "The sources, without their tokens"), (status = 401), (status = 403)))]
#[get("/api/v1/learning/sources")]
pub async fn list_sources(
    state: State,
    lang: Lang,
    DecidingApi(user): DecidingApi,
) -> Result<HttpResponse, ApiError> {
    let s = sources::list(&state, &user)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(s))
}

#[utoipa::path(delete, path = "/api/v1/learning/sources/{id}", tag = "people", security(("staff" = ["admin", "planner"])),
    params(("id" = i32, Path)),
    responses((status = 204, description = "Revoked: the token delivers nothing more; its records stay"), (status = 401), (status = 403), (status = 404)))]
#[delete("/api/v1/learning/sources/{id}")]
pub async fn revoke_source(
    state: State,
    lang: Lang,
    DecidingApi(user): DecidingApi,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    sources::revoke(&state, &user, &path)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/learning/mappings", tag = "people", security(("staff" = ["admin", "planner"])),
    request_body = MappingIn,
    responses((status = 200, body = MappingOut, description = "The activity now counts as the programme: its waiting records got the programme's JP, later ones will"),
        (status = 400), (status = 401), (status = 403), (status = 413), (status = 422, body = crate::web::error::ErrorBody)))]
#[post("/api/v1/learning/mappings")]
pub async fn map_activity(
    state: State,
    lang: Lang,
    Admitted(DecidingApi(user), body): Admitted<DecidingApi, Json<MappingIn>>,
) -> Result<HttpResponse, ApiError> {
    let m = sources::map_activity(&state, &user, &body)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(m))
}
