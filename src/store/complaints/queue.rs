//! The staff queue: complaints by filter and next deadline, what falls due, counts per status,
//! and resolved complaints whose reopen window has passed.
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::complaint;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::rows::{checked, parse_status};
use crate::domain::complaint::Status;

#[derive(Debug, Default, Clone)]
pub struct QueueFilter {
    /// `None`: every unit the caller may see is already in `units`.
    pub units: Option<Vec<i32>>,
    /// `None`: open work, i.e. every status but closed, rejected and duplicate.
    pub statuses: Option<Vec<Status>>,
    pub category_id: Option<i32>,
    pub kind: Option<String>,
    /// Only complaints whose next deadline is before this day (WIB).
    pub overdue_on: Option<NaiveDate>,
}

/// The next deadline of a complaint, as SQL: what `domain::complaint::next_deadline` computes,
/// so the database can filter, sort and page by it. Dates compare as dates on PostgreSQL and as
/// ISO text on SQLite.
pub(crate) const NEXT_DEADLINE: &str = "CASE \
    WHEN status = 'received' THEN due_verify \
    WHEN status IN ('verified', 'in_progress', 'reopened') AND first_response_at IS NULL \
        AND due_first_response < due_resolve THEN due_first_response \
    WHEN status IN ('verified', 'in_progress', 'reopened') THEN due_resolve \
    END";

fn queue_query(f: &QueueFilter) -> sea_orm::Select<complaint::Entity> {
    let mut q = complaint::Entity::find();
    if let Some(units) = &f.units {
        q = q.filter(complaint::Column::UnitId.is_in(units.clone()));
    }
    let statuses: Vec<&str> = match &f.statuses {
        Some(s) => s.iter().map(|s| s.as_str()).collect(),
        None => Status::ALL
            .iter()
            .filter(|s| !s.is_closed())
            .map(|s| s.as_str())
            .collect(),
    };
    q = q.filter(complaint::Column::Status.is_in(statuses));
    if let Some(c) = f.category_id {
        q = q.filter(complaint::Column::CategoryId.eq(c));
    }
    if let Some(k) = &f.kind {
        q = q.filter(complaint::Column::Kind.eq(k.as_str()));
    }
    if let Some(day) = f.overdue_on {
        // A formatted date, not user text: safe to inline, and typed by the comparison.
        q = q.filter(Expr::cust(format!(
            "({NEXT_DEADLINE}) < '{}'",
            day.format("%Y-%m-%d")
        )));
    }
    q
}

/// One page of the complaints matching the filter, by next deadline (earliest, so overdue,
/// first; those without one last), and how many match in all.
pub async fn queue(
    db: &impl ConnectionTrait,
    f: &QueueFilter,
    page: u64,
    size: u64,
) -> Result<(Vec<complaint::Model>, u64), DbErr> {
    let total = queue_query(f).count(db).await?;
    let rows = queue_query(f)
        .order_by(Expr::cust(format!("({NEXT_DEADLINE}) IS NULL")), Order::Asc)
        .order_by(Expr::cust(NEXT_DEADLINE), Order::Asc)
        .order_by_asc(complaint::Column::Id)
        .offset(page.saturating_sub(1) * size)
        .limit(size)
        .all(db)
        .await?
        .into_iter()
        .map(checked)
        .collect::<Result<_, _>>()?;
    Ok((rows, total))
}

/// Open complaints of `units` whose next deadline is on or before `until` (WIB), earliest
/// first: what a unit has to act on by then, overdue work included.
pub async fn due_by(
    db: &impl ConnectionTrait,
    units: &[i32],
    until: NaiveDate,
) -> Result<Vec<complaint::Model>, DbErr> {
    if units.is_empty() {
        return Ok(vec![]);
    }
    let f = QueueFilter {
        units: Some(units.to_vec()),
        ..Default::default()
    };
    queue_query(&f)
        // A formatted date, not user text: safe to inline, and typed by the comparison.
        .filter(Expr::cust(format!(
            "({NEXT_DEADLINE}) <= '{}'",
            until.format("%Y-%m-%d")
        )))
        .order_by(Expr::cust(NEXT_DEADLINE), Order::Asc)
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(checked)
        .collect()
}

/// Complaints per status within the caller's units.
pub async fn counts(
    db: &impl ConnectionTrait,
    units: Option<&[i32]>,
) -> Result<HashMap<Status, i64>, DbErr> {
    let mut q = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::Status)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .group_by(complaint::Column::Status);
    if let Some(u) = units {
        q = q.filter(complaint::Column::UnitId.is_in(u.to_vec()));
    }
    let rows: Vec<(String, i64)> = q.into_tuple().all(db).await?;
    rows.into_iter()
        .map(|(s, n)| Ok((parse_status(&s)?, n)))
        .collect()
}

/// Resolved complaints whose reopen window ended before `cutoff_resolved_on`.
pub async fn resolved_before(
    db: &impl ConnectionTrait,
    cutoff: DateTime<Utc>,
) -> Result<Vec<complaint::Model>, DbErr> {
    complaint::Entity::find()
        .filter(complaint::Column::Status.eq(Status::Resolved.as_str()))
        .filter(complaint::Column::ResolvedAt.lt(cutoff))
        .all(db)
        .await?
        .into_iter()
        .map(checked)
        .collect()
}
