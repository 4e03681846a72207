//! The training loop at the edge: recommendations API, catalogue and rules API, pages.
pub mod admin_api;
pub mod api;
pub mod pages;

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

// The request body of the create operation. The handler shares one input type between create
// and PUT and requires these fields itself; this type only tells the document what a create must
// carry. `tests/api/openapi.rs` keeps its fields in step with the real input type.

/// A new training rule.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewRule {
    code: String,
    /// 3–200 characters.
    name: String,
    /// Default `true`.
    active: Option<bool>,
    /// `{"window_days", "min_n", "match_all", "conditions": [{"signal", …}], "programmes"}`.
    #[schema(value_type = Object)]
    definition: serde_json::Value,
}
