//! Deadline questions over many complaints: the dashboard's counts, and the running complaints a
//! change to the holiday calendar can move.
use chrono::NaiveDate;
use entity::complaint;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::domain::calendar::wib_day_start;
use crate::domain::complaint::Status;
use crate::store::complaints::NEXT_DEADLINE;

/// Complaints waiting for verification, due today and overdue (next deadline before today),
/// within the units given (all when `None`). One pass of the database over the complaints.
pub async fn deadline_counts(
    db: &impl ConnectionTrait,
    units: Option<&[i32]>,
    today: NaiveDate,
) -> Result<(i64, i64, i64), DbErr> {
    // A formatted date, not user text: safe to inline, typed by the comparison.
    let day = today.format("%Y-%m-%d");
    let sum = |cond: String| {
        Expr::cust(format!(
            "CAST(COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS BIGINT)"
        ))
    };
    let mut q = complaint::Entity::find()
        .select_only()
        .column_as(sum("status = 'received'".into()), "new")
        .column_as(sum(format!("({NEXT_DEADLINE}) = '{day}'")), "due_today")
        .column_as(sum(format!("({NEXT_DEADLINE}) < '{day}'")), "overdue");
    if let Some(u) = units {
        q = q.filter(complaint::Column::UnitId.is_in(u.to_vec()));
    }
    let row: Option<(i64, i64, i64)> = q.into_tuple().one(db).await?;
    Ok(row.unwrap_or_default())
}

/// Complaints still running (received, verified, in progress, reopened) that were filed before
/// `day` and whose deadlines reach it: the only ones a holiday on `day`, added or removed, moves.
/// The receipt day itself never counts, so complaints filed on `day` or later are not touched.
pub async fn running_across(
    db: &impl ConnectionTrait,
    day: NaiveDate,
) -> Result<Vec<complaint::Model>, DbErr> {
    let running: Vec<&str> = Status::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect();
    complaint::Entity::find()
        .filter(complaint::Column::Status.is_in(running))
        .filter(complaint::Column::CreatedAt.lt(wib_day_start(day)))
        .filter(
            Condition::any()
                .add(complaint::Column::DueResolve.gte(day))
                .add(complaint::Column::DueFirstResponse.gte(day))
                .add(complaint::Column::DueVerify.gte(day)),
        )
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await
}
