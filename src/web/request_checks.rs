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

/// A JSON body, checked for control characters (answered with the field's path) and read into
/// `T` in one pass over the bytes; a value of the wrong type names its field too. At most the
/// app's body limit (`SUARA_BODY_LIMIT_KB`, 413 beyond), and `Content-Type: application/json`
/// (or `…+json`) as actix's own JSON extractor wants it.
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
        use actix_web::HttpMessage;
        let lang = Lang::from_request(req);
        let json = matches!(req.mime_type(), Ok(Some(m))
            if m.subtype() == actix_web::mime::JSON || m.suffix() == Some(actix_web::mime::JSON));
        // A compressed body is read as it was sent before compression, as actix's extractor
        // reads it.
        let payload = actix_web::dev::Decompress::from_headers(payload.take(), req.headers());
        let limit = body_limit(req);
        let declared = declared_length(req);
        Box::pin(async move {
            if !json {
                return Err(
                    ApiError::BadRequest("expected Content-Type: application/json".into()).into(),
                );
            }
            if declared.is_some_and(|n| n > limit) {
                return Err(ApiError::PayloadTooLarge.into());
            }
            let body = read_limited(payload, limit).await.map_err(refused)?;
            Ok(Json(parse_json(&body, lang)?))
        })
    }
}

fn body_limit(req: &HttpRequest) -> usize {
    req.app_data::<crate::web::state::State>()
        .map_or(64 * 1024, |s| s.settings.body_limit_bytes)
}

fn declared_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
}

fn refused(e: BodyRefused) -> ApiError {
    match e {
        BodyRefused::TooLarge => ApiError::PayloadTooLarge,
        BodyRefused::Unreadable => ApiError::BadRequest("The body could not be read.".into()),
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
///
/// One pass over the bytes, straight into `T`. Only a body whose bytes may hold a character no
/// text field takes ([`may_hold_forbidden_chars`]: rare, and a cheap scan) is read as a JSON
/// tree first, to name the field that holds it.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8], lang: Lang) -> Result<T, ApiError> {
    if may_hold_forbidden_chars(bytes) {
        return parse_json_checking_each_string(bytes, lang);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        // A value of the wrong type in a body that is not JSON further on is still "not JSON",
        // as when the whole body was parsed before its values were read.
        if !e.inner().is_data() || serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err() {
            return not_json();
        }
        ApiError::field(&field_of(e.path()), without_position(e.into_inner()))
    })?;
    // Trailing text after the value.
    de.end().map_err(|_| not_json())?;
    Ok(value)
}

/// The field a deserialisation error names: its dotted path, or `body` for the whole.
fn field_of(path: &serde_path_to_error::Path) -> String {
    let path = path.to_string();
    if path == "." { "body".into() } else { path }
}

fn not_json() -> ApiError {
    ApiError::BadRequest("The body is not JSON.".into())
}

/// serde_json's message without " at line 1 column 42": the field's path says where.
fn without_position(e: serde_json::Error) -> String {
    let msg = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    msg.strip_suffix(&tail).map_or(msg.clone(), str::to_string)
}

/// `parse_json` by way of a JSON tree: each string and key checked, the first holding a
/// forbidden character named.
fn parse_json_checking_each_string<T: DeserializeOwned>(
    bytes: &[u8],
    lang: Lang,
) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|_| not_json())?;
    if let Some(path) = control_char_path(&value, &mut String::new()) {
        return Err(ApiError::field(&path, lang.t("v_control_chars")));
    }
    serde_path_to_error::deserialize(value)
        .map_err(|e| ApiError::field(&field_of(e.path()), e.into_inner().to_string()))
}

