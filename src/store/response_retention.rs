//! Removing raw responses older than the retention horizon, and remembering the horizon
//! (`kept_since`) so a rebuild of the rollup cells starts there and keeps the older cells. On
//! PostgreSQL whole monthly partitions go (detached, then dropped unless kept for an
//! archive); on SQLite the rows are deleted a batch at a time so intake never waits long.
use chrono::{Datelike, NaiveDate};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, TransactionTrait};

const RESPONSES: &str = "responses";

/// The first day whose responses are all still kept (`None`: nothing was ever removed).
pub async fn kept_since(db: &impl ConnectionTrait) -> Result<Option<NaiveDate>, DbErr> {
    let q = Query::select()
        .column(Alias::new("since"))
        .from(Alias::new("kept_since"))
        .and_where(Expr::col(Alias::new("kind")).eq(RESPONSES))
        .to_owned();
    match db.query_one(&q).await? {
        Some(row) => Ok(Some(row.try_get("", "since")?)),
        None => Ok(None),
    }
}

/// Moves the horizon to `since`, never back: rows once removed do not return.
async fn advance(db: &impl ConnectionTrait, since: NaiveDate) -> Result<(), DbErr> {
    let q = Query::insert()
        .into_table(Alias::new("kept_since"))
        .columns([Alias::new("kind"), Alias::new("since")])
        .values_panic([RESPONSES.into(), since.into()])
        .on_conflict(
            OnConflict::column(Alias::new("kind"))
                .value(
                    Alias::new("since"),
                    Expr::cust(
                        "CASE WHEN excluded.since > kept_since.since \
                         THEN excluded.since ELSE kept_since.since END",
                    ),
                )
                .to_owned(),
        )
        .to_owned();
    db.execute(&q).await?;
    Ok(())
}

/// What one expiry removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Removed {
    /// PostgreSQL partitions detached (and dropped unless `detach_only`), oldest first.
    pub partitions: Vec<String>,
    /// Rows deleted one by one (SQLite; on PostgreSQL, strays in the default partition).
    pub rows: u64,
}

/// Removes every response dated before `keep_from` (a first of the month), after recording
/// it as the horizon. Safe to run from several processes at once: on PostgreSQL an advisory
/// lock lets one of them do it, on SQLite each batch is its own short write.
pub async fn expire_before(
    db: &DatabaseConnection,
    keep_from: NaiveDate,
    detach_only: bool,
) -> Result<Removed, DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        return expire_partitions(db, keep_from, detach_only).await;
    }
    advance(db, keep_from).await?;
    let mut removed = Removed::default();
    // Unit by unit, so each batch is found through the `(unit_id, local_date)` index rather
    // than by scanning the table.
    let units = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT id FROM units ORDER BY id",
        ))
        .await?;
    for row in units {
        let unit: i32 = row.try_get("", "id")?;
        loop {
            // 5,000 rows a statement keeps each write short for the intake waiting behind it.
            let n = db
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Sqlite,
                    "DELETE FROM responses WHERE id IN (SELECT id FROM responses \
                     WHERE unit_id = ? AND local_date < ? LIMIT 5000)",
                    [unit.into(), keep_from.into()],
                ))
                .await?
                .rows_affected();
            removed.rows += n;
            if n < 5000 {
                break;
            }
        }
    }
    Ok(removed)
}

async fn expire_partitions(
    db: &DatabaseConnection,
    keep_from: NaiveDate,
    detach_only: bool,
) -> Result<Removed, DbErr> {
    let keep_month = (keep_from.year(), keep_from.month());
    let txn = db.begin().await?;
    let locked = txn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_try_advisory_xact_lock(7410003) AS l",
        ))
        .await?
        .map(|r| r.try_get::<bool>("", "l"))
        .transpose()?
        .unwrap_or(false);
    if !locked {
        // Another process is expiring right now.
        return Ok(Removed::default());
    }
    advance(&txn, keep_from).await?;
    let mut removed = Removed::default();
    for table in super::partitions::list(&txn).await? {
        let Some(month) = month_of_partition(&table) else {
            continue;
        };
        if month >= keep_month {
            continue;
        }
        // The names come from the catalogue and match `responses_yYYYYmMM`, so quoting them
        // is enough.
        txn.execute_unprepared(&format!(
            "ALTER TABLE responses DETACH PARTITION \"{table}\""
        ))
        .await?;
        if !detach_only {
            txn.execute_unprepared(&format!("DROP TABLE \"{table}\""))
                .await?;
        }
        removed.partitions.push(table);
    }
    removed.rows = txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "DELETE FROM responses_default WHERE local_date < $1",
            [keep_from.into()],
        ))
        .await?
        .rows_affected();
    txn.commit().await?;
    Ok(removed)
}

/// `responses_y2025m11` → (2025, 11).
fn month_of_partition(table: &str) -> Option<(i32, u32)> {
    let rest = table.strip_prefix("responses_y")?;
    let (y, m) = rest.split_once('m')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    Some((y.parse().ok()?, m.parse().ok()?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn partition_names() {
        assert_eq!(
            super::month_of_partition("responses_y2025m11"),
            Some((2025, 11))
        );
        assert_eq!(super::month_of_partition("responses_default"), None);
        assert_eq!(super::month_of_partition("responses_y25m1"), None);
        let name = migration::partitions::name((2024, 2));
        assert_eq!(super::month_of_partition(&name), Some((2024, 2)));
    }
}
