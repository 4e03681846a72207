//! A unit's raw responses read a page at a time, by (day, id) after the last row sent, so an
//! export of any length holds one page in memory. The `(unit_id, local_date)` index serves
//! both the range and the order (on SQLite its entries end in the row id; PostgreSQL sorts
//! within a day).
use chrono::NaiveDate;
use entity::response;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect,
};

/// What an export reads of a response: never the comment, never the one-time code.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ExportRow {
    pub id: i64,
    pub local_date: NaiveDate,
    pub survey_version_id: i32,
    pub service_id: Option<i32>,
    pub channel: String,
    pub answers: String,
    pub respondent: String,
}

/// The survey versions the unit's responses in the range were given to.
pub async fn versions_used(
    db: &impl ConnectionTrait,
    unit_id: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<i32>, DbErr> {
    response::Entity::find()
        .select_only()
        .column(response::Column::SurveyVersionId)
        .distinct()
        .filter(response::Column::UnitId.eq(unit_id))
        .filter(response::Column::LocalDate.between(from, to))
        .into_tuple()
        .all(db)
        .await
}

/// Up to `limit` responses of the unit from `from` to `to`, in (day, id) order, after `after`.
pub async fn page(
    db: &impl ConnectionTrait,
    unit_id: i32,
    from: NaiveDate,
    to: NaiveDate,
    after: Option<(NaiveDate, i64)>,
    limit: u64,
) -> Result<Vec<ExportRow>, DbErr> {
    use response::Column as C;
    let mut q = response::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::LocalDate,
            C::SurveyVersionId,
            C::ServiceId,
            C::Channel,
            C::Answers,
            C::Respondent,
        ])
        .filter(C::UnitId.eq(unit_id))
        .filter(C::LocalDate.lte(to));
    q = match after {
        None => q.filter(C::LocalDate.gte(from)),
        Some((day, id)) => q.filter(C::LocalDate.gte(day)).filter(
            Condition::any()
                .add(C::LocalDate.gt(day))
                .add(Condition::all().add(C::LocalDate.eq(day)).add(C::Id.gt(id))),
        ),
    };
    q.order_by_asc(C::LocalDate)
        .order_by_asc(C::Id)
        .limit(limit)
        .into_model::<ExportRow>()
        .all(db)
        .await
}
