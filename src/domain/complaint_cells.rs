//! Complaint measures from rollup cells. A complaint contributes a few cells to the rollup of
//! the WIB day it was filed (the same tables that hold survey sums), so a planner's period costs
//! the same to read at a thousand or a million complaints. When a complaint changes, its old
//! cells are taken away and its new ones added, in the transaction that changes it.
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use super::calendar::wib_date;
use super::measures::Complaints;
use super::stats::{Summary, histogram_quantile};

/// Every complaint code starts with this, so survey readers can tell them apart.
pub const PREFIX: &str = "_C:";
/// n = complaints filed.
pub const TOTAL: &str = "_C:n";
const VERIFY: &str = "_C:ver";
const RESOLVE: &str = "_C:res";
/// n = resolved complaints, Σ = those resolved by their deadline.
const IN_TIME: &str = "_C:intime";
/// n = finished (resolved, closed or reopened) complaints, Σ = those ever reopened.
const REOPENED: &str = "_C:reopen";
/// `_C:ch:<channel>`: n = complaints filed through that channel (web, whatsapp, open311, …), so a
/// unit's channels per period are read from cells, not from its complaint rows.
pub const CHANNEL: &str = "_C:ch:";

/// Bucket edges for hours to verification: fine where the 3-working-day deadline falls.
const VERIFY_EDGES_H: [i64; 16] = [
    0, 1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 336, 720, 1440,
];
/// Bucket edges for days to resolution: fine around the 5- and 14-working-day deadlines.
const RESOLVE_EDGES_D: [i64; 16] = [0, 1, 2, 3, 4, 5, 7, 10, 14, 21, 30, 45, 60, 90, 180, 365];

/// The bucket (lower edge, width) holding `x`; values past the last edge go in the last bucket.
fn bucket(edges: &[i64], x: f64) -> (i64, i64) {
    let last = edges.len() - 2;
    let i = (0..=last)
        .rev()
        .find(|&i| x >= edges[i] as f64)
        .unwrap_or(0);
    (edges[i], edges[i + 1] - edges[i])
}

/// What the measures need of one complaint, as stored now.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplaintState<'a> {
    pub kind: &'a str,
    pub channel: &'a str,
    pub category_id: i32,
    pub status: &'a str,
    pub created_at: DateTime<Utc>,
    pub verified_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub due_resolve: NaiveDate,
    pub reopen_count: i32,
}

impl ComplaintState<'_> {
    /// The WIB day whose rollup holds this complaint's cells.
    pub fn day(&self) -> NaiveDate {
        wib_date(self.created_at)
    }

    /// (code, value) pairs: each counts once (n = 1) with Σx = value and Σx² = value².
    pub fn cells(&self) -> Vec<(String, f64)> {
        let mut v = vec![
            (TOTAL.to_string(), 1.0),
            (format!("{PREFIX}cat:{}", self.category_id), 1.0),
            (format!("{PREFIX}kind:{}", self.kind), 1.0),
            (format!("{PREFIX}st:{}", self.status), 1.0),
            (format!("{CHANNEL}{}", self.channel), 1.0),
        ];
        if let Some(at) = self.verified_at {
            let h = ((at - self.created_at).num_minutes() as f64 / 60.0).max(0.0);
            v.push((VERIFY.into(), h));
            v.push((format!("{VERIFY}@{}", bucket(&VERIFY_EDGES_H, h).0), 1.0));
        }
        if let Some(at) = self.resolved_at {
            let d = ((at - self.created_at).num_minutes() as f64 / 1440.0).max(0.0);
            v.push((RESOLVE.into(), d));
            v.push((format!("{RESOLVE}@{}", bucket(&RESOLVE_EDGES_D, d).0), 1.0));
            let in_time = wib_date(at) <= self.due_resolve;
            v.push((IN_TIME.into(), if in_time { 1.0 } else { 0.0 }));
        }
        if matches!(self.status, "resolved" | "closed" | "reopened") {
            let again = self.reopen_count > 0;
            v.push((REOPENED.into(), if again { 1.0 } else { 0.0 }));
        }
        v
    }
}

