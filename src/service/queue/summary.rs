//! What a unit's queue measured over a period: per service and per day, week or month, the
//! tickets, nearest-rank p50 and p90 of waits and service times, the share of waits over the
//! service's standard and of no-shows — beside what survey respondents said they waited.
use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::standards::standards;
use crate::domain::queue::{DayMeasures, nearest_rank, share};
use crate::domain::validation::parse_date;
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::service::today_wib;
use crate::store;

/// The longest period read at once (a year and a day, for a leap year's whole year).
const MAX_DAYS: i64 = 731;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueueMeasures {
    pub tickets: u64,
    /// Tickets with both `issued` and `called`: what the wait figures are of.
    pub waits: u64,
    /// Nearest-rank median wait, whole minutes.
    pub wait_p50: Option<u32>,
    pub wait_p90: Option<u32>,
    pub wait_mean: Option<f64>,
    /// Waits judged against their service's standard (services without one are not judged).
    pub judged: u64,
    /// Share of judged waits longer than the standard (0–1).
    pub over_standard_share: Option<f64>,
    /// Tickets with a start (or call) and `finished`.
    pub served: u64,
    pub service_p50: Option<u32>,
    pub service_p90: Option<u32>,
    /// Share of tickets marked `no_show` (0–1).
    pub no_show_share: Option<f64>,
}

impl From<&DayMeasures> for QueueMeasures {
    fn from(m: &DayMeasures) -> Self {
        QueueMeasures {
            tickets: m.tickets,
            waits: m.wait.n,
            wait_p50: nearest_rank(&m.waits, 50.0),
            wait_p90: nearest_rank(&m.waits, 90.0),
            wait_mean: m.wait.mean(),
            judged: m.judged,
            over_standard_share: share(m.over, m.judged),
            served: m.service.n,
            service_p50: nearest_rank(&m.services, 50.0),
            service_p90: nearest_rank(&m.services, 90.0),
            no_show_share: share(m.no_shows, m.tickets),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueService {
    /// The queue's label for it ("" for stamps without one).
    pub service: String,
    pub standard_minutes: Option<u32>,
    #[serde(flatten)]
    pub measures: QueueMeasures,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueuePeriod {
    /// `2026-12-01` (day), `2026-W49` (ISO week) or `2026-12` (month).
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(flatten)]
    pub measures: QueueMeasures,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportedWait {
    /// Survey respondents who gave their wait in the period.
    pub n: u64,
    /// Their median wait in minutes (from the wait histogram).
    pub median_minutes: Option<f64>,
    /// Share of respondents who waited longer than the standard (0–1).
    pub over_standard_share: Option<f64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueSummary {
    pub unit: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `day`, `week` or `month`.
    pub by: String,
    pub total: QueueMeasures,
    pub services: Vec<QueueService>,
    pub periods: Vec<QueuePeriod>,
    /// What survey respondents of the same period remembered.
    pub reported: ReportedWait,
}

/// The period a day falls in: (label, first day, last day).
fn bucket(by: &str, d: NaiveDate) -> (String, NaiveDate, NaiveDate) {
    match by {
        "week" => {
            let w = d.iso_week();
            let start = d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
            (
                format!("{}-W{:02}", w.year(), w.week()),
                start,
                start + Duration::days(6),
            )
        }
        "month" => {
            let start = d.with_day(1).unwrap_or(d);
            let next = start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(start);
            (
                format!("{}-{:02}", d.year(), d.month()),
                start,
                next - Duration::days(1),
            )
        }
        _ => (d.to_string(), d, d),
    }
}

/// Checks the query: (from, to, by); the last 30 days by day when left out.
pub fn period(
    from: Option<&str>,
    to: Option<&str>,
    by: Option<&str>,
) -> Result<(NaiveDate, NaiveDate, &'static str), ServiceError> {
    let mut p = crate::domain::validation::Problems::new();
    let today = today_wib();
    let mut date = |field: &str, v: Option<&str>, default: NaiveDate| match v
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => default,
        Some(s) => parse_date(s).unwrap_or_else(|k| {
            p.insert(field.into(), k);
            default
        }),
    };
    let to_d = date("to", to, today);
    let from_d = date("from", from, to_d - Duration::days(29));
    let by = match by.map(str::trim).filter(|s| !s.is_empty()) {
        None | Some("day") => "day",
        Some("week") => "week",
        Some("month") => "month",
        Some(_) => {
            p.insert("by".into(), "v_choice");
            "day"
        }
    };
    if p.is_empty() && (from_d > to_d || (to_d - from_d).num_days() >= MAX_DAYS) {
        p.insert("from".into(), "v_queue_period");
    }
    if !p.is_empty() {
        return Err(ServiceError::Problems(p));
    }
    Ok((from_d, to_d, by))
}

/// Unit `slug`'s measured waits over [from, to] by `by`, for a caller who sees the unit.
pub async fn summary(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    (from, to, by): (NaiveDate, NaiveDate, &str),
    _lang: Lang,
) -> Result<QueueSummary, ServiceError> {
    let unit = match store::units::by_slug(&state.read, slug).await? {
        Some(u) if user.sees_unit(u.id) => u,
        _ => return Err(ServiceError::NotFound),
    };
    summary_of(state, &unit, (from, to, by)).await
}

/// The same for a unit already found (the analytics page, the report, the public results).
pub async fn summary_of(
    state: &ServiceContext,
    unit: &entity::unit::Model,
    (from, to, by): (NaiveDate, NaiveDate, &str),
) -> Result<QueueSummary, ServiceError> {
    let days = store::queue::days(&state.read, unit.id, from, to).await?;
    let standards = standards(state, unit.id).await?;
    let mut total = DayMeasures::default();
    let mut services: BTreeMap<String, DayMeasures> = BTreeMap::new();
    let mut periods: BTreeMap<String, (NaiveDate, NaiveDate, DayMeasures)> = BTreeMap::new();
    for (day, service, m) in &days {
        total.add(m);
        services.entry(service.clone()).or_default().add(m);
        let (label, a, b) = bucket(by, *day);
        periods
            .entry(label)
            .or_insert_with(|| (a.max(from), b.min(to), DayMeasures::default()))
            .2
            .add(m);
    }
    let signals =
        store::training::signals::window(&state.read, unit.id, from, to, today_wib()).await?;
    let over = signals.sum("_WAIT_OVER");
    Ok(QueueSummary {
        unit: unit.slug.clone(),
        from,
        to,
        by: by.to_string(),
        total: (&total).into(),
        services: services
            .iter()
            .map(|(s, m)| QueueService {
                service: s.clone(),
                standard_minutes: standards.get(&s.to_lowercase()).copied(),
                measures: m.into(),
            })
            .collect(),
        periods: periods
            .into_iter()
            .map(|(period, (a, b, m))| QueuePeriod {
                period,
                from: a,
                to: b,
                measures: (&m).into(),
            })
            .collect(),
        reported: ReportedWait {
            n: signals
                .sums
                .iter()
                .filter(|(code, _)| code.starts_with("_WAIT@"))
                .map(|(_, s)| s.n)
                .sum(),
            median_minutes: signals.median_wait(),
            over_standard_share: share(over.sum.round().max(0.0) as u64, over.n),
        },
    })
}
