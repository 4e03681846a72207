//! The per unit and period summaries (`rollup_unit_period`): one row per unit and quarter or
//! year holding all of its cells but the respondent profile (see
//! [`crate::domain::summary_cells`]). Kept in the transaction that adds to the daily and
//! monthly cells (`store::rollups::upsert_rollups`), rebuilt from the monthly cells by
//! `rebuild_unit` wherever cells are rewritten wholesale (`suara rollup rebuild`, a bulk load).
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, Value};

use crate::domain::stats::Summary;
use crate::domain::summary_cells::{self as cells, quarter_of, summarised, year_of};

type Cells = BTreeMap<String, (i64, f64, f64)>;

/// The SQL with `?` placeholders as the backend writes them.
fn sql(backend: DbBackend, text: &str) -> String {
    if backend != DbBackend::Postgres {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    for ch in text.chars() {
        if ch == '?' {
            i += 1;
            out.push_str(&format!("${i}"));
        } else {
            out.push(ch);
        }
    }
    out
}

fn stmt(backend: DbBackend, text: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(backend, sql(backend, text), values)
}

fn torn(period: &str, unit: i32) -> DbErr {
    DbErr::Custom(format!(
        "the summary of unit {unit}, {period} does not decode: run `suara rollup rebuild`"
    ))
}

/// Adds cell deltas, keyed by (unit, day, code) as the daily cells are, to the quarter and
/// year summaries they fall in. Rows are made first (empty) so that two writers starting a
/// period together both find one to lock; then they are read, locked (PostgreSQL; a SQLite
/// write transaction holds the whole file) and written back, in a fixed order.
pub async fn merge<C: AsRef<str>>(
    db: &impl ConnectionTrait,
    sums: &HashMap<(i32, NaiveDate, C), (i64, f64, f64)>,
) -> Result<(), DbErr> {
    let mut by: BTreeMap<(String, i32), Cells> = BTreeMap::new();
    for ((unit, day, code), (n, s, ss)) in sums {
        let code = code.as_ref();
        if !summarised(code) {
            continue;
        }
        for period in [quarter_of(*day), year_of(*day)] {
            let e = by
                .entry((period, *unit))
                .or_default()
                .entry(code.to_string())
                .or_insert((0, 0.0, 0.0));
            e.0 += n;
            e.1 += s;
            e.2 += ss;
        }
    }
    if by.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let empty = cells::encode(&Cells::new());
    let lock = if backend == DbBackend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let keys: Vec<&(String, i32)> = by.keys().collect();
    // Three statements a chunk whatever its size: make the rows, read and lock them (in key
    // order: PostgreSQL locks the rows as the sort hands them over), write them back.
    for chunk in keys.chunks(300) {
        let pairs = vec!["(?, ?)"; chunk.len()].join(", ");
        let triples = vec!["(?, ?, ?)"; chunk.len()].join(", ");
        let key_values = || -> Vec<Value> {
            chunk
                .iter()
                .flat_map(|(period, unit)| [period.as_str().into(), (*unit).into()])
                .collect()
        };
        let with_cells = |cells: &dyn Fn(&(String, i32)) -> Vec<u8>| -> Vec<Value> {
            chunk
                .iter()
                .flat_map(|k| [k.0.as_str().into(), k.1.into(), cells(k).into()])
                .collect()
        };
        db.execute_raw(stmt(
            backend,
            &format!(
                "INSERT INTO rollup_unit_period (period, unit_id, cells) VALUES {triples} \
                 ON CONFLICT (period, unit_id) DO NOTHING"
            ),
            with_cells(&|_| empty.clone()),
        ))
        .await?;
        let rows = db
            .query_all_raw(stmt(
                backend,
                &format!(
                    "SELECT period, unit_id, cells FROM rollup_unit_period \
                     WHERE (period, unit_id) IN (VALUES {pairs}) ORDER BY period, unit_id{lock}"
                ),
                key_values(),
            ))
            .await?;
        let mut current: HashMap<(String, i32), Vec<u8>> = HashMap::with_capacity(rows.len());
        for r in rows {
            current.insert(
                (r.try_get("", "period")?, r.try_get("", "unit_id")?),
                r.try_get("", "cells")?,
            );
        }
        let mut merged: HashMap<&(String, i32), Vec<u8>> = HashMap::with_capacity(chunk.len());
        for k in chunk {
            let bytes = current.get(*k).unwrap_or(&empty);
            let cells = cells::decode(bytes).ok_or_else(|| torn(&k.0, k.1))?;
            merged.insert(*k, cells::encode(&cells::merge(cells, &by[*k])));
        }
        db.execute_raw(stmt(
            backend,
            &format!(
                "INSERT INTO rollup_unit_period (period, unit_id, cells) VALUES {triples} \
                 ON CONFLICT (period, unit_id) DO UPDATE SET cells = excluded.cells"
            ),
            with_cells(&|k| merged[k].clone()),
        ))
        .await?;
    }
    Ok(())
}

/// Rewrites unit `unit`'s summaries from its monthly cells.
pub async fn rebuild_unit(db: &impl ConnectionTrait, unit: i32) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(stmt(
        backend,
        "DELETE FROM rollup_unit_period WHERE unit_id = ?",
        vec![unit.into()],
    ))
    .await?;
    let rows = db
        .query_all_raw(stmt(
            backend,
            "SELECT month, code, n, sum, sumsq FROM rollup_unit_month WHERE unit_id = ?",
            vec![unit.into()],
        ))
        .await?;
    let mut by: BTreeMap<String, Cells> = BTreeMap::new();
    for r in rows {
        let month: String = r.try_get("", "month")?;
        let code: String = r.try_get("", "code")?;
        if !summarised(&code) {
            continue;
        }
        let Ok(first) = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d") else {
            continue;
        };
        let v: (i64, f64, f64) = (
            r.try_get("", "n")?,
            r.try_get("", "sum")?,
            r.try_get("", "sumsq")?,
        );
        for period in [quarter_of(first), year_of(first)] {
            let e = by
                .entry(period)
                .or_default()
                .entry(code.clone())
                .or_insert((0, 0.0, 0.0));
            e.0 += v.0;
            e.1 += v.1;
            e.2 += v.2;
        }
    }
    for (period, c) in by {
        db.execute_raw(stmt(
            backend,
            "INSERT INTO rollup_unit_period (period, unit_id, cells) VALUES (?, ?, ?)",
            vec![period.into(), unit.into(), cells::encode(&c).into()],
        ))
        .await?;
    }
    Ok(())
}

