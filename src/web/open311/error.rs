//! GeoReport's error answer: a list of `{code, description}` (XML: `<errors><error>…`), in the
//! format the path asks for. 403 for a missing or unknown api_key, 404 for an unknown resource,
//! 400 for anything else. The boundary checks and the unknown-route answer use it for every
//! path under `/open311`.
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::i18n::Lang;
use crate::service::error::{FieldErrors, ServiceError, translate};
use crate::web::open311::xml;

pub const PREFIX: &str = "/open311";

pub const JSON: &str = "application/json; charset=utf-8";
pub const XML: &str = "text/xml; charset=utf-8";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fmt {
    Json,
    Xml,
}

impl Fmt {
    /// The format a path's extension asks for; JSON unless it is `.xml`.
    pub fn of_path(path: &str) -> Fmt {
        if path.to_ascii_lowercase().ends_with(".xml") {
            Fmt::Xml
        } else {
            Fmt::Json
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Open311ErrorItem {
    /// The HTTP status: 400, 403 or 404 (413 for a body over the limit).
    pub code: u16,
    pub description: String,
}

#[derive(Debug, thiserror::Error)]
#[error("{code}: {description}")]
pub struct Open311Error {
    pub fmt: Fmt,
    pub code: u16,
    pub description: String,
}

impl Open311Error {
    pub fn new(fmt: Fmt, code: u16, description: impl Into<String>) -> Self {
        Open311Error {
            fmt,
            code,
            description: description.into(),
        }
    }
    pub fn bad(fmt: Fmt, description: impl Into<String>) -> Self {
        Self::new(fmt, 400, description)
    }
    pub fn not_found(fmt: Fmt) -> Self {
        Self::new(fmt, 404, "Not found.")
    }
    pub fn forbidden(fmt: Fmt) -> Self {
        Self::new(fmt, 403, "api_key missing or invalid.")
    }
    /// A use case's refusal: not found is 404, anything the caller got wrong is 400.
    pub fn service(fmt: Fmt, lang: Lang, e: ServiceError) -> Self {
        let fields = |fields: &FieldErrors| {
            fields
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        match e {
            ServiceError::NotFound => Self::not_found(fmt),
            ServiceError::Forbidden => Self::forbidden(fmt),
            ServiceError::Invalid(f) => Self::bad(fmt, fields(&f)),
            ServiceError::Problems(p) => Self::bad(fmt, fields(&translate(&p, lang))),
            ServiceError::KeyReused => {
                Self::bad(fmt, format!("Idempotency-Key: {}", lang.t("v_key_reused")))
            }
            ServiceError::BadRequest(m) | ServiceError::Conflict(m) => Self::bad(fmt, m),
            ServiceError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                Self::new(fmt, 500, "Internal error; it has been logged.")
            }
        }
    }
}

impl ResponseError for Open311Error {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        match self.fmt {
            Fmt::Json => res.content_type(JSON).body(
                serde_json::to_string(&[Open311ErrorItem {
                    code: self.code,
                    description: self.description.clone(),
                }])
                .unwrap_or_default(),
            ),
            Fmt::Xml => res
                .content_type(XML)
                .body(xml::errors(&[(self.code, self.description.clone())])),
        }
    }
}
