//! Keeping the monthly partitions of `responses` ahead of the calendar on PostgreSQL (the
//! mechanics are in `migration::partitions`, shared with the migration that made them).
use chrono::{Datelike, NaiveDate};
use migration::partitions::{Month, ensure_months, next};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

/// Months ahead of today that always have a partition: a quarter, so a node that is down for
/// weeks still finds its month when it comes back.
pub const AHEAD_MONTHS: u32 = 3;

pub fn month_of(d: NaiveDate) -> Month {
    (d.year(), d.month())
}

/// Creates this month's partition and the next `AHEAD_MONTHS`, and a partition for any month
/// whose rows landed in the default partition (a bulk load or a restored backup from before),
/// moving those rows into it. Returns how many partitions it created; 0 on SQLite.
pub async fn ensure(db: &DatabaseConnection, today: NaiveDate) -> Result<usize, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(0);
    }
    let now = month_of(today);
    let mut last = now;
    for _ in 0..AHEAD_MONTHS {
        last = next(last);
    }
    let mut created = ensure_months(db, now, last).await?;
    for m in stray_months(db).await? {
        created += ensure_months(db, m, m).await?;
    }
    Ok(created)
}

/// Creates the partitions a bulk load of `from..=to` needs, before it writes.
pub async fn ensure_range(
    db: &DatabaseConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<usize, DbErr> {
    ensure_months(db, month_of(from), month_of(to)).await
}

async fn stray_months(db: &impl ConnectionTrait) -> Result<Vec<Month>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT DISTINCT EXTRACT(YEAR FROM local_date)::int AS y,
                             EXTRACT(MONTH FROM local_date)::int AS m
             FROM responses_default",
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get::<i32>("", "y")?,
                r.try_get::<i32>("", "m")? as u32,
            ))
        })
        .collect()
}

/// The partition a stored response sits in (`responses` itself on SQLite).
pub async fn partition_of(db: &impl ConnectionTrait, response_id: i64) -> Result<String, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok("responses".into());
    }
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT tableoid::regclass::text AS t FROM responses WHERE id = $1",
            [response_id.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("response {response_id}")))?;
    row.try_get("", "t")
}

/// The partitions of `responses`, oldest first (none on SQLite).
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(vec![]);
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT c.relname AS t FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'responses'::regclass ORDER BY c.relname",
        ))
        .await?;
    rows.iter().map(|r| r.try_get("", "t")).collect()
}
