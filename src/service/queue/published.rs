//! The one line measured waits get where results are read by people — the SKM report and the
//! unit's public results: "Waktu tunggu terukur: median 18 menit, standar 30 menit (22%
//! melebihi standar; 4.210 antrean)". Withheld below the minimum cell, as every figure is.
use chrono::NaiveDate;
use serde::Serialize;

use super::standards::standards;
use crate::domain::format::{percent, whole};
use crate::domain::queue::{DayMeasures, nearest_rank, share};
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::store;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeasuredWait {
    /// Tickets the queue machine stamped in the period.
    pub tickets: u64,
    /// Nearest-rank median and 90th percentile of their waits, whole minutes.
    pub wait_p50: Option<u32>,
    pub wait_p90: Option<u32>,
    /// Share of waits over their service's standard (0–1), when any service has one.
    pub over_standard_share: Option<f64>,
    /// The standard, when every measured service with one has the same.
    pub standard_minutes: Option<u32>,
    /// The line in the reader's language.
    pub text: String,
}

/// Unit `unit_id`'s measured waits over [from, to], or `None` without enough tickets.
pub async fn measured_wait(
    state: &ServiceContext,
    unit_id: i32,
    from: NaiveDate,
    to: NaiveDate,
    lang: Lang,
) -> Result<Option<MeasuredWait>, ServiceError> {
    let days = store::queue::days(&state.read, unit_id, from, to).await?;
    let std = standards(state, unit_id).await?;
    let mut total = DayMeasures::default();
    let mut measured_standards: Vec<u32> = vec![];
    for (_, service, m) in &days {
        total.add(m);
        if m.judged > 0
            && let Some(s) = std.get(&service.to_lowercase())
            && !measured_standards.contains(s)
        {
            measured_standards.push(*s);
        }
    }
    if total.wait.n < u64::from(state.settings.min_cell.max(1)) {
        return Ok(None);
    }
    let id = lang == Lang::Id;
    let p50 = nearest_rank(&total.waits, 50.0);
    let over = share(total.over, total.judged);
    let standard = match measured_standards.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let mut text = lang.t("q_line").replace(
        "{p50}",
        &p50.map_or("–".into(), |m| whole(i64::from(m), id)),
    );
    if let Some(s) = standard {
        text += &lang
            .t("q_line_standard")
            .replace("{std}", &whole(i64::from(s), id));
    }
    let mut detail = vec![];
    if let Some(o) = over {
        detail.push(lang.t("q_line_over").replace("{share}", &percent(o, 0, id)));
    }
    detail.push(
        lang.t("q_line_tickets")
            .replace("{n}", &whole(total.tickets as i64, id)),
    );
    text += &format!(" ({}).", detail.join("; "));
    Ok(Some(MeasuredWait {
        tickets: total.tickets,
        wait_p50: p50,
        wait_p90: nearest_rank(&total.waits, 90.0),
        over_standard_share: over,
        standard_minutes: standard,
        text,
    }))
}
