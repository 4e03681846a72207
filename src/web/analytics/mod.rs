//! Planner analytics: a unit's series and the overview of units, as JSON, CSV and pages.
pub mod charts;
pub mod csv;

use std::collections::{BTreeMap, HashMap, HashSet};

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::complaint_cells;
use crate::domain::measures::{self, Measures};
use crate::domain::stats::{Summary, welch};
use crate::domain::survey::ikm_elements;
use crate::i18n::Lang;
use crate::state::{AppState, State};
use crate::store;
use crate::store::analytics::Codes;
use crate::store::units::UnitView;
use crate::web::auth::{CurrentUser, StaffApi, StaffPage};
use crate::web::error::{ApiError, PageError};
use crate::web::render::{context, page};
use crate::web::survey::api::{RangeQuery, parse_range};

/// Analytics' operations in the OpenAPI document (see [`crate::web::openapi`]).
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_unit, api_overview))]
pub struct Api;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(api_unit)
        .service(api_overview)
        .service(overview_page)
        .service(unit_page)
        .service(report_page);
}

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
    fn parse(s: Option<&str>, lang: Lang) -> Result<By, ApiError> {
        Ok(match s.unwrap_or("month") {
            "day" => By::Day,
            "week" => By::Week,
            "month" => By::Month,
            "quarter" => By::Quarter,
            "year" => By::Year,
            _ => return Err(ApiError::field("by", lang.t("v_choice"))),
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

fn range(q: &Query, lang: Lang) -> Result<(NaiveDate, NaiveDate), ApiError> {
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

fn allowed(user: &CurrentUser, unit_id: i32) -> bool {
    user.sees_unit(unit_id)
}

fn elements(state: &AppState) -> Vec<(String, f64)> {
    let _ = state;
    ikm_elements(&crate::domain::skm_survey::skm_definition())
}

/// Category codes by id, for the complaint cells (which name categories by id).
async fn category_codes(state: &AppState) -> Result<HashMap<i32, String>, sea_orm::DbErr> {
    Ok(store::complaints::all_categories(&state.db)
        .await?
        .into_iter()
        .map(|(id, c)| (id, c.code))
        .collect())
}

fn all_measures(
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
    /// How many periods in a row, ending with the last, the mean fell.
    pub consecutive_declines: u32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnitAnalytics {
    pub unit: UnitView,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: String,
    pub total: Measures,
    pub series: Vec<Point>,
    /// Between the last two periods with enough responses, per element and for the IKM.
    pub changes: Vec<Change>,
}

pub async fn unit_analytics(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    q: &Query,
    lang: Lang,
) -> Result<UnitAnalytics, ApiError> {
    let (unit, view) = store::units::view_by_slug(&state.db, slug, true)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !allowed(user, unit.id) {
        return Err(ApiError::NotFound);
    }
    let (from, to) = range(q, lang)?;
    let by = By::parse(q.by.as_deref(), lang)?;
    if by == By::Day && (to - from).num_days() > 400 {
        return Err(ApiError::field("by", lang.t("v_range")));
    }
    let daily = matches!(by, By::Day | By::Week);
    let raw =
        store::analytics::series(&state.db, unit.id, from, to, daily, Codes::NoProfile).await?;
    let mut per: BTreeMap<String, HashMap<String, Summary>> = BTreeMap::new();
    let mut total: HashMap<String, Summary> = HashMap::new();
    // Rows come grouped by period: format each period's key once.
    let mut last: Option<(NaiveDate, String)> = None;
    for (start, code, s) in raw {
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
    let series: Vec<Point> = per
        .iter()
        .map(|(p, sums)| Point {
            period: p.clone(),
            measures: all_measures(sums, &els, k, &cats),
        })
        .collect();
    let mut changes = vec![];
    let codes: Vec<String> = std::iter::once("_IKM".to_string())
        .chain(els.iter().map(|(c, _)| c.clone()))
        .collect();
    for code in codes {
        let pts: Vec<(&String, Summary)> = per
            .iter()
            .filter(|(_, s)| s.get("*").is_some_and(|r| r.n >= k))
            .filter_map(|(p, s)| s.get(&code).map(|x| (p, *x)))
            .collect();
        if pts.len() < 2 {
            continue;
        }
        let (pa, a) = pts[pts.len() - 2];
        let (pb, b) = pts[pts.len() - 1];
        let Some(t) = welch(&a, &b) else { continue };
        let mut declines = 0;
        for w in pts.windows(2).rev() {
            if w[1].1.mean() < w[0].1.mean() {
                declines += 1;
            } else {
                break;
            }
        }
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
            consecutive_declines: declines,
        });
    }
    Ok(UnitAnalytics {
        total: all_measures(&total, &els, k, &cats),
        unit: view,
        from,
        to,
        by: format!("{by:?}").to_lowercase(),
        series,
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
    state: &AppState,
    user: &CurrentUser,
    q: &Query,
    lang: Lang,
) -> Result<Overview, ApiError> {
    let (from, to) = range(q, lang)?;
    let mut units: Vec<UnitView> = store::units::list(&state.db, false)
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
    let mut per = store::analytics::by_unit(&state.db, scope, from, to, Codes::NoProfile).await?;
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

fn wants_csv(req: &HttpRequest, q: &Query) -> bool {
    q.format.as_deref() == Some("csv")
        || req.path().ends_with(".csv")
        || req
            .headers()
            .get(header::ACCEPT)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|a| a.contains("text/csv"))
}

fn csv_response(name: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.csv\""),
        ))
        .body(body)
}

#[utoipa::path(get, path = "/api/v1/analytics/units/{slug}", tag = "analytics", security(("bearer" = [])),
    params(("slug" = String, Path, description = "Unit slug; append .csv for CSV"), ("from" = Option<String>, Query), ("to" = Option<String>, Query),
        ("by" = Option<String>, Query, description = "day | week | month (default) | quarter | year"),
        ("format" = Option<String>, Query, description = "csv, or send Accept: text/csv")),
    responses((status = 200, description = "The unit's measures; CSV when the slug ends in `.csv`",
            content((UnitAnalytics = "application/json"), (String = "text/csv"))), (status = 404), (status = 422)))]
#[get("/api/v1/analytics/units/{slug}")]
pub async fn api_unit(
    state: State,
    req: HttpRequest,
    StaffApi(user): StaffApi,
    lang: Lang,
    slug: web::Path<String>,
    q: web::Query<Query>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug.trim_end_matches(".csv").to_string();
    let a = unit_analytics(&state, &user, &slug, &q, lang).await?;
    if wants_csv(&req, &q) {
        return Ok(csv_response(
            &format!("suara-{slug}-{}-{}", a.from, a.to),
            crate::web::analytics::csv::series(&a),
        ));
    }
    Ok(HttpResponse::Ok().json(a))
}

#[utoipa::path(get, path = "/api/v1/analytics/overview", tag = "analytics", security(("bearer" = [])),
    params(("from" = Option<String>, Query), ("to" = Option<String>, Query), ("agency" = Option<String>, Query), ("kind" = Option<String>, Query),
        ("sort" = Option<String>, Query, description = "rank (default) | name | responses | complaints | wait | ikm_asc"),
        ("format" = Option<String>, Query, description = "csv, or send Accept: text/csv")),
    responses((status = 200, description = "All units ranked; as CSV with `format=csv` or `Accept: text/csv`",
            content((Overview = "application/json"), (String = "text/csv"))), (status = 422)))]
