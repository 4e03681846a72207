//! The visitor's language: `?lang=`, then the `lang` cookie, then `Accept-Language`, else
//! Bahasa Indonesia; the extractor that hands it to a handler, and the switch that sets the cookie.
use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, get, http::header, web};

use crate::i18n::Lang;

impl Lang {
    pub fn from_request(req: &HttpRequest) -> Lang {
        if let Some(l) = req
            .query_string()
            .split('&')
            .find_map(|kv| kv.strip_prefix("lang="))
            .and_then(Lang::parse)
        {
            return l;
        }
        if let Some(l) = req.cookie("lang").and_then(|c| Lang::parse(c.value())) {
            return l;
        }
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.split(',').next())
            .and_then(Lang::parse)
            .unwrap_or_default()
    }
}

impl FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Lang::from_request(req)))
    }
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