/// The change to the rollups when a complaint goes from `old` to `new` (either may be absent):
/// (code, n, Σx, Σx²) with cells present in both cancelled out.
pub fn delta(
    old: Option<&ComplaintState<'_>>,
    new: Option<&ComplaintState<'_>>,
) -> Vec<(NaiveDate, String, i64, f64, f64)> {
    let mut acc: BTreeMap<(NaiveDate, String), (i64, f64, f64)> = BTreeMap::new();
    for (state, sign) in [(old, -1.0), (new, 1.0)] {
        let Some(c) = state else { continue };
        let day = c.day();
        for (code, x) in c.cells() {
            let e = acc.entry((day, code)).or_default();
            e.0 += sign as i64;
            e.1 += sign * x;
            e.2 += sign * x * x;
        }
    }
    acc.into_iter()
        .filter(|(_, (n, s, ss))| *n != 0 || *s != 0.0 || *ss != 0.0)
        .map(|((d, c), (n, s, ss))| (d, c, n, s, ss))
        .collect()
}

fn share(s: Summary) -> Option<f64> {
    (s.n > 0).then(|| s.sum.round().clamp(0.0, s.n as f64) / s.n as f64)
}

/// Complaint measures from the summed cells of one unit or group and period (code → sums), with
/// category codes looked up by id. Medians are read from the buckets, interpolating inside one,
/// as wait-time medians are.
pub fn measures(sums: &HashMap<String, Summary>, categories: &HashMap<i32, String>) -> Complaints {
    let get = |c: &str| sums.get(c).copied().unwrap_or_default();
    let mut c = Complaints {
        total: get(TOTAL).n,
        ..Complaints::default()
    };
    let (mut verify, mut resolve) = (vec![], vec![]);
    let put = |map: &mut BTreeMap<String, u64>, key: &str, n: u64| {
        *map.entry(key.to_string()).or_default() += n;
    };
    for (code, s) in sums {
        let Some(rest) = code.strip_prefix(PREFIX) else {
            continue;
        };
        if s.n == 0 {
            continue;
        }
        if let Some(id) = rest.strip_prefix("cat:") {
            let name = id
                .parse::<i32>()
                .ok()
                .and_then(|id| categories.get(&id).cloned())
                .unwrap_or_else(|| id.to_string());
            put(&mut c.by_category, &name, s.n);
        } else if let Some(k) = rest.strip_prefix("kind:") {
            put(&mut c.by_kind, k, s.n);
        } else if let Some(st) = rest.strip_prefix("st:") {
            put(&mut c.by_status, st, s.n);
        } else if let Some(lo) = rest.strip_prefix("ver@").and_then(|x| x.parse().ok()) {
            verify.push((lo, bucket(&VERIFY_EDGES_H, lo as f64).1, s.n));
        } else if let Some(lo) = rest.strip_prefix("res@").and_then(|x| x.parse().ok()) {
            resolve.push((lo, bucket(&RESOLVE_EDGES_D, lo as f64).1, s.n));
        }
    }
    c.median_hours_to_verify = histogram_quantile(&verify, 0.5);
    c.median_days_to_resolve = histogram_quantile(&resolve, 0.5);
    c.resolved_within_deadline = share(get(IN_TIME));
    c.reopen_rate = share(get(REOPENED));
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i64) -> DateTime<Utc> {
        // 1,790,000,000 s is 2026-09-21 13:33:20 UTC, 20:33 WIB.
        DateTime::<Utc>::from_timestamp(1_790_000_000 + h * 3600, 0).unwrap()
    }

    fn add(sums: &mut HashMap<String, Summary>, rows: Vec<(NaiveDate, String, i64, f64, f64)>) {
        for (_, code, n, s, ss) in rows {
            let e = sums.entry(code).or_default();
            e.n = (e.n as i64 + n) as u64;
            e.sum += s;
            e.sumsq += ss;
        }
    }

    fn three() -> Vec<ComplaintState<'static>> {
        let due = (t(0) + chrono::Duration::days(5)).date_naive();
        vec![
            ComplaintState {
                kind: "pengaduan",
                channel: "web",
                category_id: 1,
                status: "closed",
                created_at: t(0),
                verified_at: Some(t(2)),
                resolved_at: Some(t(48)),
                due_resolve: due,
                reopen_count: 0,
            },
            ComplaintState {
                kind: "pengaduan",
                channel: "web",
                category_id: 1,
                status: "resolved",
                created_at: t(0),
                verified_at: Some(t(6)),
                resolved_at: Some(t(24 * 10)),
                due_resolve: due,
                reopen_count: 1,
            },
            ComplaintState {
                kind: "aspirasi",
                channel: "whatsapp",
                category_id: 2,
                status: "received",
                created_at: t(0),
                verified_at: None,
                resolved_at: None,
                due_resolve: due,
                reopen_count: 0,
            },
        ]
    }

    #[test]
    fn buckets_cover_every_value() {
        assert_eq!(bucket(&VERIFY_EDGES_H, 0.0), (0, 1));
        assert_eq!(bucket(&VERIFY_EDGES_H, 2.0), (2, 2));
        assert_eq!(bucket(&VERIFY_EDGES_H, 71.9), (48, 24));
        assert_eq!(bucket(&VERIFY_EDGES_H, 5000.0), (720, 720));
        assert_eq!(bucket(&RESOLVE_EDGES_D, 10.0), (10, 4));
        assert_eq!(bucket(&RESOLVE_EDGES_D, -1.0), (0, 1));
    }

    #[test]
    fn measures_by_hand() {
        let mut sums = HashMap::new();
        for c in three() {
            add(&mut sums, delta(None, Some(&c)));
        }
        let cats = HashMap::from([(1, "waktu_tunggu".to_string()), (2, "prosedur".into())]);
        let m = measures(&sums, &cats);
        assert_eq!(m.total, 3);
        assert_eq!(m.by_category["waktu_tunggu"], 2);
        assert_eq!(m.by_category["prosedur"], 1);
        assert_eq!(m.by_kind["aspirasi"], 1);
        assert_eq!(m.by_status["closed"], 1);
        // Verified after 2 h (bucket [2, 4)) and 6 h (bucket [4, 8)): the median is the point
        // where half of the two answers lie below, the end of [2, 4) → 4.
        assert_eq!(m.median_hours_to_verify, Some(4.0));
        // Resolved after 2 days ([2, 3)) and 10 days ([10, 14)): the end of [2, 3) → 3.
        assert_eq!(m.median_days_to_resolve, Some(3.0));
        // The deadline is day 5: the first made it, the second did not.
        assert_eq!(m.resolved_within_deadline, Some(0.5));
        // Of the two finished, one was reopened.
        assert_eq!(m.reopen_rate, Some(0.5));
        assert_eq!(sums[VERIFY].sum, 8.0);
        // Each complaint counts once under its channel.
        assert_eq!(sums["_C:ch:web"].n, 2);
        assert_eq!(sums["_C:ch:whatsapp"].n, 1);
    }

    #[test]
    fn a_change_moves_cells_and_the_totals_stay_consistent() {
        let cs = three();
        let mut sums = HashMap::new();
        for c in &cs {
            add(&mut sums, delta(None, Some(c)));
        }
        // The received aspiration is verified after 30 h and then resolved on day 3.
        let mut v = cs[2].clone();
        v.status = "verified";
        v.verified_at = Some(t(30));
        add(&mut sums, delta(Some(&cs[2]), Some(&v)));
        let mut r = v.clone();
        r.status = "resolved";
        r.resolved_at = Some(t(72));
        let d = delta(Some(&v), Some(&r));
        assert!(
            d.iter().all(|x| !x.1.starts_with("_C:ver")),
            "unchanged cells cancel: {d:?}"
        );
        add(&mut sums, d);
        let m = measures(&sums, &HashMap::new());
        assert_eq!(m.total, 3);
        assert_eq!(m.by_status.get("received"), None);
        assert_eq!(m.by_status.get("verified"), None);
        assert_eq!(m.by_status["resolved"], 2);
        assert_eq!(m.by_category["2"], 1, "an unknown id shows as itself");
        assert_eq!(sums[VERIFY].n, 3);
        assert_eq!(sums[RESOLVE].n, 3);
        // Two of three resolved in time now (day 3 ≤ day 5).
        assert_eq!(m.resolved_within_deadline, Some(2.0 / 3.0));
        // The same state twice is no change at all.
        assert!(delta(Some(&r), Some(&r)).is_empty());
    }
}
