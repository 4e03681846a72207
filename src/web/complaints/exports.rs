//! The triage queue as CSV: the same filters as the JSON queue, every matching complaint in
//! the queue's order, streamed a page at a time. Never contact details; the summary is the
//! first 140 characters of the description, as in the queue, neutralised like every cell.
use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

use super::queue_query::{Categories, QueueQuery, queue_filter};
use crate::i18n::Lang;
use crate::service::complaints::{QueueRow, queue_rows, scoped_filter};
use crate::store;
use crate::web::analytics::csv::streamed;
use crate::web::auth::CurrentUser;
use crate::web::error::ApiError;
use crate::web::state::State;

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
