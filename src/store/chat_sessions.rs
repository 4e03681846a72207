//! Chat sessions (one per channel and hashed sender) that have ended: deleted, so a sender's
//! hash is kept only while their conversation runs.
use chrono::{DateTime, Utc};
use entity::chat_session::{Column, Entity};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// Deletes the sessions last touched at or before `quiet_since`, and those whose state is
/// exactly `empty_state` (a session that remembers nothing is the same as none). Returns how
/// many. A message being handled meanwhile saves its session afresh, so nothing is lost.
pub async fn delete_ended(
    db: &impl ConnectionTrait,
    quiet_since: DateTime<Utc>,
    empty_state: &str,
) -> Result<u64, DbErr> {
    let res = Entity::delete_many()
        .filter(
            Condition::any()
                .add(Column::UpdatedAt.lte(quiet_since))
                .add(Column::State.eq(empty_state)),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
