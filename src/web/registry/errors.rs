//! The registry use cases' refusals as the API and the pages answer them.
use crate::i18n::Lang;
use crate::service::error::translate;
use crate::service::registry::Error;
use crate::web::error::{ApiError, PageError};

/// A registry use case's refusal as the JSON API answers it.
pub fn api_error(e: Error, lang: Lang) -> ApiError {
    match e {
        Error::Invalid(p) => ApiError::Validation(translate(&p, lang)),
        Error::NotFound => ApiError::NotFound,
        Error::Db(e) => e.into(),
    }
}

/// A registry use case's refusal as a page answers it when there is no form to show it on.
impl From<Error> for PageError {
    fn from(e: Error) -> Self {
        match e {
            Error::Invalid(_) => PageError::BadRequest,
            Error::NotFound => PageError::NotFound,
            Error::Db(e) => e.into(),
        }
    }
}
