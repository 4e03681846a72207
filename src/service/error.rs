//! Why a use case did not happen, in terms any channel can answer: the web edge turns it into a
//! JSON error or an HTML page, a chat channel into a reply.
use std::collections::BTreeMap;

use crate::domain::validation::Problems;

/// Field name → message, already in the caller's language.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input is wrong; each field says why.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The input is wrong; each field names a message key the edge translates for its caller.
    #[error("invalid input: {0:?}")]
    Problems(Problems),
    /// The submission key (`Idempotency-Key`, a chat conversation, a RapidPro run) was already
    /// used for a different request; nothing was stored.
    #[error("the submission key was used for a different request")]
    KeyReused,
    /// The request as a whole makes no sense (an unknown operation, say).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Nothing by that name, or nothing this caller may see (the same answer, so ids cannot be probed).
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Not allowed in the current state (an illegal status change, say).
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ServiceError {
    /// Refuses one field with a message key (translated at the edge).
    pub fn invalid(field: &str, key: &'static str) -> Self {
        ServiceError::Problems(Problems::from([(field.to_string(), key)]))
    }

    pub fn field(name: &str, msg: impl Into<String>) -> Self {
        ServiceError::Invalid(FieldErrors::from([(name.to_string(), msg.into())]))
    }
}

impl From<sea_orm::DbErr> for ServiceError {
    fn from(e: sea_orm::DbErr) -> Self {
        ServiceError::Internal(e.into())
    }
}

impl From<anyhow::Error> for ServiceError {
    fn from(e: anyhow::Error) -> Self {
        ServiceError::Internal(e)
    }
}

impl From<tera::Error> for ServiceError {
    fn from(e: tera::Error) -> Self {
        ServiceError::Internal(e.into())
    }
}

/// Problems (message keys by field) in the caller's language.
pub fn translate(problems: &Problems, lang: crate::i18n::Lang) -> FieldErrors {
    problems
        .iter()
        .map(|(k, v)| (k.clone(), lang.t(v).to_string()))
        .collect()
}

impl ServiceError {
    /// Problems found by a domain check, in the caller's language.
    pub fn problems(p: &Problems, lang: crate::i18n::Lang) -> Self {
        ServiceError::Invalid(translate(p, lang))
    }
}
