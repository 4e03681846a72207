//! A unit's raw survey responses as CSV for staff in scope: answers by question code, derived
//! numbers and the respondent profile, never free text, contact or one-time codes
//! ([`crate::domain::response_row`]). Streamed a page at a time ([`super::csv::streamed`]).
use std::sync::Arc;

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;

use crate::domain::channel::Channel;
use crate::i18n::Lang;
use crate::service::period::RangeQuery;
use crate::service::response_export::prepare;
use crate::web::auth::StaffApi;
use crate::web::error::ApiError;
use crate::web::state::State;
use crate::web::xlsx::Cell;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(api_responses_csv);
}

#[derive(Deserialize)]
pub struct ExportQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    /// `csv` (the default, for machines) or `xlsx` (for people).
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/units/{slug}/responses", tag = "analytics", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("slug" = String, Path), ("from" = Option<String>, Query, description = "YYYY-MM-DD, default 1 January"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD, default today (WIB)"),
        ("format" = Option<String>, Query, description = "csv (the default: codes, for machines) or xlsx (for people: Indonesian headers, dates as date cells, numbers as numbers)")),
    responses((status = 200, description = "One row per response, by day: id, date, survey, version, service, channel, \
            the answers by question code, ikm_score, ikm_converted, wait_over_standard, visits_ge3, fee_over_declared, \
            and the profile (age in bands); no comments or other free text",
            content((String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 404, description = "No such unit, or not yours"), (status = 422)))]
#[get("/api/v1/units/{slug}/responses")]
pub async fn api_responses_csv(
    state: State,
    StaffApi(user): StaffApi,
    lang: Lang,
    slug: web::Path<String>,
    q: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let range = RangeQuery {
        from: q.from.clone(),
        to: q.to.clone(),
    };
    // The unit's scope (404) first, then the query's values (422).
    let export = Arc::new(prepare(&state, &user, &slug, &range, lang).await?);
    let xlsx = match q.format.as_deref().unwrap_or("") {
        "" | "csv" => false,
        "xlsx" => true,
        _ => return Err(ApiError::field("format", lang.t("v_choice"))),
    };
    let name = format!(
        "suara-{}-responses-{}-{}",
        export.slug, export.from, export.to
    );
    let header = if xlsx {
        export.header_in_words(lang)
    } else {
        export.header()
    };
    let pages = export.rows(state.read.clone()).await?;
    if xlsx {
        use futures_util::StreamExt;
        let rows = pages.map(|page| page.map(|rows| rows.iter().map(|r| in_cells(r)).collect()));
        let widths = [10.0, 11.0, 12.0, 7.0, 20.0, 10.0];
        let sheet = lang.t("xl_sheet_responses");
        return crate::web::xlsx::download(&name, sheet, header, &widths, rows).await;
    }
    Ok(super::csv::streamed(&name, header, pages))
}

/// A CSV row of the export as typed cells: the date a date, the channel by name, numbers as
/// numbers.
fn in_cells(row: &[String]) -> Vec<Cell> {
    row.iter()
        .enumerate()
        .map(|(i, v)| match i {
            1 => v.parse().map_or_else(|_| Cell::text(v.clone()), Cell::Date),
            2 | 4 => Cell::text(v.clone()),
            5 => Cell::text(Channel::parse(v).map_or(v.as_str(), |c| c.label())),
            _ => Cell::from_csv(v),
        })
        .collect()
}