#[get("/api/v1/analytics/overview")]
pub async fn api_overview(
    state: State,
    req: HttpRequest,
    StaffApi(user): StaffApi,
    lang: Lang,
    q: web::Query<Query>,
) -> Result<HttpResponse, ApiError> {
    let o = overview(&state, &user, &q, lang).await?;
    if wants_csv(&req, &q) {
        return Ok(csv_response(
            &format!("suara-overview-{}-{}", o.from, o.to),
            crate::web::analytics::csv::overview(&o),
        ));
    }
    Ok(HttpResponse::Ok().json(o))
}

#[get("/planner")]
pub async fn overview_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    q: web::Query<Query>,
) -> Result<HttpResponse, PageError> {
    let o = overview(&state, &user, &q, lang).await?;
    let mut ctx = context(&req, lang, Some(&user));
    let agencies: Vec<store::units::AgencyView> = store::units::agencies(&state.db, false)
        .await?
        .iter()
        .map(Into::into)
        .collect();
    ctx.insert("o", &o);
    ctx.insert("agencies", &agencies);
    ctx.insert("q", &serde_json::json!({"from": o.from, "to": o.to, "agency": q.agency, "kind": q.kind, "sort": q.sort}));
    ctx.insert("query", req.query_string());
    page(&state, "planner/overview.html", &ctx)
}

