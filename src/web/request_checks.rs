//! The edge's first check of what a client sends: JSON bodies, form bodies, paths and query
//! strings are refused with a clear 4xx before any handler sees text that a person could not
//! have typed (NUL above all: PostgreSQL refuses it and SQLite would store it).
use std::future::Future;
use std::pin::Pin;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, ResponseError, web};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::domain::validation::{IdempotencyKey, has_control_chars};
use crate::i18n::Lang;
use crate::web::error::{ApiError, PageError};
use crate::web::open311::error::{self as open311, Fmt, Open311Error};

/// A JSON body, checked for control characters (answered with the field's path) and then read
/// into `T`; a value of the wrong type names its field too. Size and content type are checked by
/// the app's `JsonConfig`.
pub struct Json<T>(pub T);

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let raw = web::Json::<Value>::from_request(req, payload);
        let lang = Lang::from_request(req);
        Box::pin(async move {
            let value = raw.await?.into_inner();
            if let Some(path) = control_char_path(&value, &mut String::new()) {
                return Err(ApiError::field(&path, lang.t("v_control_chars")).into());
            }
            serde_path_to_error::deserialize(value)
                .map(Json)
                .map_err(|e| {
                    let path = e.path().to_string();
                    let field = if path == "." { "body".into() } else { path };
                    ApiError::field(&field, e.into_inner().to_string()).into()
                })
        })
    }
}

/// A data file's body (a queue's day, a list of people, course records): at most
/// `SUARA_QUEUE_BODY_LIMIT_MB`, refused as 413 by its declared length before a byte is read.
pub async fn read_file_body(
    limit: usize,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<web::Bytes, ApiError> {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::PayloadTooLarge);
    }
    read_limited(payload, limit).await.map_err(|e| match e {
        BodyRefused::TooLarge => ApiError::PayloadTooLarge,
        BodyRefused::Unreadable => ApiError::BadRequest("The body could not be read.".into()),
    })
}

/// A JSON body already read (a handler that decided its caller first), checked as [`Json`]
/// checks one: malformed → 400, a control character or a wrong type → 422 naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8], lang: Lang) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|_| ApiError::BadRequest("The body is not JSON.".into()))?;
    if let Some(path) = control_char_path(&value, &mut String::new()) {
        return Err(ApiError::field(&path, lang.t("v_control_chars")));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "body".into() } else { path };
        ApiError::field(&field, e.into_inner().to_string())
    })
}

/// The dotted path of the first string (or object key) holding a control character.
fn control_char_path(v: &Value, path: &mut String) -> Option<String> {
    let here = |path: &str| {
        if path.is_empty() {
            "body".to_string()
        } else {
            path.to_string()
        }
    };
    match v {
        Value::String(s) if has_control_chars(s) => Some(here(path)),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            let found = control_char_path(item, path);
            path.truncate(len);
            found
        }),
        Value::Object(map) => map.iter().find_map(|(k, item)| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(k);
            let found = if has_control_chars(k) {
                Some(path.clone())
            } else {
                control_char_path(item, path)
            };
            path.truncate(len);
            found
        }),
        _ => None,
    }
}

