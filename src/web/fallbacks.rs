//! How the edge answers what no handler reads: bodies too large or of the wrong type,
//! unparsable queries and paths (JSON under `/api`, pages elsewhere), and unknown routes (404,
//! or 405 with `Allow` on a known API path; GeoReport's error list under `/open311`).
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError, UrlencodedError};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::web::error::{ApiError, PageError};
use crate::web::open311::error as open311;

pub fn json_config(limit: usize) -> web::JsonConfig {
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
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, req| {
        if req.path().starts_with("/api") {
            ApiError::BadRequest(format!("invalid query string: {err}")).into()
        } else {
            PageError::BadRequest.into()
        }
    })
}

/// A path segment that does not parse as its type (e.g. a version number): nothing is there.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err: PathError, req| {
        if req.path().starts_with("/api") {
            ApiError::NotFound.into()
        } else {
            PageError::NotFound.into()
        }
    })
}

pub fn form_config(limit: usize) -> web::FormConfig {
    web::FormConfig::default()
        .limit(limit)
        .error_handler(|err, _req| match err {
            UrlencodedError::Overflow { .. } => PageError::PayloadTooLarge.into(),
            _ => PageError::BadRequest.into(),
        })
}

pub async fn not_found(req: HttpRequest) -> Result<HttpResponse, actix_web::Error> {
    if req.path().starts_with(open311::PREFIX) {
        return Err(open311::Open311Error::not_found(open311::Fmt::of_path(req.path())).into());
    }
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
