//! The rollup tables (`rollup_unit_day`, `rollup_unit_month`): (n, Σx, Σx²) per unit × period ×
//! code, and the per unit quarter and year summaries (`store::summaries`). Responses,
//! complaints and the seeders all add to them through `upsert_rollups`.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr};

/// Adds to the daily and monthly rollup rows, creating them when missing. Codes may be owned or
/// borrowed (a bulk load keeps them interned).
pub async fn upsert_rollups<C: AsRef<str> + Ord + std::hash::Hash>(
    db: &impl ConnectionTrait,
    sums: HashMap<(i32, NaiveDate, C), (i64, f64, f64)>,
) -> Result<(), DbErr> {
    use chrono::Datelike;
    let mut months: HashMap<(i32, (i32, u32), &str), Acc> = HashMap::new();
    for ((unit, day, code), (n, s, ss)) in &sums {
        let e = months
            .entry((*unit, (day.year(), day.month()), code.as_ref()))
            .or_insert((0, 0.0, 0.0));
        e.0 += n;
        e.1 += s;
        e.2 += ss;
    }
    // A fixed order keeps concurrent writers (several processes on PostgreSQL) from deadlocking.
    // Typed keys sort as their text does (ISO dates, zero-padded months), so nothing is
    // formatted to sort.
    let mut months: Vec<_> = months.into_iter().collect();
    months.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let months: Vec<Row<'_>> = months
        .into_iter()
        .map(|((u, (y, m), c), v)| ((u, sea_orm::Value::from(format!("{y:04}-{m:02}")), c), v))
        .collect();
    let mut days: Vec<_> = sums.iter().collect();
    days.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let days: Vec<Row<'_>> = days
        .into_iter()
        .map(|((u, d, c), v)| ((*u, sea_orm::Value::from(*d), c.as_ref()), *v))
        .collect();
    upsert_into(db, "rollup_unit_day", "local_date", &days).await?;
    upsert_into(db, "rollup_unit_month", "month", &months).await?;
    // After the daily and monthly cells, always: writers lock in one order (days, months,
    // summaries), so two of them never wait on each other in a circle.
    crate::store::summaries::merge(db, &sums).await
}

/// (n, Σx, Σx²) of one rollup cell.
type Acc = (i64, f64, f64);

type Row<'a> = ((i32, sea_orm::Value, &'a str), Acc);

/// Rows must arrive in (unit, period, code) order.
async fn upsert_into(
    db: &impl ConnectionTrait,
    table: &'static str,
    period: &'static str,
    rows: &[Row<'_>],
) -> Result<(), DbErr> {
    use sea_orm::sea_query::Alias;
    // 300 rows × 6 values stays inside 2,000 parameters a statement.
    for chunk in rows.chunks(300) {
        let mut q = Query::insert();
        q.into_table(Alias::new(table))
            .columns(["unit_id", period, "code", "n", "sum", "sumsq"].map(Alias::new));
        for ((unit, p, code), (n, s, ss)) in chunk {
            q.values_panic([
                (*unit).into(),
                p.clone().into(),
                (*code).into(),
                (*n).into(),
                (*s).into(),
                (*ss).into(),
            ]);
        }
        q.on_conflict(
            OnConflict::columns(["unit_id", period, "code"].map(Alias::new))
                .value(
                    Alias::new("n"),
                    Expr::cust(format!("{table}.n + excluded.n")),
                )
                .value(
                    Alias::new("sum"),
                    Expr::cust(format!("{table}.sum + excluded.sum")),
                )
                .value(
                    Alias::new("sumsq"),
                    Expr::cust(format!("{table}.sumsq + excluded.sumsq")),
                )
                .to_owned(),
        );
        db.execute(&q).await?;
    }
    Ok(())
}
