//! The survey at the edge: the JSON API and the citizen's pages.
pub mod api;
pub mod pages;

/// The survey's operations in the OpenAPI document (see [`crate::web::openapi`]).
#[derive(utoipa::OpenApi)]
#[openapi(paths(api::get_survey, api::post_response, api::get_ikm))]
pub struct Api;
