//! Queue stamps and the daily cells they make. Stamps are inserted once per key (unit, WIB day,
//! service, ticket, event): a resent file counts as duplicates. A day's cells are rebuilt from all of its
//! stamps after each delivery, under a per-(unit, day) lock on PostgreSQL so that two
//! deliveries for the same day cannot leave the older reading behind.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entity::{queue_day, queue_event, queue_feed};
use sea_orm::sea_query::{Alias, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, Statement,
};

use crate::domain::queue::{DayMeasures, QueueEvent, histogram_from_json, histogram_json};
use crate::domain::stats::Summary;

/// Rows per INSERT: 7 values each stays far below SQLite's 32,766 bound parameters.
const CHUNK: usize = 1_000;

/// Inserts `events` of unit `unit_id`; the number newly stored (the rest were there).
pub async fn insert(
    db: &impl ConnectionTrait,
    unit_id: i32,
    events: &[QueueEvent],
) -> Result<u64, DbErr> {
    let now = Utc::now();
    let mut stored = 0;
    for chunk in events.chunks(CHUNK) {
        let mut q = Query::insert();
        q.into_table(Alias::new("queue_events")).columns(
            [
                "unit_id",
                "day",
                "ticket",
                "event",
                "service",
                "at",
                "counter",
                "received_at",
            ]
            .map(Alias::new),
        );
        for e in chunk {
            q.values_panic([
                unit_id.into(),
                e.day.into(),
                e.ticket.as_str().into(),
                e.event.into(),
                e.service.as_str().into(),
                e.at.into(),
                e.counter.clone().into(),
                now.into(),
            ]);
        }
        q.on_conflict(
            OnConflict::columns(["unit_id", "day", "service", "ticket", "event"].map(Alias::new))
                .do_nothing()
                .to_owned(),
        );
        stored += db.execute(&q).await?.rows_affected();
    }
    Ok(stored)
}

/// Serialises rebuilds of one unit's day on PostgreSQL (SQLite's write transaction already
/// does).
pub async fn lock_day(
    db: &impl ConnectionTrait,
    unit_id: i32,
    day: NaiveDate,
) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        let key = day.num_days_from_ce();
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [(7_420_000 + unit_id).into(), key.into()],
        ))
        .await?;
    }
    Ok(())
}

/// (service, ticket, event, at) of every stamp of the unit's day.
pub async fn day_stamps(
    db: &impl ConnectionTrait,
    unit_id: i32,
    day: NaiveDate,
) -> Result<Vec<(String, String, String, DateTime<Utc>)>, DbErr> {
    use queue_event::Column as C;
    queue_event::Entity::find()
        .select_only()
        .column(C::Service)
        .column(C::Ticket)
        .column(C::Event)
        .column(C::At)
        .filter(C::UnitId.eq(unit_id))
        .filter(C::Day.eq(day))
        .into_tuple()
        .all(db)
        .await
}

/// Replaces the unit's cells of `day` by `cells` (service → measures).
pub async fn replace_day(
    db: &impl ConnectionTrait,
    unit_id: i32,
    day: NaiveDate,
    cells: Vec<(String, DayMeasures)>,
) -> Result<(), DbErr> {
    queue_day::Entity::delete_many()
        .filter(queue_day::Column::UnitId.eq(unit_id))
        .filter(queue_day::Column::Day.eq(day))
        .exec(db)
        .await?;
    if cells.is_empty() {
        return Ok(());
    }
    let rows = cells
        .into_iter()
        .map(|(service, m)| queue_day::ActiveModel {
            unit_id: Set(unit_id),
            day: Set(day),
            service: Set(service),
            tickets: Set(m.tickets as i64),
            no_shows: Set(m.no_shows as i64),
            waited: Set(m.wait.n as i64),
            wait_sum: Set(m.wait.sum),
            wait_sumsq: Set(m.wait.sumsq),
            judged: Set(m.judged as i64),
            over_standard: Set(m.over as i64),
            served: Set(m.service.n as i64),
            service_sum: Set(m.service.sum),
            service_sumsq: Set(m.service.sumsq),
            wait_hist: Set(histogram_json(&m.waits)),
            service_hist: Set(histogram_json(&m.services)),
        });
    queue_day::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// (day, service, measures) of the unit's cells in [from, to], by day.
pub async fn days(
    db: &impl ConnectionTrait,
    unit_id: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, String, DayMeasures)>, DbErr> {
    use queue_day::Column as C;
    let rows = queue_day::Entity::find()
        .filter(C::UnitId.eq(unit_id))
        .filter(C::Day.gte(from))
        .filter(C::Day.lte(to))
        .order_by_asc(C::Day)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.day, r.service.clone(), measures(&r)))
        .collect())
}

