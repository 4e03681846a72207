//! How feedback came in, by channel: counts straight off `responses` and `complaints` (the
//! rollups have no channel dimension), over one unit's index range.
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

/// (day, channel, responses) of a unit between two local dates, both included.
pub async fn responses(
    db: &impl ConnectionTrait,
    unit: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, String, i64)>, DbErr> {
    use entity::response::{Column as C, Entity};
    Entity::find()
        .select_only()
        .column(C::LocalDate)
        .column(C::Channel)
        .column_as(C::Id.count(), "n")
        .filter(C::UnitId.eq(unit))
        .filter(C::LocalDate.between(from, to))
        .group_by(C::LocalDate)
        .group_by(C::Channel)
        .into_tuple()
        .all(db)
        .await
}

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
