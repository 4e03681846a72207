//! Report periods: an inclusive date range from a query, checked and defaulted the same way for
//! every report.
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::domain::validation::Problems;
use crate::i18n::Lang;
use crate::service::error::ServiceError;
use crate::service::today_wib;

#[derive(Deserialize)]
pub struct RangeQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// An inclusive date range; by default the current year up to today (WIB).
pub fn parse_range(q: &RangeQuery, lang: Lang) -> Result<(NaiveDate, NaiveDate), ServiceError> {
    let mut problems = Problems::new();
    let parse = |v: &Option<String>, name: &str, problems: &mut Problems| -> Option<NaiveDate> {
        let v = v.as_deref()?.trim();
        match crate::domain::validation::parse_date(v) {
            Ok(d) => Some(d),
            Err(k) => {
                problems.insert(name.into(), k);
                None
            }
        }
    };
    let to = parse(&q.to, "to", &mut problems).unwrap_or_else(today_wib);
    let from = parse(&q.from, "from", &mut problems)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
    if problems.is_empty() && from > to {
        problems.insert("from".into(), "v_date_order");
    }
    if problems.is_empty() && (to - from).num_days() > 366 * 10 {
        problems.insert("from".into(), "v_range");
    }
    if problems.is_empty() {
        Ok((from, to))
    } else {
        Err(ServiceError::problems(&problems, lang))
    }
}