/// Refuses control characters in the path (404: no resource is named so) and in the query
/// string (422 naming the parameter under `/api`, GeoReport's 400 under `/open311`, a 400 page
/// elsewhere), for every route.
pub async fn reject_control_chars(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let api = req.path().starts_with("/api");
    let open311 = req.path().starts_with(open311::PREFIX);
    let fmt = Fmt::of_path(req.path());
    let path_ok = percent_decoded(req.path()).is_some_and(|p| !has_control_chars(&p));
    if !path_ok {
        let res = if open311 {
            Open311Error::not_found(fmt).error_response()
        } else if api {
            ApiError::NotFound.error_response()
        } else {
            PageError::NotFound.error_response()
        };
        return Ok(req.into_response(res));
    }
    if let Some(name) = bad_query_param(req.query_string()) {
        let res = if open311 {
            Open311Error::bad(fmt, format!("{name}: control characters are not allowed."))
                .error_response()
        } else if api {
            let lang = Lang::from_request(req.request());
            ApiError::field(&name, lang.t("v_control_chars")).error_response()
        } else {
            PageError::BadRequest.error_response()
        };
        return Ok(req.into_response(res));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

/// The path with `%XX` escapes decoded; `None` when they do not decode to UTF-8.
fn percent_decoded(path: &str) -> Option<String> {
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()
        .map(|p| p.into_owned())
}

/// The name of the first query parameter whose name or value holds a control character.
fn bad_query_param(query: &str) -> Option<String> {
    if query.is_empty() {
        return None;
    }
    match serde_urlencoded::from_str::<Vec<(String, String)>>(query) {
        Ok(pairs) => pairs
            .into_iter()
            .find(|(k, v)| has_control_chars(k) || has_control_chars(v))
            .map(|(k, _)| {
                if has_control_chars(&k) {
                    "query".into()
                } else {
                    k
                }
            }),
        Err(_) => Some("query".into()),
    }
}

/// Why a body was not read: more than the limit, or the connection failed mid-body.
pub enum BodyRefused {
    TooLarge,
    Unreadable,
}

/// Reads a request body chunk by chunk, stopping as soon as it passes `limit` bytes (a larger
/// body is never held whole). Each door maps the refusal to its own error format.
pub async fn read_limited<S, E>(mut payload: S, limit: usize) -> Result<web::Bytes, BodyRefused>
where
    S: futures_util::Stream<Item = Result<web::Bytes, E>> + Unpin,
{
    use futures_util::StreamExt;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| BodyRefused::Unreadable)?;
        if body.len() + chunk.len() > limit {
            return Err(BodyRefused::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// A raw body of at most the app's body limit (`SUARA_BODY_LIMIT_KB`), for the webhooks that
/// check a signature over the exact bytes or parse JSON or a form by content type. Larger is a
/// `413` with the JSON error body, read no further than the limit.
pub struct LimitedBody(pub web::Bytes);

impl FromRequest for LimitedBody {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<crate::web::state::State>()
            .map_or(64 * 1024, |s| s.settings.body_limit_bytes);
        let declared = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > limit) {
                return Err(ApiError::PayloadTooLarge.into());
            }
            let body = read_limited(payload, limit).await.map_err(|e| match e {
                BodyRefused::TooLarge => ApiError::PayloadTooLarge,
                BodyRefused::Unreadable => {
                    ApiError::BadRequest("The body could not be read.".into())
                }
            })?;
            Ok(LimitedBody(body))
        })
    }
}

/// An `Idempotency-Key` header that is not 1–255 visible ASCII characters.
#[derive(Debug)]
pub struct MalformedKey;

/// The request's `Idempotency-Key` header: `Ok(None)` without one, `Err(())` when it is not a
/// valid key (each door words that refusal its own way).
pub fn idempotency_key(req: &HttpRequest) -> Result<Option<IdempotencyKey>, MalformedKey> {
    match req.headers().get("idempotency-key") {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(IdempotencyKey::parse)
            .map(Some)
            .ok_or(MalformedKey),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_path_of_a_control_character() {
        let v = json!({"answers": {"U1": 4, "COMMENT": "ok\u{0}"}, "code": null});
        assert_eq!(
            control_char_path(&v, &mut String::new()).as_deref(),
            Some("answers.COMMENT")
        );
        let v = json!({"items": ["a", "b\u{7}"]});
        assert_eq!(
            control_char_path(&v, &mut String::new()).as_deref(),
            Some("items[1]")
        );
        let v = json!({"answers": {"U\u{0}": 1}});
        assert_eq!(
            control_char_path(&v, &mut String::new()).as_deref(),
            Some("answers.U\u{0}")
        );
        assert_eq!(
            control_char_path(&json!("x\u{0}"), &mut String::new()).as_deref(),
            Some("body")
        );
        let fine = json!({"description": "Antre 3 jam.\r\nTolong\tdiperbaiki."});
        assert_eq!(control_char_path(&fine, &mut String::new()), None);
    }

    #[test]
    fn decodes_paths_and_spots_bad_parameters() {
        assert_eq!(percent_decoded("/u/abc%00").as_deref(), Some("/u/abc\u{0}"));
        assert_eq!(percent_decoded("/u/%E2%9C%93").as_deref(), Some("/u/✓"));
        assert_eq!(percent_decoded("/u/%FF"), None);
        assert_eq!(percent_decoded("/u/100%").as_deref(), Some("/u/100%"));
        assert_eq!(
            bad_query_param("status=received&unit=a%00b").as_deref(),
            Some("unit")
        );
        assert_eq!(bad_query_param("q=%09tab+and+space"), None);
        assert_eq!(bad_query_param("from=2026-01-01"), None);
        assert_eq!(bad_query_param(""), None);
    }
}