/// Whether JSON text may hold a character `has_control_chars` refuses once decoded: DEL or a
/// C1 control or a bidirectional override written as UTF-8, or such a character (or a C0
/// control other than tab and line breaks) written as an escape. False only when none can be
/// there; a false alarm costs the slower, checking parse.
pub fn may_hold_forbidden_chars(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x7f => return true,
            // U+0080–U+009F.
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => return true,
            // U+202A–U+202E and U+2066–U+2069.
            0xe2 if matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
            ) =>
            {
                return true;
            }
            b'\\' => {
                match bytes.get(i + 1) {
                    Some(b'b' | b'f') => return true,
                    Some(b'u') => {
                        let hex = bytes
                            .get(i + 2..i + 6)
                            .and_then(|h| std::str::from_utf8(h).ok());
                        let c = hex
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .map(char::from_u32);
                        match c {
                            // A surrogate half: part of a character outside the forbidden ones.
                            Some(None) => {}
                            Some(Some(c)) if !crate::domain::validation::is_forbidden_char(c) => {}
                            _ => return true,
                        }
                        i += 6;
                        continue;
                    }
                    _ => {}
                }
                i += 2;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    false
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
        let limit = body_limit(req);
        let declared = declared_length(req);
        let payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > limit) {
                return Err(ApiError::PayloadTooLarge.into());
            }
            let body = read_limited(payload, limit).await.map_err(refused)?;
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
    fn the_scan_sees_every_forbidden_character_and_little_else() {
        for (body, may) in [
            (r#"{"a":"Antrean lama, é ✓ 😀"}"#, false),
            (
                r#"{"a":"two\nlines\ttab\r \" \/ \u000a \u00e9 \ud83d\ude00"}"#,
                false,
            ),
            (r#"{"a":"x\u0000"}"#, true),
            (r#"{"a":"x\u001F"}"#, true),
            (r#"{"a":"x\u007f"}"#, true),
            (r#"{"a":"x\b"}"#, true),
            (r#"{"a":"x\f"}"#, true),
            (r#"{"a":"x\u202e"}"#, true),
            (r#"{"a":"x\u20"}"#, true),
            // An escaped backslash, then the letters u0000: no control character.
            (r#"{"a":"x\\u0000"}"#, false),
            ("{\"a\":\"x\u{7f}\"}", true),
            ("{\"a\":\"x\u{85}\"}", true),
            ("{\"a\":\"x\u{202e}\"}", true),
            ("{\"a\":\"x\u{2067}\"}", true),
            ("{\"a\":\"x\u{2030}\u{2070}\"}", false),
        ] {
            assert_eq!(may_hold_forbidden_chars(body.as_bytes()), may, "{body}");
            // Never a miss: whatever the tree finds, the scan flagged.
            if let Ok(v) = serde_json::from_str::<Value>(body)
                && control_char_path(&v, &mut String::new()).is_some()
            {
                assert!(may, "{body}");
            }
        }
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Sample {
        #[serde(default)]
        answers: std::collections::BTreeMap<String, Value>,
        service: Option<String>,
        n: Option<u8>,
    }

    #[test]
    fn one_pass_answers_as_the_tree_did() {
        for body in [
            r#"{"answers":{"U1":4,"C":"ok"},"service":"ktp-el","n":3}"#,
            r#"{"service":5}"#,
            r#"{"answers":[1]}"#,
            r#"{"n":300}"#,
            r#"{"n":-1,"service":"x"}"#,
            r#"[]"#,
            r#"{"answers":{"U1":4}"#,
            r#"{"service":5,"#,
            r#"{"n":1} trailing"#,
            "",
            r#"{"answers":{"C":"a\u0000"}}"#,
            "{\"answers\":{\"C\":\"a\u{0}\"}}",
            r#"{"answers":{"C":"a\"}}"#,
        ] {
            let one = parse_json::<Sample>(body.as_bytes(), Lang::Id);
            let tree = parse_json_checking_each_string::<Sample>(body.as_bytes(), Lang::Id);
            assert_eq!(format!("{one:?}"), format!("{tree:?}"), "{body}");
        }
    }

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
