//! Agencies, units, services and surveys at the edge: the public unit API, the admin API and pages.
pub mod admin_form;
pub mod agencies_api;
pub mod agencies_pages;
pub mod survey_pages;
pub mod surveys_api;
pub mod units_api;
pub mod units_pages;

use crate::i18n::Lang;
use crate::service::registry::Error;
use crate::web::error::{ApiError, PageError};
use crate::web::translate;

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
