//! Who may see a unit's follow-up plan: its supervisors, planners and administrators; a 404 for
//! anyone else, whatever the reason.
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::store;

/// The unit `slug` names, for a user who sees it; 404 otherwise.
pub async fn seen_unit(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
) -> Result<entity::unit::Model, ServiceError> {
    match store::units::by_slug(&state.db, slug).await? {
        Some(u) if user.sees_unit(u.id) => Ok(u),
        _ => Err(ServiceError::NotFound),
    }
}
