//! The visitor's language: `?lang=`, then the `lang` cookie, then `Accept-Language`, else
//! Bahasa Indonesia; and the extractor that hands it to a handler.
use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header};

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