fn measures(r: &queue_day::Model) -> DayMeasures {
    DayMeasures {
        tickets: r.tickets.max(0) as u64,
        no_shows: r.no_shows.max(0) as u64,
        wait: Summary::new(r.waited.max(0) as u64, r.wait_sum, r.wait_sumsq),
        waits: histogram_from_json(&r.wait_hist),
        judged: r.judged.max(0) as u64,
        over: r.over_standard.max(0) as u64,
        service: Summary::new(r.served.max(0) as u64, r.service_sum, r.service_sumsq),
        services: histogram_from_json(&r.service_hist),
    }
}

/// (unit, measures) of every cell in [from, to], any unit.
pub async fn all_units(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(i32, DayMeasures)>, DbErr> {
    use queue_day::Column as C;
    let rows = queue_day::Entity::find()
        .filter(C::Day.gte(from))
        .filter(C::Day.lte(to))
        .all(db)
        .await?;
    Ok(rows.iter().map(|r| (r.unit_id, measures(r))).collect())
}

/// (unit, judged, over, waited, wait_sum, wait_sumsq) as summed.
type SumRow = (
    i32,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<f64>,
    Option<f64>,
);

/// Per unit over [from, to] (all units, or `unit` only): (waits judged, over the standard) as
/// a share's sums, and the waits' minutes — what the training rules read.
pub async fn sums_by_unit(
    db: &impl ConnectionTrait,
    unit: Option<i32>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<i32, (Summary, Summary)>, DbErr> {
    use queue_day::Column as C;
    use sea_orm::sea_query::Expr;
    let mut q = queue_day::Entity::find()
        .select_only()
        .column(C::UnitId)
        // PostgreSQL sums BIGINT as NUMERIC: cast back to what the row decodes.
        .column_as(Expr::cust("CAST(SUM(judged) AS BIGINT)"), "judged")
        .column_as(Expr::cust("CAST(SUM(over_standard) AS BIGINT)"), "over")
        .column_as(Expr::cust("CAST(SUM(waited) AS BIGINT)"), "waited")
        .column_as(
            Expr::cust("CAST(SUM(wait_sum) AS DOUBLE PRECISION)"),
            "wait_sum",
        )
        .column_as(
            Expr::cust("CAST(SUM(wait_sumsq) AS DOUBLE PRECISION)"),
            "wait_sumsq",
        )
        .filter(C::Day.gte(from))
        .filter(C::Day.lte(to))
        .group_by(C::UnitId);
    if let Some(u) = unit {
        q = q.filter(C::UnitId.eq(u));
    }
    let rows: Vec<SumRow> = q.into_tuple().all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(u, judged, over, n, s, ss)| {
            let judged = judged.unwrap_or(0).max(0) as u64;
            let over = over.unwrap_or(0).max(0) as f64;
            (
                u,
                (
                    Summary::new(judged, over, over),
                    Summary::new(
                        n.unwrap_or(0).max(0) as u64,
                        s.unwrap_or(0.0),
                        ss.unwrap_or(0.0),
                    ),
                ),
            )
        })
        .collect())
}

/// Units that have any measured day.
pub async fn units_with_days(db: &impl ConnectionTrait) -> Result<HashSet<i32>, DbErr> {
    let ids: Vec<i32> = queue_day::Entity::find()
        .select_only()
        .column(queue_day::Column::UnitId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().collect())
}

/// Forgets stamps of days before `cutoff` (the cells stay).
pub async fn purge_before(db: &impl ConnectionTrait, cutoff: NaiveDate) -> Result<u64, DbErr> {
    Ok(queue_event::Entity::delete_many()
        .filter(queue_event::Column::Day.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected)
}

pub async fn feed(
    db: &impl ConnectionTrait,
    unit_id: i32,
) -> Result<Option<queue_feed::Model>, DbErr> {
    queue_feed::Entity::find_by_id(unit_id).one(db).await
}

/// Sets (or replaces) the unit's feed credentials.
pub async fn set_feed(
    db: &impl ConnectionTrait,
    unit_id: i32,
    token_hash: &str,
    prefix: &str,
    secret: &str,
) -> Result<(), DbErr> {
    queue_feed::Entity::delete_by_id(unit_id).exec(db).await?;
    queue_feed::Entity::insert(queue_feed::ActiveModel {
        unit_id: Set(unit_id),
        token_hash: Set(token_hash.to_string()),
        prefix: Set(prefix.to_string()),
        secret: Set(secret.to_string()),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await?;
    Ok(())
}

pub async fn feed_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<queue_feed::Model>, DbErr> {
    queue_feed::Entity::find()
        .filter(queue_feed::Column::TokenHash.eq(token_hash))
        .one(db)
        .await
}
