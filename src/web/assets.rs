//! The static files served from the binary (no CDN, nothing fetched at run time): the style
//! sheet, the scripts, the offline service worker and the icon.
use actix_web::{HttpResponse, Responder, get};

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
