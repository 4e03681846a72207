//! Complaint cells in the rollup tables (`domain::complaint_cells`): kept in step with every
//! change of a complaint, inside the transaction that makes it, and rebuildable from the rows.
use std::collections::HashMap;

use chrono::NaiveDate;
use entity::complaint;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::domain::complaint_cells::{CHANNEL, ComplaintState, PREFIX, TOTAL, delta};
use crate::store::rollups::upsert_rollups;

/// (unit, day, code) → (n, Σx, Σx²), as the rollup writer takes them.
pub type Cells = HashMap<(i32, NaiveDate, String), (i64, f64, f64)>;

pub fn state(c: &complaint::Model) -> ComplaintState<'_> {
    ComplaintState {
        kind: &c.kind,
        channel: &c.channel,
        category_id: c.category_id,
        status: &c.status,
        created_at: c.created_at,
        verified_at: c.verified_at,
        resolved_at: c.resolved_at,
        due_resolve: c.due_resolve,
        reopen_count: c.reopen_count,
    }
}

/// Adds the change from `old` to `new` to `acc` (either may be absent).
pub fn accumulate(acc: &mut Cells, old: Option<&complaint::Model>, new: Option<&complaint::Model>) {
    let mut put = |unit: i32, rows: Vec<(NaiveDate, String, i64, f64, f64)>| {
        for (day, code, dn, s, ss) in rows {
            let e = acc.entry((unit, day, code)).or_default();
            e.0 += dn;
            e.1 += s;
            e.2 += ss;
        }
    };
    match (old, new) {
        (Some(a), Some(b)) if a.unit_id == b.unit_id => {
            put(b.unit_id, delta(Some(&state(a)), Some(&state(b))));
        }
        // Forwarding records the other unit and keeps this one, but should a complaint ever
        // change unit, its old cells leave the old unit.
        _ => {
            if let Some(a) = old {
                put(a.unit_id, delta(Some(&state(a)), None));
            }
            if let Some(b) = new {
                put(b.unit_id, delta(None, Some(&state(b))));
            }
        }
    }
}

/// Writes the change from `old` to `new` to the rollups (call inside the complaint's transaction).
pub async fn apply(
    db: &impl ConnectionTrait,
    old: Option<&complaint::Model>,
    new: Option<&complaint::Model>,
) -> Result<(), DbErr> {
    let mut acc = Cells::new();
    accumulate(&mut acc, old, new);
    if acc.is_empty() {
        return Ok(());
    }
    upsert_rollups(db, acc).await
}

/// The cells of every complaint of `unit`, read in pages (only the columns the cells need).
pub async fn cells_of_unit(db: &impl ConnectionTrait, unit: i32) -> Result<Cells, DbErr> {
    use complaint::Column as C;
    let mut acc = Cells::new();
    let mut last = 0;
    loop {
        let page: Vec<complaint::Model> = complaint::Entity::find()
            .filter(C::UnitId.eq(unit))
            .filter(C::Id.gt(last))
            .order_by_asc(C::Id)
            .limit(5000)
            .all(db)
            .await?;
        let Some(l) = page.last() else { break };
        last = l.id;
        for c in &page {
            accumulate(&mut acc, None, Some(c));
        }
    }
    Ok(acc)
}

/// Deletes a unit's complaint cells from both rollup tables.
pub async fn clear_unit(db: &impl ConnectionTrait, unit: i32) -> Result<(), DbErr> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    for table in ["rollup_unit_day", "rollup_unit_month"] {
        let q = Query::delete()
            .from_table(Alias::new(table))
            .and_where(Expr::col(Alias::new("unit_id")).eq(unit))
            // Not LIKE: `_` is a wildcard there.
            .and_where(Expr::cust(format!(
                "substr(code, 1, {}) = '{PREFIX}'",
                PREFIX.len()
            )))
            .to_owned();
        db.execute(&q).await?;
    }
    Ok(())
}

/// Databases from before complaint cells (or before their channel cells) hold complaints
/// without them: computes every unit's complaint cells again, once, at start-up. The check and the work share one write transaction (and, on PostgreSQL,
/// an advisory lock), so processes starting together do it once. Returns the complaints read.
pub async fn backfill_if_missing(db: &DatabaseConnection) -> Result<u64, DbErr> {
    // Cells are written for every unit at once or not at all, so one complaint's unit tells;
    // its rollup rows are found by the primary key's leading column, not by a table scan.
    let Some(sample) = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::UnitId)
        .limit(1)
        .into_tuple::<i32>()
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    if has_cells(db, sample).await? {
        return Ok(0);
    }
    let txn = crate::store::begin_write(db).await?;
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7410001)")
            .await?;
    }
    if has_cells(&txn, sample).await? {
        txn.rollback().await?;
        return Ok(0);
    }
    let units: Vec<i32> = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::UnitId)
        .distinct()
        .into_tuple()
        .all(&txn)
        .await?;
    let mut read = 0;
    for unit in units {
        clear_unit(&txn, unit).await?;
        let cells = cells_of_unit(&txn, unit).await?;
        read += cells
            .iter()
            .filter(|(k, _)| k.2 == TOTAL)
            .map(|(_, v)| v.0.max(0) as u64)
            .sum::<u64>();
        upsert_rollups(&txn, cells).await?;
        // Its complaint cells were replaced, not added to: the summaries follow the months.
        crate::store::summaries::rebuild_unit(&txn, unit).await?;
    }
    txn.commit().await?;
    Ok(read)
}

/// Whether the unit's complaints have their cells, the channel cells included (a database from
/// before those has the others only, and is backfilled whole once).
async fn has_cells(db: &impl ConnectionTrait, unit: i32) -> Result<bool, DbErr> {
    use entity::rollup_unit_month::{Column as C, Entity};
    use sea_orm::Condition;
    let found = |code: Condition| {
        Entity::find()
            .select_only()
            .column(C::UnitId)
            .filter(C::UnitId.eq(unit))
            .filter(code)
            .limit(1)
            .into_tuple::<i32>()
            .one(db)
    };
    // Any code starting `_C:ch:` sorts from it to just before `_C:ch;` (`;` follows `:`).
    let channel_end = format!("{};", CHANNEL.trim_end_matches(':'));
    let channel = Condition::all()
        .add(C::Code.gte(CHANNEL))
        .add(C::Code.lt(channel_end));
    Ok(found(Condition::all().add(C::Code.eq(TOTAL)))
        .await?
        .is_some()
        && found(channel).await?.is_some())
}
