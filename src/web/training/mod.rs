//! The training loop at the edge: recommendations API, catalogue and rules API, pages.
pub mod admin_api;
pub mod api;
pub mod pages;
pub mod participants;

/// The training loop's operations in the OpenAPI document (see [`crate::web::openapi`]).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    api::list,
    api::unit_list,
    api::one,
    api::comment,
    api::act,
    api::run_now,
    api::plan,
    participants::list,
    participants::set,
    participants::links,
    participants::rate,
    admin_api::competencies,
    admin_api::create_competency,
    admin_api::update_competency,
    admin_api::programmes,
    admin_api::create_programme,
    admin_api::update_programme,
    admin_api::list_rules,
    admin_api::create_rule,
    admin_api::put_rule,
    admin_api::preview,
))]
pub struct Api;
