//! Complaints that may repeat one another, and those marked as duplicates of one.
use entity::complaint;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::rows::checked;
use crate::domain::complaint::Status;

/// Complaints that may be duplicates of `c`: same unit and category, filed within `days` days
/// before or after it, still open (not closed, rejected or a duplicate), not `c` itself.
pub async fn duplicate_candidates(
    db: &impl ConnectionTrait,
    c: &complaint::Model,
    days: i64,
) -> Result<Vec<complaint::Model>, DbErr> {
    let span = chrono::Duration::days(days);
    let open: Vec<&str> = Status::ALL
        .iter()
        .filter(|s| !s.is_closed())
        .map(|s| s.as_str())
        .collect();
    complaint::Entity::find()
        .filter(complaint::Column::UnitId.eq(c.unit_id))
        .filter(complaint::Column::CategoryId.eq(c.category_id))
        .filter(complaint::Column::Id.ne(c.id))
        .filter(complaint::Column::CreatedAt.gte(c.created_at - span))
        .filter(complaint::Column::CreatedAt.lte(c.created_at + span))
        .filter(complaint::Column::Status.is_in(open))
        .order_by_asc(complaint::Column::Id)
        .limit(500)
        .all(db)
        .await?
        .into_iter()
        .map(checked)
        .collect()
}

/// The tracking IDs of the complaints marked as duplicates of complaint `id`.
pub async fn duplicates_of(db: &impl ConnectionTrait, id: i32) -> Result<Vec<String>, DbErr> {
    Ok(complaint::Entity::find()
        .filter(complaint::Column::DuplicateOf.eq(id))
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.tracking_id)
        .collect())
}