/// Rewrites every unit's summaries from the monthly cells; the units done.
pub async fn rebuild_all(db: &impl ConnectionTrait) -> Result<usize, DbErr> {
    let backend = db.get_database_backend();
    let units = db
        .query_all_raw(stmt(
            backend,
            "SELECT DISTINCT unit_id FROM rollup_unit_month",
            vec![],
        ))
        .await?;
    for r in &units {
        rebuild_unit(db, r.try_get::<i32>("", "unit_id")?).await?;
    }
    Ok(units.len())
}

/// Databases from before the summaries hold monthly cells but no summary: builds them once, at
/// start-up (one write transaction and, on PostgreSQL, an advisory lock, so processes starting
/// together do it once). The units built.
pub async fn backfill_if_missing(db: &DatabaseConnection) -> Result<usize, DbErr> {
    async fn needed(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
        let backend = db.get_database_backend();
        let has = |table: &str| {
            stmt(
                backend,
                &format!("SELECT 1 AS x FROM {table} LIMIT 1"),
                vec![],
            )
        };
        Ok(db.query_one_raw(has("rollup_unit_month")).await?.is_some()
            && db.query_one_raw(has("rollup_unit_period")).await?.is_none())
    }
    if !needed(db).await? {
        return Ok(0);
    }
    let txn = crate::store::begin_write(db).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7410002)")
            .await?;
    }
    if !needed(&txn).await? {
        txn.rollback().await?;
        return Ok(0);
    }
    let n = rebuild_all(&txn).await?;
    txn.commit().await?;
    Ok(n)
}

/// The summed cells per unit of the summary periods named, for `units` (all when `None`).
pub async fn read(
    db: &impl ConnectionTrait,
    periods: &[String],
    units: Option<&[i32]>,
) -> Result<HashMap<i32, HashMap<String, Summary>>, DbErr> {
    let mut out: HashMap<i32, HashMap<String, Summary>> = HashMap::new();
    if periods.is_empty() {
        return Ok(out);
    }
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = periods.iter().map(|p| p.as_str().into()).collect();
    let mut text = format!(
        "SELECT unit_id, period, cells FROM rollup_unit_period WHERE period IN ({})",
        vec!["?"; periods.len()].join(", ")
    );
    if let Some(u) = units {
        if u.is_empty() {
            return Ok(out);
        }
        text.push_str(&format!(
            " AND unit_id IN ({})",
            vec!["?"; u.len()].join(", ")
        ));
        values.extend(u.iter().map(|i| Value::from(*i)));
    }
    for r in db.query_all_raw(stmt(backend, &text, values)).await? {
        let unit: i32 = r.try_get("", "unit_id")?;
        let bytes: Vec<u8> = r.try_get("", "cells")?;
        let into = out.entry(unit).or_default();
        if cells::add_into(into, &bytes).is_none() {
            let period: String = r.try_get("", "period")?;
            return Err(torn(&period, unit));
        }
    }
    Ok(out)
}
