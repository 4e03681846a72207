//! Tera pages: the shared context (language, dictionary, user) and the error pages.
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use tera::{Context, Tera};

use crate::bootstrap::state::AppState;
use crate::i18n::Lang;
use crate::web::auth::CurrentUser;
use crate::web::error::{ErrorPage, PageError};

pub fn templates_dir() -> String {
    std::env::var("SUARA_TEMPLATES")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/templates").to_string())
}

pub fn load_templates() -> Result<Tera, tera::Error> {
    let mut tera = Tera::new(&format!("{}/**/*", templates_dir()))?;
    tera.autoescape_on(vec![".html", ".htm"]);
    tera.register_filter("tanggal", tanggal);
    tera.register_filter("angka", angka);
    tera.register_filter("unsur", unsur);
    Ok(tera)
}

/// Whether a filter call asked for English (`lang="en"`); Bahasa Indonesia otherwise.
fn indonesian(args: &std::collections::HashMap<String, tera::Value>) -> bool {
    args.get("lang").and_then(|v| v.as_str()) != Some("en")
}

/// `{{ d | tanggal(lang=lang) }}`: a `YYYY-MM-DD` date (or the date part of a timestamp) as
/// "Senin, 7 Desember 2026"; anything else is shown as it is.
fn tanggal(
    v: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let Some(s) = v.as_str() else {
        return Ok(v.clone());
    };
    let day = s
        .get(..10)
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok());
    Ok(match day {
        Some(d) => crate::domain::format::long_date(d, indonesian(args)).into(),
        None => v.clone(),
    })
}

/// `{{ x | angka(lang=lang, places=2) }}`: "1.972", "3,58" (English: "1,972", "3.58").
fn angka(
    v: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let places = args.get("places").and_then(|p| p.as_u64()).unwrap_or(0) as usize;
    let id = indonesian(args);
    Ok(match (v.as_i64(), v.as_f64()) {
        (Some(n), _) if places == 0 => crate::domain::format::whole(n, id).into(),
        (_, Some(x)) => crate::domain::format::decimal(x, places, id).into(),
        _ => v.clone(),
    })
}

/// `{{ code | unsur }}`: an SKM element's name in the regulation ("U1" → "Persyaratan"; "IKM" and
/// the rollup's "_IKM" → "Indeks Kepuasan Masyarakat"), so a page never shows "U1" alone;
/// anything else gives an empty string.
fn unsur(
    v: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let code = v.as_str().unwrap_or_default();
    Ok(crate::domain::skm::measure_name(code).into())
}

/// Context every page starts from.
pub fn context(req: &HttpRequest, lang: Lang, user: Option<&CurrentUser>) -> Context {
    let mut c = Context::new();
    c.insert("lang", lang.code());
    c.insert("t", lang.dict_json());
    c.insert("path", req.path());
    c.insert("offline_js", crate::web::assets::offline_js_url());
    // What the form posted just before did, when the page was reached by its redirect.
    c.insert("ok", &crate::web::flash::said(req, lang));
    let other = if lang == Lang::Id { "en" } else { "id" };
    c.insert(
        "lang_switch_url",
        &format!(
            "/lang/{other}?next={}",
            crate::web::auth::urlencode(&req.uri().to_string())
        ),
    );
    if let Some(u) = user {
        c.insert("user", u);
        c.insert("csrf", &u.csrf);
    }
    c
}

pub fn page(state: &AppState, name: &str, ctx: &Context) -> Result<HttpResponse, PageError> {
    page_with_status(state, StatusCode::OK, name, ctx)
}

pub fn page_with_status(
    state: &AppState,
    status: StatusCode,
    name: &str,
    ctx: &Context,
) -> Result<HttpResponse, PageError> {
    let body = state.tera.render(name, ctx)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_string()))
        .finish()
}

/// Renders an HTML error page for responses marked by [`PageError`], in the request's language,
/// with the request id people can quote.
pub async fn error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let status = res.status();
    if res.response().extensions().get::<ErrorPage>().is_none() {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Ok(ServiceResponse::new(req, res).map_into_boxed_body());
    };
    let lang = Lang::from_request(&req);
    let mut ctx = context(&req, lang, None);
    ctx.insert("status", &status.as_u16());
    let request_id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|r| r.to_string())
        .unwrap_or_default();
    ctx.insert("request_id", &request_id);
    if let Some(ra) = res
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|h| h.to_str().ok())
    {
        ctx.insert("retry_after", ra);
    }
    let mut builder = HttpResponse::build(status);
    for (k, v) in res.headers() {
        builder.insert_header((k.clone(), v.clone()));
    }
    let html = match state.tera.render("errors/error.html", &ctx) {
        Ok(h) => h,
        Err(e) => {
            tracing::error!(error = ?e, "error page failed to render");
            format!("<!doctype html><title>{status}</title><h1>{status}</h1><p>{request_id}</p>")
        }
    };
    let new = builder.content_type("text/html; charset=utf-8").body(html);
    Ok(ServiceResponse::new(req, new).map_into_boxed_body())
}
