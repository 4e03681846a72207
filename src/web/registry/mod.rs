//! Agencies, units, services and surveys at the edge: the public unit API, the admin API and pages.
pub mod admin_form;
pub mod agencies_api;
pub mod agencies_pages;
pub mod survey_pages;
pub mod surveys_api;
pub mod units_api;
pub mod units_pages;

use utoipa::OpenApi;

use crate::i18n::Lang;
use crate::service::registry::Error;
use crate::web::error::{ApiError, PageError};
use crate::web::translate;

/// The registry's operations in the OpenAPI document (see [`crate::web::openapi`]).
#[derive(OpenApi)]
#[openapi(paths(
    units_api::list_units,
    units_api::get_unit,
    units_api::me,
    units_api::staff_unit,
    agencies_api::list_agencies,
    agencies_api::create_agency,
    agencies_api::patch_agency,
    agencies_api::archive_agency,
    agencies_api::admin_list_units,
    agencies_api::create_unit,
    agencies_api::patch_unit,
    agencies_api::archive_unit,
    agencies_api::list_services,
    agencies_api::create_service,
    agencies_api::patch_service,
    agencies_api::archive_service,
    surveys_api::list_surveys,
    surveys_api::create_survey,
    surveys_api::add_version,
    surveys_api::publish_version,
    surveys_api::assign_survey,
))]
pub struct Api;

// Request bodies of the create operations. The handlers share one input type between create
// and PATCH (where every field is optional) and require these fields themselves; these types
// only tell the document what a create must carry. `tests/api/openapi.rs` keeps their fields
// in step with the real input types.

/// A new agency.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewAgency {
    /// Lower-case letters, digits and single hyphens, 3–64 characters.
    slug: String,
    /// 3–200 characters.
    name: String,
}

/// A new service unit.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewUnit {
    /// Agency slug.
    agency: String,
    slug: String,
    /// 3–200 characters.
    name: String,
    /// One of `rumah_sakit`, `puskesmas`, `dukcapil`, `perizinan`, `samsat`, `kantor_pelayanan`, `lainnya`.
    kind: String,
    address: Option<String>,
    staff_count: Option<i32>,
    monthly_visitors: Option<i32>,
}

/// A new service of a unit.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewService {
    slug: String,
    /// 3–200 characters.
    name: String,
    /// Declared completion time at the counter, in minutes.
    standard_minutes: Option<i32>,
    /// Declared completion time, in working days.
    standard_days: Option<i32>,
    /// Declared fee in rupiah (0 = free).
    fee_rupiah: Option<i64>,
}

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
