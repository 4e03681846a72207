//! What the engine reads of a unit: survey sums and complaint facts per window.
use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::describe::CategoryNames;
use crate::domain::stats::{Summary, histogram_quantile, wait_bucket};

/// One complaint filed in a window, with nothing personal in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintFact {
    pub tracking_id: String,
    pub category: String,
    /// Never shown as an example.
    pub rahasia: bool,
    pub filed_on: NaiveDate,
    /// `Some(true)`: resolved after its deadline, or still open past it; `Some(false)`: resolved
    /// in time; `None`: open and not yet due.
    pub late: Option<bool>,
}

/// A unit's data over one window.
#[derive(Debug, Clone, Default)]
pub struct Signals {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Rollup code → sums (`*` counts responses, `_IKM` is each respondent's weighted score).
    pub sums: HashMap<String, Summary>,
    pub complaints: Vec<ComplaintFact>,
}

impl Signals {
    pub fn days(&self) -> i64 {
        match (self.from, self.to) {
            (Some(a), Some(b)) if b >= a => (b - a).num_days() + 1,
            _ => 0,
        }
    }

    pub fn sum(&self, code: &str) -> Summary {
        self.sums.get(code).copied().unwrap_or_default()
    }

    pub fn responses(&self) -> u64 {
        self.sum("*").n
    }

    /// Sums of an element code as the rules name it (`IKM` is the weighted index).
    pub fn element(&self, code: &str) -> Summary {
        let c = code.to_uppercase();
        if c == "IKM" {
            self.sum("_IKM")
        } else {
            self.sum(&c)
        }
    }

    pub fn complaints_in(&self, categories: &[String]) -> u64 {
        self.complaints
            .iter()
            .filter(|c| categories.contains(&c.category))
            .count() as u64
    }

    /// (late, judged): complaints whose lateness is known.
    pub fn late(&self) -> (u64, u64) {
        let judged: Vec<bool> = self.complaints.iter().filter_map(|c| c.late).collect();
        (
            judged.iter().filter(|l| **l).count() as u64,
            judged.len() as u64,
        )
    }

    /// Median wait in minutes, from the histogram rollups.
    pub fn median_wait(&self) -> Option<f64> {
        let buckets: Vec<(i64, i64, u64)> = self
            .sums
            .iter()
            .filter_map(|(code, s)| {
                let lower = code.strip_prefix("_WAIT@")?.parse::<i64>().ok()?;
                Some((lower, wait_bucket(lower).1, s.n))
            })
            .collect();
        histogram_quantile(&buckets, 0.5)
    }

    /// Both windows as one.
    pub fn merged(a: &Signals, b: &Signals) -> Signals {
        let mut sums = a.sums.clone();
        for (k, v) in &b.sums {
            sums.entry(k.clone()).or_default().add(v);
        }
        let mut complaints = a.complaints.clone();
        complaints.extend(b.complaints.iter().cloned());
        Signals {
            from: match (a.from, b.from) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            },
            to: match (a.to, b.to) {
                (Some(x), Some(y)) => Some(x.max(y)),
                (x, y) => x.or(y),
            },
            sums,
            complaints,
        }
    }
}

/// Everything the engine needs of one unit for one window length.
#[derive(Debug, Clone, Default)]
pub struct UnitSignals {
    pub unit_id: i32,
    pub slug: String,
    pub name: String,
    pub monthly_visitors: Option<u64>,
    /// The declared standard times (minutes) of the unit's services.
    pub standard_minutes: Vec<i32>,
    /// Complaint categories' names, for the findings' texts (no signal reads them).
    pub category_names: CategoryNames,
    /// The window of the same length before the current one.
    pub previous: Signals,
    /// The current window's older and newer half: a signal must show in both, so a one-week
    /// blip does not raise a recommendation.
    pub first_half: Signals,
    pub second_half: Signals,
}

impl UnitSignals {
    pub fn current(&self) -> Signals {
        Signals::merged(&self.first_half, &self.second_half)
    }
}

/// Splits a window of `days` ending on `to` into (previous, first half, second half) ranges.
pub fn windows(to: NaiveDate, days: u32) -> [(NaiveDate, NaiveDate); 3] {
    let d = days.max(2) as i64;
    let from = to - chrono::Duration::days(d - 1);
    let mid = from + chrono::Duration::days(d / 2);
    let prev_to = from - chrono::Duration::days(1);
    let prev_from = prev_to - chrono::Duration::days(d - 1);
    [
        (prev_from, prev_to),
        (from, mid - chrono::Duration::days(1)),
        (mid, to),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn windows_tile_without_gaps() {
        let [p, a, b] = windows(d("2026-06-30"), 90);
        assert_eq!(b.1, d("2026-06-30"));
        assert_eq!(a.0, d("2026-04-02"));
        assert_eq!(a.1 + chrono::Duration::days(1), b.0);
        assert_eq!((a.1 - a.0).num_days() + 1 + (b.1 - b.0).num_days() + 1, 90);
        assert_eq!(p.1 + chrono::Duration::days(1), a.0);
        assert_eq!((p.1 - p.0).num_days() + 1, 90);
    }

    #[test]
    fn merging_adds_sums_and_complaints() {
        let mut a = Signals::default();
        a.sums.insert("U3".into(), Summary::new(2, 6.0, 18.0));
        let mut b = Signals::default();
        b.sums.insert("U3".into(), Summary::new(1, 2.0, 4.0));
        b.complaints.push(ComplaintFact {
            tracking_id: "SRA-AAAA-BBBB".into(),
            category: "waktu_tunggu".into(),
            rahasia: false,
            filed_on: d("2026-01-01"),
            late: Some(true),
        });
        let m = Signals::merged(&a, &b);
        assert_eq!(m.element("u3"), Summary::new(3, 8.0, 22.0));
        assert_eq!(m.complaints_in(&["waktu_tunggu".into()]), 1);
        assert_eq!(m.late(), (1, 1));
    }
}
