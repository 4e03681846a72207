//! Reads what the engine needs: rollup sums per unit and window (from the same rollups the
//! analytics read), and the complaint facts of the window, without any personal field.
use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::domain::calendar::{wib_date, wib_day_start};
use crate::domain::stats::Summary;
use crate::domain::training::describe::CategoryNames;
use crate::domain::training::reading::{QUEUE_OVER, QUEUE_WAIT};
use crate::domain::training::signals::windows;
use crate::domain::training::{ComplaintFact, Signals, UnitSignals};
use crate::store;
use crate::store::units::UnitView;

/// Sums per unit for [from, to] (all units, or `unit` only).
async fn sums_by_unit(
    db: &impl ConnectionTrait,
    unit: Option<i32>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<i32, HashMap<String, Summary>>, DbErr> {
    let ids = unit.map(|u| vec![u]);
    let mut sums = store::analytics::by_unit(
        db,
        ids.as_deref(),
        from,
        to,
        store::analytics::Codes::NoProfile,
    )
    .await?;
    // Waits the units' queue machines measured, beside what respondents remembered.
    for (unit_id, (over, wait)) in store::queue::sums_by_unit(db, unit, from, to).await? {
        let s = sums.entry(unit_id).or_default();
        s.insert(QUEUE_OVER.to_string(), over);
        s.insert(QUEUE_WAIT.to_string(), wait);
    }
    Ok(sums)
}

type ComplaintRow = (
    String,
    i32,
    i32,
    bool,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    NaiveDate,
);

/// Complaint facts filed in [from, to] (WIB), per unit. Lateness is judged as of `as_of`.
async fn complaints_by_unit(
    db: &impl ConnectionTrait,
    unit: Option<i32>,
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
) -> Result<HashMap<i32, Vec<ComplaintFact>>, DbErr> {
    use entity::complaint::{Column as C, Entity};
    let cats: HashMap<i32, String> = store::complaints::all_categories(db)
        .await?
        .into_iter()
        .map(|(id, c)| (id, c.code))
        .collect();
    let start = wib_day_start(from);
    let end = wib_day_start(to + Duration::days(1));
    let mut q = Entity::find()
        .select_only()
        .column(C::TrackingId)
        .column(C::UnitId)
        .column(C::CategoryId)
        .column(C::Rahasia)
        .column(C::Status)
        .column(C::CreatedAt)
        .column(C::ResolvedAt)
        .column(C::DueResolve)
        .filter(C::CreatedAt.gte(start))
        .filter(C::CreatedAt.lt(end));
    if let Some(u) = unit {
        q = q.filter(C::UnitId.eq(u));
    }
    let rows: Vec<ComplaintRow> = q.into_tuple().all(db).await?;
    let mut out: HashMap<i32, Vec<ComplaintFact>> = HashMap::new();
    for (tracking_id, unit_id, cat, rahasia, status, created, resolved, due) in rows {
        let late = match resolved {
            Some(r) => Some(wib_date(r) > due),
            // Rejected and duplicate reports are not the unit's to resolve.
            None if matches!(status.as_str(), "rejected" | "duplicate") => None,
            None => (due < as_of).then_some(true),
        };
        out.entry(unit_id).or_default().push(ComplaintFact {
            tracking_id,
            category: cats.get(&cat).cloned().unwrap_or_default(),
            rahasia,
            filed_on: wib_date(created),
            late,
        });
    }
    Ok(out)
}

/// One unit's data over [from, to].
pub async fn window(
    db: &impl ConnectionTrait,
    unit_id: i32,
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
) -> Result<Signals, DbErr> {
    let mut sums = sums_by_unit(db, Some(unit_id), from, to).await?;
    let mut complaints = complaints_by_unit(db, Some(unit_id), from, to, as_of).await?;
    Ok(Signals {
        from: Some(from),
        to: Some(to),
        sums: sums.remove(&unit_id).unwrap_or_default(),
        complaints: complaints.remove(&unit_id).unwrap_or_default(),
    })
}

/// Complaint categories' names by code (archived ones too: an old rule may still name them).
pub async fn category_names(db: &impl ConnectionTrait) -> Result<CategoryNames, DbErr> {
    Ok(store::complaints::all_categories(db)
        .await?
        .into_values()
        .map(|c| (c.code, (c.name_id, c.name_en)))
        .collect())
}

/// Every listed unit's signals for a window of `days` ending `today`: three grouped reads of
/// the rollups (previous window, older half, newer half) and one of the complaints.
pub async fn gather(
    db: &impl ConnectionTrait,
    units: &[UnitView],
    today: NaiveDate,
    days: u32,
) -> Result<Vec<UnitSignals>, DbErr> {
    let [prev, first, second] = windows(today, days);
    let one = (units.len() == 1).then(|| units[0].id);
    let mut s_prev = sums_by_unit(db, one, prev.0, prev.1).await?;
    let mut s_first = sums_by_unit(db, one, first.0, first.1).await?;
    let mut s_second = sums_by_unit(db, one, second.0, second.1).await?;
    let mut complaints = complaints_by_unit(db, one, prev.0, second.1, today).await?;
    let names = category_names(db).await?;
    let mut out = Vec::with_capacity(units.len());
    for u in units {
        let all = complaints.remove(&u.id).unwrap_or_default();
        let mut by_window: [Vec<ComplaintFact>; 3] = Default::default();
        for c in all {
            let i = if c.filed_on <= prev.1 {
                0
            } else if c.filed_on <= first.1 {
                1
            } else {
                2
            };
            by_window[i].push(c);
        }
        let [cp, cf, cs] = by_window;
        let w = |r: (NaiveDate, NaiveDate), sums: HashMap<String, Summary>, c| Signals {
            from: Some(r.0),
            to: Some(r.1),
            sums,
            complaints: c,
        };
        out.push(UnitSignals {
            unit_id: u.id,
            slug: u.slug.clone(),
            name: u.name.clone(),
            monthly_visitors: u.monthly_visitors.filter(|v| *v > 0).map(|v| v as u64),
            standard_minutes: u
                .services
                .iter()
                .filter_map(|s| s.standard_minutes)
                .collect(),
            category_names: names.clone(),
            previous: w(prev, s_prev.remove(&u.id).unwrap_or_default(), cp),
            first_half: w(first, s_first.remove(&u.id).unwrap_or_default(), cf),
            second_half: w(second, s_second.remove(&u.id).unwrap_or_default(), cs),
        });
    }
    Ok(out)
}
