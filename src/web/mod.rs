//! Thin handlers grouped by who calls them: parse, call the domain and store, render.
pub mod analytics;
pub mod auth;
pub mod boundary;
pub mod complaints;
pub mod error;
pub mod forms;
pub mod openapi;
pub mod ratelimit;
pub mod redirect;
pub mod registry;
pub mod render;
pub mod staff;
pub mod survey;
pub mod training;

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError, UrlencodedError};
use actix_web::{HttpRequest, HttpResponse, Responder, get, web};

use crate::i18n::Lang;
use crate::state::State;
use crate::web::error::{ApiError, PageError};

/// The operational endpoints in the OpenAPI document (see [`openapi`]).
#[derive(utoipa::OpenApi)]
#[openapi(paths(healthz, readyz))]
pub struct Api;

pub fn configure(cfg: &mut web::ServiceConfig, body_limit: usize) {
    cfg.app_data(json_config(body_limit))
        .app_data(form_config(body_limit))
        .app_data(query_config())
        .app_data(path_config())
        .service(healthz)
        .service(readyz)
        .service(css)
        .service(js)
        .service(set_lang)
        .service(openapi_json)
        .configure(registry::units_api::configure)
        .configure(registry::agencies_api::configure)
        .configure(registry::surveys_api::configure)
        .configure(complaints::holidays_api::configure)
        .configure(survey::api::configure)
        .configure(analytics::configure)
        .configure(complaints::citizen::configure)
        .configure(complaints::triage::configure)
        .configure(training::api::configure)
        .configure(training::admin_api::configure)
        .configure(training::pages::configure)
        .configure(staff::configure)
        .configure(registry::survey_pages::configure)
        .configure(registry::agencies_pages::configure)
        .configure(registry::units_pages::configure)
        .configure(survey::pages::configure)
        .default_service(web::to(not_found));
}

fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| {
            let e = match &err {
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. } => ApiError::PayloadTooLarge,
                JsonPayloadError::ContentType => {
                    ApiError::BadRequest("expected Content-Type: application/json".into())
                }
                JsonPayloadError::Deserialize(de) if de.is_data() => {
                    ApiError::field("body", de.to_string())
                }
                other => ApiError::BadRequest(format!("invalid JSON body: {other}")),
            };
            e.into()
        })
}

/// A query string that does not parse (a repeated key, a number out of range): 400 with the
/// JSON error body under `/api`, the error page elsewhere.
fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, req| {
        if req.path().starts_with("/api") {
            ApiError::BadRequest(format!("invalid query string: {err}")).into()
        } else {
            PageError::BadRequest.into()
        }
    })
}

/// A path segment that does not parse as its type (e.g. a version number): nothing is there.
fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err: PathError, req| {
        if req.path().starts_with("/api") {
            ApiError::NotFound.into()
        } else {
            PageError::NotFound.into()
        }
    })
}

fn form_config(limit: usize) -> web::FormConfig {
    web::FormConfig::default()
        .limit(limit)
        .error_handler(|err, _req| match err {
            UrlencodedError::Overflow { .. } => PageError::PayloadTooLarge.into(),
            _ => PageError::BadRequest.into(),
        })
}

async fn not_found(req: HttpRequest) -> Result<HttpResponse, actix_web::Error> {
    if req.path().starts_with("/api") {
        // A known API path asked with a method it does not answer: 405 with `Allow`.
        if let Some(allow) = crate::web::openapi::allowed_methods(req.path()) {
            return Ok(HttpResponse::MethodNotAllowed()
                .insert_header((actix_web::http::header::ALLOW, allow))
                .json(crate::web::error::ErrorBody {
                    error: "method_not_allowed",
                    message: format!("{} is not allowed here.", req.method()),
                    fields: Default::default(),
                }));
        }
        Err(ApiError::NotFound.into())
    } else {
        Err(PageError::NotFound.into())
    }
}

#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "The process is up")))]
#[get("/healthz")]
pub async fn healthz() -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, description = "The database answers"), (status = 503, description = "The database does not answer")))]
#[get("/readyz")]
pub async fn readyz(state: State) -> impl Responder {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"status": "ready"})),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({"status": "database unavailable"}))
        }
    }
}

#[get("/static/suara.css")]
async fn css() -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("cache-control", "public, max-age=86400"))
        .body(include_str!("../../static/suara.css"))
}

#[get("/static/suara.js")]
async fn js() -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("cache-control", "public, max-age=86400"))
        .body(include_str!("../../static/suara.js"))
}

#[get("/api/openapi.json")]
async fn openapi_json() -> impl Responder {
    HttpResponse::Ok().json(crate::web::openapi::document())
}

#[derive(serde::Deserialize)]
struct LangQuery {
    next: Option<String>,
}

/// Remembers the chosen language in a cookie and goes back to the page.
#[get("/lang/{code}")]
async fn set_lang(path: web::Path<String>, q: web::Query<LangQuery>) -> HttpResponse {
    let lang = Lang::parse(&path).unwrap_or_default();
    let next = q
        .next
        .as_deref()
        .and_then(crate::web::redirect::safe_local_path)
        .unwrap_or("/");
    // The `lang` query parameter of the page would override the cookie: drop it.
    let next = strip_lang_param(next);
    let cookie = actix_web::cookie::Cookie::build("lang", lang.code())
        .path("/")
        .same_site(actix_web::cookie::SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish();
    HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header(("location", next))
        .finish()
}

fn strip_lang_param(url: &str) -> String {
    match url.split_once('?') {
        None => url.to_string(),
        Some((path, q)) => {
            let kept: Vec<&str> = q.split('&').filter(|kv| !kv.starts_with("lang=")).collect();
            if kept.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        }
    }
}

/// Translates problem keys into the request's language.
pub fn translate(
    problems: &crate::domain::validation::Problems,
    lang: Lang,
) -> crate::web::error::FieldErrors {
    problems
        .iter()
        .map(|(k, v)| (k.clone(), lang.t(v).to_string()))
        .collect()
}

/// The public-POST rate limit for this request's client.
pub fn check_public_limit(state: &crate::state::AppState, req: &HttpRequest) -> Result<(), u64> {
    let Some(limiter) = &state.public_limiter else {
        return Ok(());
    };
    let Some(ip) = crate::web::ratelimit::client_ip(req, &state.settings.trusted_proxies) else {
        return Ok(());
    };
    limiter.check(ip)
}
