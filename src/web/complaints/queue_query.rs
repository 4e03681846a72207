//! The queue's query string, shared by the JSON queue, its page and its CSV export.
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::bootstrap::state::AppState;
use crate::domain::complaint::Status;
use crate::i18n::Lang;
use crate::store;
use crate::store::complaints::QueueFilter;
use crate::web::error::ApiError;

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct QueueQuery {
    pub unit: Option<String>,
    /// A status, several separated by commas, or `all`; by default the open work (every status
    /// but closed, rejected and duplicate).
    pub status: Option<String>,
    pub category: Option<String>,
    pub kind: Option<String>,
    pub overdue: Option<String>,
    /// 1-based.
    pub page: Option<String>,
    pub size: Option<String>,
    /// `csv`: every matching complaint (no paging) as CSV; `Accept: text/csv` too. `xlsx`: the
    /// same as an Excel workbook for people.
    pub format: Option<String>,
}

/// The statuses asked for: `None` for the default (open work).
fn statuses(q: &QueueQuery, lang: Lang) -> Result<Option<Vec<Status>>, ApiError> {
    let Some(s) = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if s == "all" {
        return Ok(Some(Status::ALL.to_vec()));
    }
    s.split(',')
        .map(|x| {
            Status::parse(x.trim()).ok_or_else(|| ApiError::field("status", lang.t("v_choice")))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The queue's filter from the query (unknown unit or category: nothing matches), whether only
/// overdue work is asked for, and the categories by id.
pub async fn queue_filter(
    state: &AppState,
    q: &QueueQuery,
    lang: Lang,
) -> Result<(QueueFilter, bool, Categories), ApiError> {
    let mut f = QueueFilter {
        statuses: statuses(q, lang)?,
        ..QueueFilter::default()
    };
    let nonempty = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    if let Some(slug) = nonempty(&q.unit) {
        let id = store::units::by_slug(&state.db, &slug)
            .await?
            .map(|u| u.id)
            .unwrap_or(-1);
        f.units = Some(vec![id]);
    }
    f.kind = nonempty(&q.kind);
    let cats = store::complaints::all_categories(&state.db).await?;
    if let Some(code) = nonempty(&q.category) {
        f.category_id = Some(
            cats.values()
                .find(|c| c.code == code)
                .map(|c| c.id)
                .unwrap_or(-1),
        );
    }
    let overdue = q
        .overdue
        .as_deref()
        .is_some_and(|v| v == "1" || v == "true");
    Ok((f, overdue, cats))
}

pub type Categories = HashMap<i32, entity::complaint_category::Model>;
