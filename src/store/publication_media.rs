//! The media each unit publishes its SKM results on.
use chrono::Utc;
use entity::unit_publication_medium::{ActiveModel, Column, Entity};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

pub async fn for_unit(db: &impl ConnectionTrait, unit_id: i32) -> Result<Vec<String>, DbErr> {
    Ok(Entity::find()
        .filter(Column::UnitId.eq(unit_id))
        .order_by_asc(Column::Medium)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.medium)
        .collect())
}

/// Replaces the unit's media with `media` (in the caller's transaction).
pub async fn replace(
    db: &impl ConnectionTrait,
    unit_id: i32,
    media: &[String],
) -> Result<(), DbErr> {
    Entity::delete_many()
        .filter(Column::UnitId.eq(unit_id))
        .exec(db)
        .await?;
    if media.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    Entity::insert_many(media.iter().map(|m| ActiveModel {
        unit_id: Set(unit_id),
        medium: Set(m.clone()),
        updated_at: Set(now),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}
