//! Planner analytics: a unit's measures per period with the changes that matter, and the
//! overview of units with ranking and significance, assembled from the rollups.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::complaint_cells;
use crate::domain::measures::{self, Measures};
use crate::domain::stats::{Summary, welch};
use crate::domain::survey::ikm_elements;
use crate::i18n::Lang;
use crate::service::channels_by_period::{self, ChannelCounts};
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::service::period::{RangeQuery, parse_range};
use crate::store;
use crate::store::analytics::Codes;
use crate::store::units::UnitView;

#[derive(Debug, Deserialize)]
pub struct Query {
    pub from: Option<String>,
    pub to: Option<String>,
    pub by: Option<String>,
    pub agency: Option<String>,
    pub kind: Option<String>,
    pub sort: Option<String>,
    pub format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl By {
    fn parse(s: Option<&str>, lang: Lang) -> Result<By, ServiceError> {
        Ok(match s.unwrap_or("month") {
            "day" => By::Day,
            "week" => By::Week,
            "month" => By::Month,
            "quarter" => By::Quarter,
            "year" => By::Year,
            _ => return Err(ServiceError::field("by", lang.t("v_choice"))),
        })
    }

    /// The period a day belongs to.
    pub fn key(self, d: NaiveDate) -> String {
        match self {
            By::Day => d.format("%Y-%m-%d").to_string(),
            By::Week => {
                let w = d.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            By::Month => d.format("%Y-%m").to_string(),
            By::Quarter => format!("{}-Q{}", d.year(), d.month().div_ceil(3)),
            By::Year => d.year().to_string(),
        }
    }
}

pub fn range(q: &Query, lang: Lang) -> Result<(NaiveDate, NaiveDate), ServiceError> {
    let (from, to) = parse_range(
        &RangeQuery {
            from: q.from.clone(),
            to: q.to.clone(),
        },
        lang,
    )?;
    // Without a `from`, a year back rather than 1 January: trends need history.
    let from = if q.from.is_none() {
        (to - chrono::Duration::days(364)).max(NaiveDate::MIN)
    } else {
        from
    };
    Ok((from, to))
}

pub fn allowed(user: &CurrentUser, unit_id: i32) -> bool {
    user.sees_unit(unit_id)
}

pub fn elements(state: &ServiceContext) -> Vec<(String, f64)> {
    let _ = state;
    ikm_elements(&crate::domain::skm_survey::skm_definition())
}

/// Category codes by id, for the complaint cells (which name categories by id).
pub async fn category_codes(
    state: &ServiceContext,
) -> Result<HashMap<i32, String>, sea_orm::DbErr> {
    Ok(store::complaints::all_categories(&state.read)
        .await?
        .into_iter()
        .map(|(id, c)| (id, c.code))
        .collect())
}

pub fn all_measures(
    sums: &HashMap<String, Summary>,
    els: &[(String, f64)],
    k: u64,
    cats: &HashMap<i32, String>,
) -> Measures {
    measures::measures(sums, els, k, complaint_cells::measures(sums, cats))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Point {
    pub period: String,
    #[serde(flatten)]
    pub measures: Measures,
    /// Responses and complaints of the period by channel.
    pub channels: ChannelCounts,
    /// The period goes on past the range's end (the current month, say): its figures are not
    /// final, so charts mark it and no alert is raised on it.
    pub partial: bool,
    /// What the unit's queue machine measured in the period.
    pub measured_wait: Option<crate::service::queue::QueueMeasures>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Change {
    pub code: String,
    pub from_period: String,
    pub to_period: String,
    pub from_mean: f64,
    pub to_mean: f64,
    pub diff: f64,
    /// Welch's two-sided t-test.
    pub p: f64,
    pub significant: bool,
    /// How many periods in a row, ending with the last, the mean fell as the pages show it: each
    /// step lower at two decimals and the run at least 0.05 lower in all on the 1–4 scale (1.25
    /// for the IKM, compared as IKM konversi); 0 when the fall is not that visible
    /// ([`measures::consecutive_falls`]).
    pub consecutive_declines: u32,
    /// Where that run of falls began: its first period and mean (absent without one).
    pub decline_from_period: Option<String>,
    pub decline_from_mean: Option<f64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnitAnalytics {
    pub unit: UnitView,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: String,
    pub total: Measures,
    /// Responses and complaints of the whole range by channel.
    pub channels: ChannelCounts,
    pub series: Vec<Point>,
    /// What the unit's queue machine measured over the range.
    pub measured_wait: Option<crate::service::queue::QueueMeasures>,
    /// Between the last two periods with enough responses, per element and for the IKM.
    pub changes: Vec<Change>,
}

pub async fn unit_analytics(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    q: &Query,
    lang: Lang,
) -> Result<UnitAnalytics, ServiceError> {
    let (unit, view) = store::units::view_by_slug(&state.read, slug, true)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !allowed(user, unit.id) {
        return Err(ServiceError::NotFound);
    }
    let (from, to) = range(q, lang)?;
    let by = By::parse(q.by.as_deref(), lang)?;
    if by == By::Day && (to - from).num_days() > 400 {
        return Err(ServiceError::field("by", lang.t("v_range")));
    }
    let daily = matches!(by, By::Day | By::Week);
    let raw =
        store::analytics::series(&state.read, unit.id, from, to, daily, Codes::NoProfile).await?;
    let mut per: BTreeMap<String, HashMap<String, Summary>> = BTreeMap::new();
    let mut total: HashMap<String, Summary> = HashMap::new();
    // Rows come grouped by period: format each period's key once.
    let mut last: Option<(NaiveDate, String)> = None;
    let (mut by_channel_cells, mut complaint_channels) = (vec![], vec![]);
    for (start, code, s) in raw {
        if let Some(channel) = code.strip_prefix(store::responses::CHANNEL_PREFIX) {
            by_channel_cells.push((start, channel.to_string(), s.n));
            continue;
        }
        if let Some(channel) = code.strip_prefix(crate::domain::complaint_cells::CHANNEL) {
            complaint_channels.push((start, channel.to_string(), s.n));
            continue;
        }
        total.entry(code.clone()).or_default().add(&s);
        let key = match &last {
            Some((d, k)) if *d == start => k.clone(),
            _ => {
                let k = by.key(start);
                last = Some((start, k.clone()));
                k
            }
        };
        per.entry(key).or_default().entry(code).or_default().add(&s);
    }
    let cats = category_codes(state).await?;
    let els = elements(state);
    let k = state.settings.min_cell as u64;
    let (mut by_channel, channels) =
        channels_by_period::split(|d| by.key(d), by_channel_cells, complaint_channels);
    // The period holding `to` is unfinished when the day after `to` still belongs to it.
    let partial_period = to
        .succ_opt()
        .map(|next| by.key(next))
        .filter(|k| *k == by.key(to));
    let (measured_wait, measured) =
        crate::service::queue::by_period::unit_periods(state, unit.id, from, to, |d| by.key(d))
            .await?;
    // A period the queue measured has its point even without a survey answer.
    let no_answers = HashMap::new();
    let keys: std::collections::BTreeSet<&String> = per.keys().chain(measured.keys()).collect();
    let series: Vec<Point> = keys
        .into_iter()
        .map(|p| Point {
            period: p.clone(),
            measures: all_measures(per.get(p).unwrap_or(&no_answers), &els, k, &cats),
            channels: by_channel.remove(p).unwrap_or_default(),
            partial: partial_period.as_ref() == Some(p),
            measured_wait: measured.get(p).cloned(),
        })
        .collect();
    let mut changes = vec![];
    let codes: Vec<String> = std::iter::once("_IKM".to_string())
        .chain(els.iter().map(|(c, _)| c.clone()))
        .collect();
    for code in codes {
        let pts: Vec<(&String, Summary)> = per
            .iter()
            .filter(|(p, _)| partial_period.as_ref() != Some(*p))
            .filter(|(_, s)| s.get("*").is_some_and(|r| r.n >= k))
            .filter_map(|(p, s)| s.get(&code).map(|x| (p, *x)))
            .collect();
        if pts.len() < 2 {
            continue;
        }
        let (pa, a) = pts[pts.len() - 2];
        let (pb, b) = pts[pts.len() - 1];
        let Some(t) = welch(&a, &b) else { continue };
        // Alerts compare what the page shows: elements on 1–4, the IKM as IKM konversi.
        let scale = if code == "_IKM" { 25.0 } else { 1.0 };
        let means: Vec<f64> = pts
            .iter()
            .map(|(_, s)| s.mean().unwrap_or_default() * scale)
            .collect();
        let falls =
            measures::consecutive_falls(&means, measures::SHOWN_PLACES, measures::MIN_FALL * scale);
        changes.push(Change {
            code: if code == "_IKM" {
                "IKM".into()
            } else {
                code.clone()
            },
            from_period: pa.clone(),
            to_period: pb.clone(),
            from_mean: a.mean().unwrap_or_default(),
            to_mean: b.mean().unwrap_or_default(),
            diff: t.diff,
            p: t.p,
            significant: t.p < 0.05,
            consecutive_declines: falls.map_or(0, |f| f.steps),
            decline_from_period: falls.map(|f| pts[f.from].0.clone()),
            decline_from_mean: falls.and_then(|f| pts[f.from].1.mean()),
        });
    }
    Ok(UnitAnalytics {
        total: all_measures(&total, &els, k, &cats),
        channels,
        unit: view,
        from,
        to,
        by: format!("{by:?}").to_lowercase(),
        series,
        measured_wait,
        changes,
    })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnitRow {
    pub unit: String,
    pub name: String,
    pub agency: String,
    pub kind: String,
    /// 1 = best IKM; absent when the unit has too few responses to rank ("data belum cukup").
    pub rank: Option<u32>,
    pub enough_data: bool,
    pub min_sample: u64,
    #[serde(flatten)]
    pub measures: Measures,
    /// What the unit's queue machine measured over the range.
    pub measured_wait: Option<crate::service::queue::QueueMeasures>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub agency: Option<String>,
    /// All the listed units together.
    pub total: Measures,
    pub units: Vec<UnitRow>,
}

pub async fn overview(
    state: &ServiceContext,
    user: &CurrentUser,
    q: &Query,
    lang: Lang,
) -> Result<Overview, ServiceError> {
    let (from, to) = range(q, lang)?;
    let mut units: Vec<UnitView> = store::units::list(&state.read, false)
        .await?
        .into_iter()
        .filter(|u| allowed(user, u.id))
        .collect();
    if let Some(a) = q.agency.as_deref().filter(|a| !a.is_empty()) {
        units.retain(|u| u.agency.slug == a);
    }
    if let Some(kd) = q.kind.as_deref().filter(|a| !a.is_empty()) {
        units.retain(|u| u.kind == kd);
    }
    let id_list: Vec<i32> = units.iter().map(|u| u.id).collect();
    let ids: HashSet<i32> = id_list.iter().copied().collect();
    // Always the explicit list: it lets the read go by the primary key and split in two.
    let scope = Some(id_list.as_slice());
    let mut per = store::analytics::by_unit(&state.read, scope, from, to, Codes::NoProfile).await?;
    per.retain(|u, _| ids.contains(u));
    let mut total: HashMap<String, Summary> = HashMap::new();
    for sums in per.values() {
        for (code, s) in sums {
            match total.get_mut(code) {
                Some(t) => t.add(s),
                None => {
                    total.insert(code.clone(), *s);
                }
            }
        }
    }
    let cats = category_codes(state).await?;
    let els = elements(state);
    let k = state.settings.min_cell as u64;
    let days = (to - from).num_days() + 1;
    let empty = HashMap::new();
    let mut measured = crate::service::queue::by_period::units(state, from, to).await?;
    let mut rows: Vec<UnitRow> = units
        .iter()
        .map(|u| {
            let sums = per.get(&u.id).unwrap_or(&empty);
            let m = all_measures(sums, &els, k, &cats);
            let population = u
                .monthly_visitors
                .map(|mv| (mv.max(0) as f64 * days as f64 / 30.4375).round() as u64);
            let floor = state.settings.min_rank_n;
            let need = floor
                .unwrap_or_else(|| population.map_or(30, crate::domain::skm::min_sample).max(1));
            UnitRow {
                unit: u.slug.clone(),
                name: u.name.clone(),
                agency: u.agency.name.clone(),
                kind: u.kind.clone(),
                rank: None,
                enough_data: measures::rankable(m.responses, population, floor) && m.ikm.is_some(),
                min_sample: need,
                measures: m,
                measured_wait: measured.remove(&u.id),
            }
        })
        .collect();
    let mut ranked: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].enough_data).collect();
    ranked.sort_by(|&a, &b| {
        let (x, y) = (
            rows[a].measures.ikm.as_ref().map(|i| i.ikm),
            rows[b].measures.ikm.as_ref().map(|i| i.ikm),
        );
        y.partial_cmp(&x).unwrap_or(std::cmp::Ordering::Equal)
    });
    for (pos, i) in ranked.into_iter().enumerate() {
        rows[i].rank = Some(pos as u32 + 1);
    }
    sort_rows(&mut rows, q.sort.as_deref());
    Ok(Overview {
        from,
        to,
        agency: q.agency.clone(),
        total: all_measures(&total, &els, k, &cats),
        units: rows,
    })
}

fn sort_rows(rows: &mut [UnitRow], sort: Option<&str>) {
    let ikm = |r: &UnitRow| {
        r.measures
            .ikm
            .as_ref()
            .map(|i| i.ikm)
            .unwrap_or(f64::NEG_INFINITY)
    };
    match sort.unwrap_or("rank") {
        "name" => rows.sort_by(|a, b| a.name.cmp(&b.name)),
        "responses" => rows.sort_by_key(|r| std::cmp::Reverse(r.measures.responses)),
        "complaints" => rows.sort_by(|a, b| {
            b.measures
                .complaints
                .total
                .cmp(&a.measures.complaints.total)
        }),
        "wait" => rows.sort_by(|a, b| {
            let w = |r: &UnitRow| r.measures.wait_minutes.median.unwrap_or(f64::NEG_INFINITY);
            w(b).total_cmp(&w(a))
        }),
        "ikm_asc" => rows.sort_by(|a, b| ikm(a).total_cmp(&ikm(b))),
        _ => rows.sort_by(|a, b| match (a.rank, b.rank) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => ikm(b).total_cmp(&ikm(a)),
        }),
    }
}
