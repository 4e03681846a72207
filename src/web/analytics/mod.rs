//! Planner analytics: a unit's series and the overview of units, as JSON, CSV and pages.
pub mod charts;
pub mod csv;
pub mod element_charts;
pub mod responses_csv;
pub mod unit_charts;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::i18n::Lang;
pub use crate::service::analytics::*;
use crate::service::skm_report::skm_report;
use crate::store;
use crate::web::auth::{StaffApi, StaffPage};
use crate::web::error::{ApiError, PageError};
use crate::web::render::{context, page};
use crate::web::state::State;

/// Analytics' operations in the OpenAPI document (see [`crate::web::openapi`]).
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_unit, api_overview, responses_csv::api_responses_csv))]
pub struct Api;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.configure(responses_csv::configure)
        .service(api_unit)
        .service(api_overview)
        .service(overview_page)
        .service(unit_page)
        .service(report_page);
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

#[utoipa::path(get, path = "/api/v1/analytics/units/{slug}", tag = "analytics", security(("staff" = ["admin", "supervisor", "planner"])),
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

#[utoipa::path(get, path = "/api/v1/analytics/overview", tag = "analytics", security(("staff" = ["admin", "supervisor", "planner"])),
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
    let agencies: Vec<store::units::AgencyView> = store::units::agencies(&state.read, false)
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
        &crate::web::analytics::unit_charts::unit_charts(&a, lang),
    );
    ctx.insert("a", &a);
    ctx.insert(
        "q",
        &serde_json::json!({"from": a.from, "to": a.to, "by": a.by}),
    );
    ctx.insert("query", req.query_string());
    page(&state, "planner/unit.html", &ctx)
}

/// Who signs a printed document (the SKM report, the training plan), as typed on it: kept in
/// the link so it can be printed again as signed; nothing is stored.
#[derive(serde::Deserialize)]
pub struct Signature {
    place: Option<String>,
    date: Option<String>,
    head: Option<String>,
    nip: Option<String>,
    /// The signer's position (jabatan), where the document does not imply it.
    position: Option<String>,
    /// The issuing office for the letterhead (kop), where the document does not imply it.
    office: Option<String>,
}

impl Signature {
    /// A typed value trimmed and cut to 80 characters; `None` when blank.
    fn field(s: &Option<String>) -> Option<String> {
        s.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| v.chars().take(80).collect::<String>())
    }

    /// The issuing office typed for the letterhead.
    pub fn office(&self) -> Option<String> {
        Self::field(&self.office)
    }

    /// The signature block as `templates/planner/_signature.html` reads it (`sign`): place
    /// (Jambi unless typed), date, the position line (`role`: the document's own, else the typed
    /// position), name and NIP, and the typed values for the form.
    pub fn block(&self, role: Option<String>) -> serde_json::Value {
        let position = Self::field(&self.position);
        serde_json::json!({
            "place": Self::field(&self.place).unwrap_or_else(|| "Jambi".into()),
            "date": Self::field(&self.date),
            "head": Self::field(&self.head),
            "nip": Self::field(&self.nip),
            "role": role.or_else(|| position.clone()),
            "position": position,
            "office": self.office(),
        })
    }
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
    sig: web::Query<Signature>,
) -> Result<HttpResponse, PageError> {
    let r = skm_report(&state, &user, &slug, &q, lang).await?;
    let mut ctx = context(&req, lang, Some(&user));
    // The signature block: typed on the page (a GET form) and kept in the link, so a report
    // can be printed again as signed. Nothing here is stored.
    ctx.insert(
        "sign",
        &sig.block(Some(format!("{} {}", lang.t("a_sign_role"), r.unit.name))),
    );
    // The agency's logo heads the kop when it has one.
    let logo = crate::service::agency_logos::logo(&state.db, &r.unit.agency.slug)
        .await?
        .map(|_| r.unit.agency.slug.clone());
    ctx.insert(
        "kop",
        &serde_json::json!({"agency": r.unit.agency.name, "unit": r.unit.name, "address": r.unit.address, "logo": logo}),
    );
    ctx.insert("today", &crate::service::today_wib().to_string());
    // What the unit's queue machine measured over the period, beside the survey's figures.
    ctx.insert(
        "measured_wait",
        &crate::service::queue::measured_wait(&state, r.unit.id, r.from, r.to, lang).await?,
    );
    // 4.2 the follow-up plan of the period, 4.3 the trend (the year before the period's end, by
    // quarter), and the annex: what was done of the previous periods' plans.
    let (plan, before) =
        crate::service::public_results::report_follow_ups(&state, r.unit.id, r.from, r.to).await?;
    let row = |m: &entity::follow_up::Model| {
        let elements: Vec<String> = serde_json::from_str(&m.elements).unwrap_or_default();
        let owner = [m.owner_name.clone(), m.owner_position.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        serde_json::json!({
            "elements": elements.join(", "),
            "title": m.title,
            "due_on": m.due_on,
            "owner": owner,
            "status": m.status,
            "progress": m.progress,
            "done_on": m.done_on,
        })
    };
    ctx.insert("plan", &plan.iter().map(row).collect::<Vec<_>>());
    // The annex says what each earlier item did to the elements it answers.
    let mut annex = vec![];
    for m in &before {
        let mut v = row(m);
        if let Some(e) = crate::service::follow_ups::effect_of(&state, m, lang).await? {
            let said = match e.label.as_str() {
                "pending" => e.text.clone(),
                label => lang.t(&format!("fu_effect_{label}")).to_string(),
            };
            v["effect"] = serde_json::json!(said);
        }
        annex.push(v);
    }
    ctx.insert("plan_before", &annex);
    let trend_from = (r.to - chrono::Duration::days(365)).min(r.from);
    ctx.insert(
        "trend",
        &crate::service::public_results::quarter_trend(&state, r.unit.id, trend_from, r.to).await?,
    );
    let grades: Vec<(u8, String, String, &str, &str)> = crate::domain::skm::GRADE_TABLE
        .iter()
        .map(|(v, ni, nik, g)| {
            // The regulation's intervals are written the Indonesian way ("3,0644 – 3,532");
            // an English page reads them with decimal points (they hold no thousands).
            let say = |x: &str| match lang {
                Lang::Id => x.to_string(),
                _ => x.replace(',', "."),
            };
            (
                *v,
                say(ni),
                say(nik),
                g.letter(),
                lang.pick(g.label_id(), g.label_en()),
            )
        })
        .collect();
    ctx.insert("grades", &grades);
    let bars: Vec<(String, String, f64)> = r
        .measures
        .elements
        .iter()
        // The chart names each element once, in the page's language (the table beside it gives
        // the regulation's name too), wrapped rather than cut.
        .filter_map(|(c, e)| {
            e.mean.map(|v| {
                let name = crate::web::render::element_label(c, lang == Lang::Id, false);
                (c.clone(), name, v)
            })
        })
        .collect();
    if !bars.is_empty() && !r.measures.suppressed {
        ctx.insert(
            "nrr_chart",
            &crate::web::analytics::element_charts::nrr_bars(
                lang.t("a_chart"),
                &bars,
                lang == Lang::Id,
            ),
        );
    }
    ctx.insert("unit", &r.unit);
    ctx.insert("m", &r.measures);
    ctx.insert("from", &r.from);
    ctx.insert("to", &r.to);
    ctx.insert("profile", &r.profile);
    ctx.insert("lowest", &r.lowest);
    ctx.insert("names", &r.names);
    ctx.insert("min_sample", &r.min_sample);
    page(&state, "planner/report.html", &ctx)
}
