//! How complaints came in, by channel: counts straight off `complaints` over one unit's index
//! range (responses by channel are rollup cells, `_R:<channel>`).
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

/// (filed at, channel) of every complaint of a unit filed in `[from, to)`; a unit files a few
/// thousand a year at most, so they are bucketed by the caller.
pub async fn complaints(
    db: &impl ConnectionTrait,
    unit: i32,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, String)>, DbErr> {
    use entity::complaint::{Column as C, Entity};
    Entity::find()
        .select_only()
        .column(C::CreatedAt)
        .column(C::Channel)
        .filter(C::UnitId.eq(unit))
        .filter(C::CreatedAt.gte(from))
        .filter(C::CreatedAt.lt(to))
        .into_tuple()
        .all(db)
        .await
}
