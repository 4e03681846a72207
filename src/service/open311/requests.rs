//! Complaints as GeoReport service requests: the list with its filters, one request, a token.
//! Never a `rahasia` complaint, contact details or the citizen's own text.
use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc};
use entity::complaint;
use serde::Serialize;

use super::services::notice;
use crate::domain::calendar::wib_day_start;
use crate::domain::complaint::{Status, normalise_tracking_id};
use crate::domain::validation::{FIRST_YEAR, LAST_YEAR};
use crate::i18n::Lang;
use crate::service::complaints;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::store;

/// At most this many requests in one list, and this many days between its dates.
pub const MAX_REQUESTS: u64 = 1000;
pub const MAX_RANGE_DAYS: i64 = 90;

fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("a valid offset")
}

/// ISO 8601 with the WIB offset, e.g. `2026-12-02T14:05:31+07:00`.
pub fn iso(t: DateTime<Utc>) -> String {
    t.with_timezone(&wib())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// A complaint as a GeoReport service request. The fields GeoReport has and Suara does not
/// publish (the description, a location, media) are always null.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Open311Request {
    /// The tracking ID.
    pub service_request_id: String,
    /// `open` or `closed`.
    pub status: String,
    /// Suara's own status, in words.
    pub status_notes: Option<String>,
    pub service_name: Option<String>,
    pub service_code: Option<String>,
    /// Never published (the citizen's text may name people).
    pub description: Option<String>,
    /// The unit's name.
    pub agency_responsible: Option<String>,
    pub service_notice: Option<String>,
    pub requested_datetime: String,
    pub updated_datetime: String,
    /// The resolution deadline, while the request is open.
    pub expected_datetime: Option<String>,
    pub address: Option<String>,
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub media_url: Option<String>,
}

/// GeoReport's two statuses: open while the unit still has to act, closed after.
pub fn open_or_closed(s: Status) -> &'static str {
    if s.is_open() { "open" } else { "closed" }
}

fn statuses_of(which: &str) -> Vec<&'static str> {
    Status::ALL
        .into_iter()
        .filter(|s| open_or_closed(*s) == which)
        .map(Status::as_str)
        .collect()
}

async fn views(
    state: &ServiceContext,
    complaints: Vec<complaint::Model>,
    lang: Lang,
) -> Result<Vec<Open311Request>, ServiceError> {
    let cats = store::complaints::all_categories(&state.db).await?;
    let units: HashMap<i32, String> = store::units::list(&state.db, true)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut out = Vec::with_capacity(complaints.len());
    for c in complaints {
        let status = complaints::status_of(&c)?;
        let cat = cats.get(&c.category_id);
        let open = status.is_open();
        out.push(Open311Request {
            status: open_or_closed(status).into(),
            status_notes: Some(lang.t(&format!("status_{}", status.as_str())).into()),
            service_name: cat.map(|k| lang.pick(&k.name_id, &k.name_en).clone()),
            service_code: cat.map(|k| k.code.clone()),
            description: None,
            agency_responsible: units.get(&c.unit_id).cloned(),
            service_notice: cat.map(|k| notice(k.resolve_days, lang)),
            requested_datetime: iso(c.created_at),
            updated_datetime: iso(c.updated_at),
            expected_datetime: open.then(|| iso(wib_day_start(c.due_resolve) + Duration::days(1))),
            address: None,
            address_id: None,
            zipcode: None,
            lat: None,
            long: None,
            media_url: None,
            service_request_id: c.tracking_id,
        });
    }
    Ok(out)
}

/// The filters of `GET requests`, as given (an empty one already dropped).
#[derive(Debug, Default)]
pub struct RequestQuery {
    pub service_request_id: Option<String>,
    pub service_code: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: Option<String>,
}

fn bad(field: &str, why: &str) -> ServiceError {
    ServiceError::BadRequest(format!("{field}: {why}"))
}

fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// An ISO 8601 date-time with an offset (a `+` read as a space from an unencoded query is put
/// back), or a plain date, read as the start of that day in WIB (`end` = the day after).
/// Years outside [`FIRST_YEAR`]..=[`LAST_YEAR`] are refused (no complaint is filed then, and the
/// databases' date ranges differ at the extremes).
fn parse_when(field: &str, s: &str, end: bool) -> Result<DateTime<Utc>, ServiceError> {
    let s = s.trim().replace(' ', "+");
    let t = match DateTime::parse_from_rfc3339(&s) {
        Ok(t) => t.with_timezone(&Utc),
        Err(_) => match NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
            Ok(d) if end => wib_day_start(d) + Duration::days(1),
            Ok(d) => wib_day_start(d),
            Err(_) => {
                return Err(bad(
                    field,
                    "expected ISO 8601, e.g. 2026-12-01T00:00:00+07:00",
                ));
            }
        },
    };
    if !(FIRST_YEAR..=LAST_YEAR).contains(&t.year()) {
        return Err(bad(field, "a year from 2000 to 2100"));
    }
    Ok(t)
}

