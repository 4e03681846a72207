//! Operational endpoints (liveness, readiness), the static files served from the binary, and
//! the language switch.
use actix_web::{HttpResponse, Responder, get, web};

use crate::i18n::Lang;
use crate::web::state::State;

/// The operational endpoints in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(healthz, readyz))]
pub struct Api;

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
pub async fn css() -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("cache-control", "public, max-age=86400"))
        .body(include_str!("../../static/suara.css"))
}

/// The icon, at the path browsers ask for whatever the page says (no 404 on every page).
#[get("/favicon.ico")]
pub async fn favicon() -> impl Responder {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("cache-control", "public, max-age=604800"))
        .body(include_str!("../../static/favicon.svg"))
}

#[get("/static/suara.js")]
pub async fn js() -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("cache-control", "public, max-age=86400"))
        .body(include_str!("../../static/suara.js"))
}

const OFFLINE_JS: &str = include_str!("../../static/offline.js");

/// `/static/offline.js?v=…`, the version changing with the file: the pages and the service
/// worker load it by this one URL (one download), and a new release reaches both.
pub fn offline_js_url() -> &'static str {
    static URL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use sha2::Digest;
        let version = crate::security::hex(&sha2::Sha256::digest(OFFLINE_JS)[..6]);
        format!("/static/offline.js?v={version}")
    });
    URL.as_str()
}

/// The citizen forms' script for bad connections (the pages and the service worker share it).
#[get("/static/offline.js")]
pub async fn offline_js() -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("cache-control", "public, max-age=86400"))
        .body(OFFLINE_JS)
}

/// The service worker sits at the root so its scope may cover the unit pages (`/u/`).
/// `no-cache`: the browser must see a new release; the script URL in it changes its bytes when
/// only offline.js changed (otherwise the worker would keep the copy it imported).
#[get("/sw.js")]
pub async fn service_worker() -> impl Responder {
    static BODY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        include_str!("../../static/sw.js").replace("OFFLINE_JS_URL", offline_js_url())
    });
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("cache-control", "no-cache"))
        .body(BODY.as_str())
}

#[derive(serde::Deserialize)]
struct LangQuery {
    next: Option<String>,
}

/// Remembers the chosen language in a cookie and goes back to the page.
#[get("/lang/{code}")]
pub async fn set_lang(path: web::Path<String>, q: web::Query<LangQuery>) -> HttpResponse {
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