#[get("/planner/units/{slug}")]
pub async fn unit_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    slug: web::Path<String>,
    q: web::Query<Query>,
) -> Result<HttpResponse, PageError> {
    let a = unit_analytics(&state, &user, &slug, &q, lang).await?;
    let mut ctx = context(&req, lang, Some(&user));
    ctx.insert(
        "charts",
        &crate::web::analytics::charts::unit_charts(&a, lang),
    );
    ctx.insert("a", &a);
    ctx.insert(
        "q",
        &serde_json::json!({"from": a.from, "to": a.to, "by": a.by}),
    );
    ctx.insert("query", req.query_string());
    page(&state, "planner/unit.html", &ctx)
}

#[derive(Serialize)]
struct ProfileRow {
    label: String,
    count: Option<u64>,
    share: Option<f64>,
}

/// The official SKM report for a unit and period, as a printable page.
#[get("/planner/units/{slug}/report")]
pub async fn report_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    slug: web::Path<String>,
    q: web::Query<Query>,
) -> Result<HttpResponse, PageError> {
    let (unit, view) = store::units::view_by_slug(&state.db, &slug, true)
        .await?
        .ok_or(PageError::NotFound)?;
    if !allowed(&user, unit.id) {
        return Err(PageError::NotFound);
    }
    let (from, to) = range(&q, lang)?;
    let sums = store::analytics::by_unit(&state.db, Some(&[unit.id]), from, to, Codes::All)
        .await?
        .remove(&unit.id)
        .unwrap_or_default();
    let els = elements(&state);
    let k = state.settings.min_cell as u64;
    let cats = category_codes(&state).await?;
    let m = all_measures(&sums, &els, k, &cats);
    let def = crate::domain::skm_survey::skm_definition();
    let mut profile: Vec<(String, Vec<ProfileRow>)> = vec![];
    let responses = m.responses;
    for qn in def.questions.iter().filter(|x| x.profile) {
        let label = if lang == Lang::En {
            qn.label.en.clone()
        } else {
            qn.label.id.clone()
        };
        let values: Vec<(String, String)> = match &qn.kind {
            crate::domain::survey::Kind::SingleChoice { options } => options
                .iter()
                .map(|o| {
                    let v = o
                        .value
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| o.value.to_string());
                    (
                        v,
                        if lang == Lang::En {
                            o.label.en.clone()
                        } else {
                            o.label.id.clone()
                        },
                    )
                })
                .collect(),
            _ => ["<25", "25-34", "35-44", "45-54", "55-64", "65+"]
                .iter()
                .map(|b| (b.to_string(), b.to_string()))
                .collect(),
        };
        let rows = values
            .into_iter()
            .map(|(v, l)| {
                let n = sums.get(&format!("_P:{}:{v}", qn.code)).map_or(0, |s| s.n);
                // Small cells are withheld so no respondent can be singled out.
                let shown = (n >= k || n == 0).then_some(n);
                ProfileRow {
                    label: l,
                    count: shown,
                    share: shown
                        .filter(|_| responses > 0)
                        .map(|n| n as f64 / responses as f64),
                }
            })
            .collect();
        profile.push((label, rows));
    }
    let mut lowest: Vec<(String, f64)> = m
        .elements
        .iter()
        .filter_map(|(c, e)| e.mean.map(|v| (c.clone(), v)))
        .collect();
    lowest.sort_by(|a, b| a.1.total_cmp(&b.1));
    lowest.truncate(3);
    let names: HashMap<String, String> = def
        .questions
        .iter()
        .filter(|x| x.ikm_weight.is_some())
        .map(|x| {
            (
                x.code.clone(),
                crate::domain::skm::element_name(&x.code).to_string(),
            )
        })
        .collect();
    let mut ctx = context(&req, lang, Some(&user));
    ctx.insert("unit", &view);
    ctx.insert("m", &m);
    ctx.insert("from", &from);
    ctx.insert("to", &to);
    ctx.insert("profile", &profile);
    ctx.insert("lowest", &lowest);
    ctx.insert("names", &names);
    ctx.insert(
        "min_sample",
        &view.monthly_visitors.map(|mv| {
            crate::domain::skm::min_sample(
                (mv.max(0) as f64 * ((to - from).num_days() + 1) as f64 / 30.4375).round() as u64,
            )
        }),
    );
    page(&state, "planner/report.html", &ctx)
}