/// `GET requests`: by IDs (which override every other filter), or by codes, dates (the last
/// 90 days unless given; never more than 90 days apart) and status; newest first, at most 1,000.
pub async fn requests(
    state: &ServiceContext,
    q: &RequestQuery,
    lang: Lang,
) -> Result<Vec<Open311Request>, ServiceError> {
    let mut f = store::open311::Filter {
        limit: MAX_REQUESTS,
        ..Default::default()
    };
    if let Some(ids) = &q.service_request_id {
        let ids: Vec<String> = list(ids)
            .iter()
            .take(MAX_REQUESTS as usize)
            .filter_map(|i| normalise_tracking_id(i))
            .collect();
        f.tracking_ids = Some(ids);
    } else {
        if let Some(codes) = &q.service_code {
            let codes = list(codes);
            let cats = store::complaints::all_categories(&state.db).await?;
            f.category_ids = Some(
                cats.values()
                    .filter(|c| codes.contains(&c.code))
                    .map(|c| c.id)
                    .collect(),
            );
        }
        let start = q
            .start_date
            .as_deref()
            .map(|s| parse_when("start_date", s, false))
            .transpose()?;
        let end = q
            .end_date
            .as_deref()
            .map(|s| parse_when("end_date", s, true))
            .transpose()?;
        let range = Duration::days(MAX_RANGE_DAYS);
        let (from, to) = match (start, end) {
            (Some(s), Some(e)) => (s, e),
            (Some(s), None) => (s, s + range),
            (None, Some(e)) => (e - range, e),
            (None, None) => {
                let now = Utc::now();
                (now - range, now + Duration::minutes(1))
            }
        };
        if to < from {
            return Err(bad("end_date", "before start_date"));
        }
        if to - from > range + Duration::days(1) {
            return Err(bad("end_date", "at most 90 days after start_date"));
        }
        f.from = Some(from);
        f.to = Some(to);
        if let Some(s) = &q.status {
            let mut statuses = vec![];
            for which in list(s) {
                if which != "open" && which != "closed" {
                    return Err(bad("status", "open or closed"));
                }
                statuses.extend(statuses_of(&which));
            }
            if !statuses.is_empty() {
                f.statuses = Some(statuses);
            }
        }
    }
    let found = store::open311::public_requests(&state.db, &f).await?;
    views(state, found, lang).await
}

/// `GET requests/{id}`: one request, or not found (malformed, unknown and `rahasia` alike).
pub async fn request(
    state: &ServiceContext,
    id: &str,
    lang: Lang,
) -> Result<Open311Request, ServiceError> {
    let id = normalise_tracking_id(id).ok_or(ServiceError::NotFound)?;
    let c = store::open311::public_request(&state.db, &id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    views(state, vec![c], lang)
        .await?
        .pop()
        .ok_or(ServiceError::NotFound)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Open311Token {
    pub service_request_id: String,
    pub token: String,
}

/// `GET tokens/{token}`: a request has its ID at once, so the token is that ID.
pub async fn token(state: &ServiceContext, token: &str) -> Result<Open311Token, ServiceError> {
    let id = normalise_tracking_id(token).ok_or(ServiceError::NotFound)?;
    store::open311::public_request(&state.db, &id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(Open311Token {
        service_request_id: id.clone(),
        token: id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_split_into_open_and_closed() {
        assert_eq!(
            statuses_of("open"),
            ["received", "verified", "in_progress", "reopened"]
        );
        assert_eq!(
            statuses_of("closed"),
            ["resolved", "closed", "rejected", "duplicate"]
        );
    }

    #[test]
    fn dates_are_iso_with_an_offset() {
        let t = parse_when("start_date", "2026-12-01T00:00:00 07:00", false).unwrap();
        assert_eq!(iso(t), "2026-12-01T00:00:00+07:00");
        let t = parse_when("end_date", "2026-12-01", true).unwrap();
        assert_eq!(iso(t), "2026-12-02T00:00:00+07:00");
        assert!(parse_when("start_date", "yesterday", false).is_err());
        assert!(parse_when("start_date", "0000-01-01T00:00:00-23:59", false).is_err());
        assert!(parse_when("end_date", "9999-12-31", true).is_err());
    }
}
