//! The OpenAPI document of every JSON endpoint, served at `/api/openapi.json`.
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{analytics, api_admin, api_survey, api_units, complaints, triage};

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Suara API", description = "Citizen feedback on public services in Jambi."),
    modifiers(&Security),
    paths(
        crate::routes::healthz,
        crate::routes::readyz,
        api_units::list_units,
        api_units::get_unit,
        api_units::me,
        api_units::staff_unit,
        api_admin::list_agencies,
        api_admin::create_agency,
        api_admin::patch_agency,
        api_admin::archive_agency,
        api_admin::admin_list_units,
        api_admin::create_unit,
        api_admin::patch_unit,
        api_admin::archive_unit,
        api_admin::list_services,
        api_admin::create_service,
        api_admin::patch_service,
        api_admin::archive_service,
        api_admin::list_surveys,
        api_admin::create_survey,
        api_admin::add_version,
        api_admin::publish_version,
        api_admin::assign_survey,
        api_admin::list_holidays,
        api_admin::put_holiday,
        api_admin::delete_holiday,
        api_survey::get_survey,
        api_survey::post_response,
        api_survey::get_ikm,
        complaints::api_file,
        analytics::api_unit,
        analytics::api_overview,
        complaints::api_track,
        complaints::api_reopen,
        triage::api_queue,
        triage::api_get,
        triage::api_transition,
        triage::api_reply,
        triage::api_note,
        triage::api_meta,
        triage::api_bulk,
    )
)]
pub struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
