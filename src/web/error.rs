//! Errors that reach the client. JSON under `/api` ([`ApiError`]); HTML pages elsewhere
//! ([`PageError`], rendered by [`crate::web::render::error_pages`] which knows the user's language).
use std::collections::BTreeMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::i18n::Lang;
pub use crate::service::error::FieldErrors;
use crate::service::error::{ServiceError, translate};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("authentication required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Machine-readable code, e.g. `validation_failed`, `not_found`.
    pub error: &'static str,
    pub message: String,
    /// Per-field messages (only for `validation_failed`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

impl ApiError {
    pub fn field(name: &str, msg: impl Into<String>) -> Self {
        let mut m = FieldErrors::new();
        m.insert(name.to_string(), msg.into());
        ApiError::Validation(m)
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation_failed",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::NotFound => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::TooManyRequests { .. } => "rate_limited",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn message(&self) -> String {
        match self {
            ApiError::Validation(_) => "Some fields are invalid.".into(),
            ApiError::BadRequest(m) | ApiError::Conflict(m) => m.clone(),
            ApiError::NotFound => "Not found.".into(),
            ApiError::Unauthorized => "Authentication required.".into(),
            ApiError::Forbidden => "You may not do this.".into(),
            ApiError::PayloadTooLarge => "The request body is too large.".into(),
            ApiError::TooManyRequests { retry_after } => {
                format!("Too many requests; try again in {retry_after} s.")
            }
            ApiError::Internal(_) => "Internal error; it has been logged.".into(),
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        ApiError::Internal(e.into())
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        ApiError::Internal(e)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(e) = self {
            tracing::error!(error = ?e, "internal error");
        }
        let mut res = HttpResponse::build(self.status_code());
        if let ApiError::TooManyRequests { retry_after } = self {
            res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
        }
        if let ApiError::Unauthorized = self {
            res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        res.json(ErrorBody {
            error: self.code(),
            message: self.message(),
            fields: match self {
                ApiError::Validation(f) => f.clone(),
                _ => BTreeMap::new(),
            },
        })
    }
}

/// An error on an HTML page. The response carries only a marker; the error-page middleware
/// renders it with the request's language and request id.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("bad request")]
    BadRequest,
    #[error("conflict")]
    Conflict,
    #[error("unprocessable")]
    Unprocessable,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

/// Marker in the response extensions: "render the error page for this status".
#[derive(Clone, Copy)]
pub struct ErrorPage;

impl From<sea_orm::DbErr> for PageError {
    fn from(e: sea_orm::DbErr) -> Self {
        PageError::Internal(e.into())
    }
}

impl From<anyhow::Error> for PageError {
    fn from(e: anyhow::Error) -> Self {
        PageError::Internal(e)
    }
}

impl From<tera::Error> for PageError {
    fn from(e: tera::Error) -> Self {
        PageError::Internal(e.into())
    }
}

impl ApiError {
    /// A use case's refusal as the JSON API answers it, field messages in the caller's language.
    /// The one mapping from service to API: every handler's refusals go through here.
    pub fn from_service(e: ServiceError, lang: Lang) -> Self {
        match e {
            ServiceError::Invalid(f) => ApiError::Validation(f),
            ServiceError::Problems(p) => ApiError::Validation(translate(&p, lang)),
            ServiceError::KeyReused => ApiError::field("Idempotency-Key", lang.t("v_key_reused")),
            ServiceError::BadRequest(m) => ApiError::BadRequest(m),
            ServiceError::NotFound => ApiError::NotFound,
            ServiceError::Forbidden => ApiError::Forbidden,
            ServiceError::Conflict(m) => ApiError::Conflict(m),
            ServiceError::Internal(e) => ApiError::Internal(e),
        }
    }
}

/// A refusal where the handler did not name the language: messages in Bahasa Indonesia, the
/// interface's first language.
impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        ApiError::from_service(e, Lang::default())
    }
}

/// A use case's refusal as a page answers it (a page that can show the form again handles
/// `Invalid` itself before this).
impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        ApiError::from(e).into()
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::NotFound => PageError::NotFound,
            ApiError::Forbidden | ApiError::Unauthorized => PageError::Forbidden,
            ApiError::PayloadTooLarge => PageError::PayloadTooLarge,
            ApiError::TooManyRequests { retry_after } => PageError::TooManyRequests { retry_after },
            // Bad input is the client's: a 4xx page, never a 500 that pages an operator.
            ApiError::BadRequest(m) => {
                tracing::info!(reason = %m, "bad request on a page");
                PageError::BadRequest
            }
            ApiError::Conflict(m) => {
                tracing::info!(reason = %m, "conflict on a page");
                PageError::Conflict
            }
            ApiError::Validation(fields) => {
                tracing::info!(?fields, "invalid fields on a page");
                PageError::Unprocessable
            }
            ApiError::Internal(e) => PageError::Internal(e),
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Forbidden => StatusCode::FORBIDDEN,
            PageError::BadRequest => StatusCode::BAD_REQUEST,
            PageError::Conflict => StatusCode::CONFLICT,
            PageError::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
            PageError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            PageError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let PageError::Internal(e) = self {
            tracing::error!(error = ?e, "internal error");
        }
        let mut res = HttpResponse::build(self.status_code());
        if let PageError::TooManyRequests { retry_after } = self {
            res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
        }
        let mut res = res.finish();
        res.extensions_mut().insert(ErrorPage);
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_on_a_page_stays_a_client_error() {
        let status = |e: ApiError| PageError::from(e).status_code().as_u16();
        assert_eq!(status(ApiError::BadRequest("unknown op".into())), 400);
        assert_eq!(status(ApiError::Conflict("already closed".into())), 409);
        assert_eq!(status(ApiError::field("note", "required")), 422);
        assert_eq!(status(ApiError::Unauthorized), 403);
        assert_eq!(status(ApiError::Internal(anyhow::anyhow!("db down"))), 500);
    }
}
