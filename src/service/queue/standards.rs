//! The standard minutes a queue's waits are judged against: the unit's services', found by the
//! label the queue uses for them.
use std::collections::HashMap;

use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::store;

/// A unit's services' standard minutes by lower-cased slug and name: a queue names its
/// services either way.
pub async fn standards(
    state: &ServiceContext,
    unit_id: i32,
) -> Result<HashMap<String, u32>, ServiceError> {
    let mut out = HashMap::new();
    for s in store::units::services(&state.db, unit_id, true).await? {
        if let Some(m) = s.standard_minutes.filter(|m| *m > 0) {
            out.insert(s.slug.to_lowercase(), m as u32);
            out.insert(s.name.to_lowercase(), m as u32);
        }
    }
    Ok(out)
}
