//! Complaints at the edge: the citizen's API and pages, the supervisors' triage, uploads, and
//! the holiday calendar their deadlines skip.
pub mod attachments;
pub mod citizen;
pub mod dashboard;
pub mod exports;
pub mod holidays_api;
pub mod queue_query;
pub mod reply_templates_api;
pub mod reply_templates_pages;
pub mod track;
pub mod triage;
pub mod triage_pages;
pub mod uploads;

/// The complaints' operations in the OpenAPI document (see [`crate::web::openapi`]).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    citizen::api_file,
    track::api_track,
    track::api_reopen,
    triage::api_queue,
    triage::api_get,
    triage::api_transition,
    triage::api_reply,
    triage::api_note,
    triage::api_meta,
    triage::api_bulk,
    attachments::api_attachment,
    dashboard::api_dashboard,
    holidays_api::list_holidays,
    holidays_api::put_holiday,
    holidays_api::delete_holiday,
    reply_templates_api::list_reply_templates,
    reply_templates_api::add_reply_template,
    reply_templates_api::delete_reply_template,
))]
pub struct Api;
