//! Agencies, units, services and surveys at the edge: the public unit API, the admin API and pages.
pub mod admin_form;
pub mod agencies_api;
pub mod agencies_pages;
pub mod agency_logo;
pub mod survey_pages;
pub mod surveys_api;
pub mod units_api;
pub mod units_pages;

use utoipa::OpenApi;

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
