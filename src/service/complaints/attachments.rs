//! Opening a complaint's attachment: only staff who act on its unit (its supervisors, and
//! administrators); anyone else gets the same 404 as for an attachment that does not exist.
use std::path::PathBuf;

use entity::complaint_attachment;

use super::*;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::store;

/// Where staff open an attachment (`None` for someone who may not).
pub fn attachment_url(
    c: &entity::complaint::Model,
    attachment_id: i32,
    user: &CurrentUser,
) -> Option<String> {
    user.acts_on_unit(c.unit_id).then(|| {
        format!(
            "/api/v1/staff/complaints/{}/attachments/{attachment_id}",
            c.tracking_id
        )
    })
}

/// The attachment's record and the file it is stored in.
pub async fn attachment_file(
    state: &ServiceContext,
    user: &CurrentUser,
    tracking: &str,
    attachment_id: &str,
) -> Result<(complaint_attachment::Model, PathBuf), ServiceError> {
    let c = scoped(state, user, tracking).await?;
    if !user.acts_on_unit(c.unit_id) {
        return Err(ServiceError::NotFound);
    }
    let id: i32 = attachment_id.parse().map_err(|_| ServiceError::NotFound)?;
    let a = store::complaints::attachments(&state.db, c.id)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(ServiceError::NotFound)?;
    // Stored names are ours (random, `….bin`), never the citizen's: no path can be smuggled.
    let path = state.settings.attachments_dir.join(&a.stored_name);
    Ok((a, path))
}
