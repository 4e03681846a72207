//! The triage queue as CSV (for machines: codes, UTC times) or as an Excel workbook (for people:
//! Indonesian headers, labels in words, WIB times as date cells): the same filters as the JSON
//! queue, every matching complaint in the queue's order, read a page at a time. Never contact
//! details; the summary is the first 140 characters of the description, as in the queue.
use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

use super::queue_query::{Categories, QueueQuery, queue_filter};
use crate::domain::channel::Channel;
use crate::i18n::Lang;
use crate::service::complaints::{QueueRow, queue_rows, scoped_filter};
use crate::store;
use crate::web::analytics::csv::streamed;
use crate::web::auth::CurrentUser;
use crate::web::error::ApiError;
use crate::web::state::State;
use crate::web::xlsx::Cell;

/// Complaints read per query.
const PAGE: u64 = 500;

const HEADER: [&str; 17] = [
    "tracking_id",
    "unit",
    "kind",
    "category",
    "status",
    "priority",
    "assignee",
    "channel",
    "anonim",
    "rahasia",
    "created_at",
    "next_deadline",
    "overdue",
    "due_verify",
    "due_first_response",
    "due_resolve",
    "summary",
];

/// `?format=csv`, or an `Accept` that names `text/csv`.
pub fn wants_csv(req: &HttpRequest, format: Option<&str>) -> bool {
    format == Some("csv")
        || req
            .headers()
            .get(header::ACCEPT)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|a| a.contains("text/csv"))
}

fn row(r: &QueueRow, units: &HashMap<i32, String>, cats: &Categories) -> Vec<String> {
    let c = &r.c;
    let opt = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        c.tracking_id.clone(),
        units.get(&c.unit_id).cloned().unwrap_or_default(),
        c.kind.clone(),
        cats.get(&c.category_id)
            .map(|x| x.code.clone())
            .unwrap_or_default(),
        c.status.clone(),
        c.priority.clone(),
        c.assignee.clone().unwrap_or_default(),
        c.channel.clone(),
        u8::from(c.anonim).to_string(),
        u8::from(c.rahasia).to_string(),
        c.created_at.to_rfc3339(),
        opt(r.next),
        u8::from(r.overdue).to_string(),
        c.due_verify.to_string(),
        c.due_first_response.to_string(),
        c.due_resolve.to_string(),
        c.description.chars().take(140).collect(),
    ]
}

/// The xlsx columns, as locale keys, with their widths.
const XLSX_COLUMNS: [(&str, f64); 17] = [
    ("xl_tracking_id", 16.0),
    ("xl_unit", 30.0),
    ("xl_kind", 16.0),
    ("xl_category", 24.0),
    ("xl_status", 16.0),
    ("xl_priority", 10.0),
    ("xl_assignee", 16.0),
    ("xl_channel", 10.0),
    ("xl_anonim", 8.0),
    ("xl_rahasia", 8.0),
    ("xl_created_at", 17.0),
    ("xl_next_deadline", 12.0),
    ("xl_overdue", 10.0),
    ("xl_due_verify", 12.0),
    ("xl_due_first_response", 12.0),
    ("xl_due_resolve", 12.0),
    ("xl_summary", 60.0),
];

fn xlsx_row(
    r: &QueueRow,
    units: &HashMap<i32, String>,
    cats: &Categories,
    lang: Lang,
) -> Vec<Cell> {
    let c = &r.c;
    let word = |key: String| Cell::text(lang.t(&key).to_string());
    let yes_no = |b: bool| word(if b { "xl_yes" } else { "xl_no" }.to_string());
    let date = |d: Option<chrono::NaiveDate>| d.map_or(Cell::Empty, Cell::Date);
    vec![
        Cell::text(c.tracking_id.clone()),
        Cell::text(units.get(&c.unit_id).cloned().unwrap_or_default()),
        word(format!("kind_{}", c.kind)),
        Cell::text(
            cats.get(&c.category_id)
                .map(|x| lang.pick(&x.name_id, &x.name_en).clone())
                .unwrap_or_default(),
        ),
        word(format!("status_{}", c.status)),
        word(format!("prio_{}", c.priority)),
        Cell::text(c.assignee.clone().unwrap_or_default()),
        Cell::text(Channel::parse(&c.channel).map_or(c.channel.as_str(), |ch| ch.label())),
        yes_no(c.anonim),
        yes_no(c.rahasia),
        Cell::DateTime(wib_naive(c.created_at)),
        date(r.next),
        yes_no(r.overdue),
        Cell::Date(c.due_verify),
        Cell::Date(c.due_first_response),
        Cell::Date(c.due_resolve),
        Cell::text(c.description.chars().take(140).collect::<String>()),
    ]
}

/// A UTC instant as the wall-clock time in WIB, to the minute.
fn wib_naive(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let local = (t + chrono::Duration::hours(7)).naive_utc();
    local
        .with_second(0)
        .and_then(|l| l.with_nanosecond(0))
        .unwrap_or(local)
}

pub async fn queue_xlsx(
    state: State,
    user: CurrentUser,
    q: &QueueQuery,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let (f, overdue, cats) = queue_filter(&state, q, lang).await?;
    let f = scoped_filter(&user, f, overdue);
    let units: HashMap<i32, String> = store::units::list(&state.db, true)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let name = format!("suara-pengaduan-{}", crate::service::today_wib());
    let pages = futures_util::stream::unfold(Some(1u64), |at| {
        let (state, f, units, cats) = (&state, &f, &units, &cats);
        async move {
            let page = at?;
            match queue_rows(state, f, page, PAGE).await {
                Ok((rows, total)) => {
                    let next = (page * PAGE < total).then_some(page + 1);
                    let out = rows
                        .iter()
                        .map(|r| xlsx_row(r, units, cats, lang))
                        .collect();
                    Some((Ok(out), next))
                }
                Err(e) => Some((Err(e), None)),
            }
        }
    });
    let header = XLSX_COLUMNS
        .iter()
        .map(|(k, _)| lang.t(k).to_string())
        .collect();
    let widths: Vec<f64> = XLSX_COLUMNS.iter().map(|(_, w)| *w).collect();
    crate::web::xlsx::download(&name, lang.t("xl_sheet_complaints"), header, &widths, pages).await
}

pub async fn queue_csv(
    state: State,
    user: CurrentUser,
    q: &QueueQuery,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let (f, overdue, cats) = queue_filter(&state, q, lang).await?;
    let f = Arc::new(scoped_filter(&user, f, overdue));
    let units: HashMap<i32, String> = store::units::list(&state.db, true)
        .await?
        .into_iter()
        .map(|u| (u.id, u.slug))
        .collect();
    let lookups = Arc::new((units, cats));
    let name = format!("suara-pengaduan-{}", crate::service::today_wib());
    // `Some(page)`: that page is still to be read; `None`: done.
    let pages = futures_util::stream::unfold(Some(1u64), move |at| {
        let (state, f, lookups) = (state.clone(), f.clone(), lookups.clone());
        async move {
            let page = at?;
            match queue_rows(&state, &f, page, PAGE).await {
                Ok((rows, total)) => {
                    let next = (page * PAGE < total).then_some(page + 1);
                    let out = rows
                        .iter()
                        .map(|r| row(r, &lookups.0, &lookups.1))
                        .collect();
                    Some((Ok(out), next))
                }
                Err(e) => Some((Err(e), None)),
            }
        }
    });
    Ok(streamed(
        &name,
        HEADER.iter().map(|s| s.to_string()).collect(),
        pages,
    ))
}
