//! A unit's published SKM results, as PermenPANRB 14/2017 asks a unit to publish them and
//! anyone may read them (`/u/{slug}/hasil`, `GET /api/v1/units/{slug}/results`): the period and
//! method, respondents, the IKM with its grade and confidence interval, the NRR per element
//! (withheld below the minimum cell, as everywhere), the trend by quarter, how complaints were
//! handled, and the follow-up plan (RTL) with its status — this year's, and what was done of
//! last year's. Never personal data: no names (not even the owner of an item), no complaint's
//! text.
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::domain::measures::Ikm;
use crate::domain::skm;
use crate::domain::stats::Summary;
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::today_wib;
use crate::store;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ElementResult {
    pub code: String,
    /// The element's name in the reader's language.
    pub name: String,
    /// Withheld (null) below the minimum cell.
    pub nrr: Option<f64>,
    pub n: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QuarterResult {
    /// `2026-Q1`.
    pub period: String,
    pub responses: u64,
    /// IKM konversi (25–100); withheld below the minimum cell.
    pub ikm: Option<f64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ComplaintHandling {
    pub received: u64,
    /// Resolved or closed.
    pub resolved: u64,
    /// Of the resolved, the share resolved by their deadline (%).
    pub within_deadline_percent: Option<f64>,
    /// Median days from filing to resolution.
    pub median_days: Option<f64>,
}

/// A follow-up item as the public sees it: what, for which elements, how far — never who.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicFollowUp {
    pub title: String,
    pub kind: String,
    pub elements: Vec<String>,
    pub status: String,
    pub progress: i32,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    /// For last year's done items: the measured effect (`effective`, `no_significant_change`,
    /// `worse`, `insufficient_data`, `pending`), when it answers elements.
    pub effect: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicResults {
    pub unit: String,
    pub unit_name: String,
    pub agency: String,
    pub year: i32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub responses: u64,
    /// Fewer responses than the minimum cell: every survey figure is withheld.
    pub suppressed: bool,
    pub ikm: Option<Ikm>,
    pub elements: Vec<ElementResult>,
    pub trend: Vec<QuarterResult>,
    pub complaints: ComplaintHandling,
    /// The RTL of this year's periods (cancelled items left out).
    pub follow_ups: Vec<PublicFollowUp>,
    /// Last year's items that were done.
    pub previous_follow_ups: Vec<PublicFollowUp>,
    /// What the unit's queue machine measured in the year (withheld below the minimum cell).
    pub measured_wait: Option<crate::service::queue::MeasuredWait>,
}

fn public_items(rows: Vec<entity::follow_up::Model>, only_done: bool) -> Vec<PublicFollowUp> {
    rows.into_iter()
        .filter(|m| m.status != "cancelled" && (!only_done || m.status == "done"))
        .map(|m| PublicFollowUp {
            elements: serde_json::from_str(&m.elements).unwrap_or_default(),
            title: m.title,
            kind: m.kind,
            status: m.status,
            progress: m.progress,
            due_on: m.due_on,
            done_on: m.done_on,
            effect: None,
        })
        .collect()
}

type Sums = HashMap<String, Summary>;

/// Rollup rows summed over the whole range and per quarter (`2026-Q1`); channel counts left out.
fn by_quarter(raw: Vec<(NaiveDate, String, Summary)>) -> (Sums, BTreeMap<String, Sums>) {
    let mut total = Sums::new();
    let mut quarters: BTreeMap<String, Sums> = BTreeMap::new();
    for (start, code, s) in raw {
        if code.starts_with(store::responses::CHANNEL_PREFIX) {
            continue;
        }
        total.entry(code.clone()).or_default().add(&s);
        let q = format!("{}-Q{}", start.year(), start.month0() / 3 + 1);
        quarters
            .entry(q)
            .or_default()
            .entry(code)
            .or_default()
            .add(&s);
    }
    (total, quarters)
}

fn quarter_results(
    quarters: &BTreeMap<String, Sums>,
    els: &[(String, f64)],
    k: u64,
    cats: &HashMap<i32, String>,
) -> Vec<QuarterResult> {
    quarters
        .iter()
        .map(|(p, sums)| {
            let q = crate::service::analytics::all_measures(sums, els, k, cats);
            QuarterResult {
                period: p.clone(),
                responses: q.responses,
                ikm: q.ikm.map(|i| i.converted),
            }
        })
        .collect()
}

/// The IKM by quarter of unit `unit_id` over `from`–`to` (the SKM report's trend).
pub async fn quarter_trend(
    state: &ServiceContext,
    unit_id: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<QuarterResult>, ServiceError> {
    let raw = store::analytics::series(
        &state.read,
        unit_id,
        from,
        to,
        false,
        store::analytics::Codes::NoProfile,
    )
    .await?;
    let (_, quarters) = by_quarter(raw);
    let cats = crate::service::analytics::category_codes(state).await?;
    let els = crate::service::analytics::elements(state);
    Ok(quarter_results(
        &quarters,
        &els,
        state.settings.min_cell as u64,
        &cats,
    ))
}

/// A unit's follow-up items for the SKM report of `from`–`to`: those of periods overlapping it
/// (the plan, section 4.2), and those done of periods in the year before it (the annex).
pub async fn report_follow_ups(
    state: &ServiceContext,
    unit_id: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Vec<entity::follow_up::Model>, Vec<entity::follow_up::Model>), ServiceError> {
    let all = store::follow_ups::for_unit(&state.read, unit_id, None, None).await?;
    let year_before = from - chrono::Duration::days(366);
    let (mut plan, mut before) = (vec![], vec![]);
    for m in all.into_iter().filter(|m| m.status != "cancelled") {
        if m.period_to >= from && m.period_from <= to {
            plan.push(m);
        } else if m.period_to < from && m.period_to >= year_before && m.status == "done" {
            before.push(m);
        }
    }
    Ok((plan, before))
}

/// The published results of unit `slug` for `year` (404 for an unknown or archived unit).
pub async fn results(
    state: &ServiceContext,
    slug: &str,
    year: i32,
    lang: Lang,
) -> Result<PublicResults, ServiceError> {
    let (unit, view) = store::units::view_by_slug(&state.read, slug, false)
        .await?
        .filter(|(u, _)| u.archived_at.is_none())
        .ok_or(ServiceError::NotFound)?;
    let today = today_wib();
    if !(2000..=today.year()).contains(&year) {
        return Err(ServiceError::field("year", lang.t("v_range")));
    }
    let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(ServiceError::NotFound)?;
    let to = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or(ServiceError::NotFound)?
        .min(today);
    let raw = store::analytics::series(
        &state.read,
        unit.id,
        from,
        to,
        false,
        store::analytics::Codes::NoProfile,
    )
    .await?;
    let mut total: HashMap<String, Summary> = HashMap::new();
    let mut quarters: BTreeMap<String, HashMap<String, Summary>> = BTreeMap::new();
    for (start, code, s) in raw {
        if code.starts_with(store::responses::CHANNEL_PREFIX) {
            continue;
        }
        total.entry(code.clone()).or_default().add(&s);
        let q = format!("{}-Q{}", start.year(), start.month0() / 3 + 1);
        quarters
            .entry(q)
            .or_default()
            .entry(code)
            .or_default()
            .add(&s);
    }
    let cats = crate::service::analytics::category_codes(state).await?;
    let els = crate::service::analytics::elements(state);
    let k = state.settings.min_cell as u64;
    let m = crate::service::analytics::all_measures(&total, &els, k, &cats);
    let elements = skm::ELEMENT_CODES
        .iter()
        .map(|c| {
            let e = m.elements.get(*c);
            ElementResult {
                code: c.to_string(),
                name: lang
                    .pick(skm::element_name(c), skm::element_name_en(c))
                    .to_string(),
                nrr: e.and_then(|e| e.mean),
                n: e.map_or(0, |e| e.n),
            }
        })
        .collect();
    let trend = quarter_results(&quarters, &els, k, &cats);
    let by_status = &m.complaints.by_status;
    let resolved = ["resolved", "closed"]
        .iter()
        .map(|s| by_status.get(*s).copied().unwrap_or(0))
        .sum();
    let complaints = ComplaintHandling {
        received: m.complaints.total,
        resolved,
        within_deadline_percent: m.complaints.resolved_within_deadline.map(|x| x * 100.0),
        median_days: m.complaints.median_days_to_resolve,
    };
    let this_year = store::follow_ups::for_unit(
        &state.read,
        unit.id,
        Some((from, NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(to))),
        None,
    )
    .await?;
    let last_year = match (
        NaiveDate::from_ymd_opt(year - 1, 1, 1),
        NaiveDate::from_ymd_opt(year - 1, 12, 31),
    ) {
        (Some(a), Some(b)) => {
            store::follow_ups::for_unit(&state.read, unit.id, Some((a, b)), None).await?
        }
        _ => vec![],
    };
    Ok(PublicResults {
        unit: view.slug,
        unit_name: view.name,
        agency: view.agency.name,
        year,
        from,
        to,
        responses: m.responses,
        suppressed: m.suppressed,
        ikm: m.ikm,
        elements,
        trend,
        complaints,
        measured_wait: crate::service::queue::measured_wait(state, unit.id, from, to, lang).await?,
        follow_ups: public_items(this_year, false),
        previous_follow_ups: {
            // Each done item of last year with what it measurably changed.
            let done: Vec<entity::follow_up::Model> = last_year
                .into_iter()
                .filter(|m| m.status == "done")
                .collect();
            let mut items = public_items(done.clone(), true);
            for (item, m) in items.iter_mut().zip(&done) {
                item.effect = crate::service::follow_ups::effect_of(state, m, lang)
                    .await?
                    .map(|e| e.label);
            }
            items
        },
    })
}
