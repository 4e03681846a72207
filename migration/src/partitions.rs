//! Monthly range partitions of `responses` on PostgreSQL (`responses_y2026m12` holds December
//! 2026 by `local_date`). The partitioning migration creates the months that hold data;
//! Suara creates the months ahead at start-up and daily (`ensure_months`). A row whose month
//! has no partition yet lands in `responses_default` and moves to its month when that is created,
//! so an insert never fails for want of a partition. SQLite keeps one plain table.
use sea_orm_migration::sea_orm::{
    ConnectionTrait, DbBackend, DbErr, Statement, TransactionSession, TransactionTrait,
};

/// A calendar month as (year, month 1–12).
pub type Month = (i32, u32);

pub fn next(m: Month) -> Month {
    if m.1 == 12 {
        (m.0 + 1, 1)
    } else {
        (m.0, m.1 + 1)
    }
}

/// `responses_y2026m01`.
pub fn name(m: Month) -> String {
    format!("responses_y{:04}m{:02}", m.0, m.1)
}

fn first_day(m: Month) -> String {
    format!("{:04}-{:02}-01", m.0, m.1)
}

/// Every month from `from` to `to`, both included.
pub fn months(from: Month, to: Month) -> Vec<Month> {
    let mut out = vec![];
    let mut m = from;
    while m <= to {
        out.push(m);
        m = next(m);
    }
    out
}

/// Creates the partitions of the months from `from` to `to` that do not exist yet; returns how
/// many it created. Each month is one transaction under an advisory lock, so several processes
/// starting together create each month once. Rows already in the default partition for that
/// month move into it. A no-op on SQLite.
pub async fn ensure_months<C>(db: &C, from: Month, to: Month) -> Result<usize, DbErr>
where
    C: ConnectionTrait + TransactionTrait,
{
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(0);
    }
    let mut created = 0;
    for m in months(from, to) {
        let part = name(m);
        let txn = db.begin().await?;
        // One key for all partition work on this database: creation is rare and quick.
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7345000001)")
            .await?;
        let exists = txn
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                format!("SELECT to_regclass('{part}') IS NOT NULL AS e"),
            ))
            .await?
            .map(|r| r.try_get::<bool>("", "e"))
            .transpose()?
            .unwrap_or(false);
        if exists {
            txn.commit().await?;
            continue;
        }
        let (lo, hi) = (first_day(m), first_day(next(m)));
        // Create, fill from the default partition, then attach: attaching checks that the
        // default partition no longer holds rows of this month, and clones the parent's indexes
        // and foreign keys onto the new table.
        txn.execute_unprepared(&format!(
            "CREATE TABLE {part} (LIKE responses INCLUDING DEFAULTS);
             WITH moved AS (DELETE FROM responses_default
                            WHERE local_date >= '{lo}' AND local_date < '{hi}' RETURNING *)
             INSERT INTO {part} SELECT * FROM moved;
             ALTER TABLE responses ATTACH PARTITION {part} FOR VALUES FROM ('{lo}') TO ('{hi}');"
        ))
        .await?;
        txn.commit().await?;
        created += 1;
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_cross_the_year() {
        assert_eq!(
            months((2026, 11), (2027, 2)),
            vec![(2026, 11), (2026, 12), (2027, 1), (2027, 2)]
        );
        assert_eq!(months((2027, 1), (2026, 12)), vec![]);
        assert_eq!(name((2027, 1)), "responses_y2027m01");
        assert_eq!(first_day(next((2026, 12))), "2027-01-01");
    }
}
