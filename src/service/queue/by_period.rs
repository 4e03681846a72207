//! Measured waits grouped as the analytics pages group survey answers: per period of a unit's
//! series, and per unit of the province overview. Withheld below the minimum cell.
use std::collections::HashMap;

use chrono::NaiveDate;

use super::QueueMeasures;
use crate::domain::queue::DayMeasures;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::store;

fn shown(m: &DayMeasures, k: u64) -> Option<QueueMeasures> {
    (m.wait.n >= k.max(1)).then(|| m.into())
}

/// Unit `unit_id`'s measured waits over [from, to]: the whole range, and per period as `key`
/// names it.
pub async fn unit_periods(
    state: &ServiceContext,
    unit_id: i32,
    from: NaiveDate,
    to: NaiveDate,
    key: impl Fn(NaiveDate) -> String,
) -> Result<(Option<QueueMeasures>, HashMap<String, QueueMeasures>), ServiceError> {
    let k = u64::from(state.settings.min_cell);
    let mut total = DayMeasures::default();
    let mut per: HashMap<String, DayMeasures> = HashMap::new();
    for (day, _, m) in store::queue::days(&state.read, unit_id, from, to).await? {
        total.add(&m);
        per.entry(key(day)).or_default().add(&m);
    }
    Ok((
        shown(&total, k),
        per.iter()
            .filter_map(|(p, m)| shown(m, k).map(|q| (p.clone(), q)))
            .collect(),
    ))
}

/// Every unit's measured waits over [from, to], by unit id (units without a queue are absent).
pub async fn units(
    state: &ServiceContext,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<i32, QueueMeasures>, ServiceError> {
    let k = u64::from(state.settings.min_cell);
    let mut per: HashMap<i32, DayMeasures> = HashMap::new();
    for (unit, m) in store::queue::all_units(&state.read, from, to).await? {
        per.entry(unit).or_default().add(&m);
    }
    Ok(per
        .iter()
        .filter_map(|(u, m)| shown(m, k).map(|q| (*u, q)))
        .collect())
}
