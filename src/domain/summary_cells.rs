//! Per unit and period summaries: every cell (code → n, Σx, Σx²) of one unit's quarter or year
//! in one value, so an overview reads one row a unit instead of grouping thousands of monthly
//! cells. Pure: the periods a range splits into, and the cells' compact encoding (sorted by
//! code; a cell that adds up to nothing is left out, so incremental merging and a rebuild from
//! rows give the same bytes).
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::domain::stats::Summary;

/// A quarter, `2026-Q3`.
pub fn quarter_of(d: NaiveDate) -> String {
    format!("{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1)
}

/// A year, `2026`.
pub fn year_of(d: NaiveDate) -> String {
    format!("{:04}", d.year())
}

/// Whether a code goes into the summaries: all but the respondent-profile counts (`_P:…`),
/// which only the SKM report reads (from the monthly cells).
pub fn summarised(code: &str) -> bool {
    !code.starts_with("_P:")
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The last day of the month `d` falls in.
fn month_end(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    ymd(y, m, 1).pred_opt().unwrap_or(d)
}

/// [from, to] as whole years and whole quarters (read from the summaries) and what is left
/// (read from the monthly and daily cells), each left piece a contiguous range.
#[derive(Debug, Default, PartialEq)]
pub struct Pieces {
    pub periods: Vec<String>,
    pub rest: Vec<(NaiveDate, NaiveDate)>,
}

pub fn split(from: NaiveDate, to: NaiveDate) -> Pieces {
    let mut p = Pieces::default();
    let mut cur = from;
    let mut open: Option<NaiveDate> = None;
    while cur <= to {
        let year_end = ymd(cur.year(), 12, 31);
        let q_end = month_end(ymd(cur.year(), (cur.month() - 1) / 3 * 3 + 3, 1));
        let q_start = ymd(cur.year(), (cur.month() - 1) / 3 * 3 + 1, 1);
        let whole = if cur.ordinal() == 1 && year_end <= to {
            Some((year_of(cur), year_end))
        } else if cur == q_start && q_end <= to {
            Some((quarter_of(cur), q_end))
        } else {
            None
        };
        match whole {
            Some((period, end)) => {
                if let Some(o) = open.take() {
                    p.rest.push((o, cur.pred_opt().unwrap_or(cur)));
                }
                p.periods.push(period);
                let Some(next) = end.succ_opt() else { break };
                cur = next;
            }
            None => {
                open.get_or_insert(cur);
                // Up to the next quarter start (or `to`): nothing whole starts before it.
                let next = q_end.succ_opt().unwrap_or(q_end);
                if next > to {
                    p.rest.push((open.take().unwrap_or(cur), to));
                    break;
                }
                cur = next;
            }
        }
    }
    if let Some(o) = open {
        p.rest.push((o, to));
    }
    p
}

/// The cells in their stored form: a count, then per cell (by code) its length, the code, n
/// (i64), Σx and Σx² (f64), all little-endian.
pub fn encode(cells: &BTreeMap<String, (i64, f64, f64)>) -> Vec<u8> {
    let kept: Vec<_> = cells
        .iter()
        .filter(|(c, v)| **v != (0, 0.0, 0.0) && c.len() <= 255)
        .collect();
    let mut out = Vec::with_capacity(4 + kept.len() * 40);
    out.extend_from_slice(&(kept.len() as u32).to_le_bytes());
    for (code, (n, s, ss)) in kept {
        out.push(code.len() as u8);
        out.extend_from_slice(code.as_bytes());
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&s.to_le_bytes());
        out.extend_from_slice(&ss.to_le_bytes());
    }
    out
}

/// The cells back; `None` for bytes that are not an encoding (a torn or foreign value).
pub fn decode(b: &[u8]) -> Option<BTreeMap<String, (i64, f64, f64)>> {
    let word = |at: usize| -> Option<[u8; 8]> { b.get(at..at + 8)?.try_into().ok() };
    let count = u32::from_le_bytes(b.get(0..4)?.try_into().ok()?) as usize;
    let mut out = BTreeMap::new();
    let mut at = 4;
    for _ in 0..count {
        let len = *b.get(at)? as usize;
        let code = std::str::from_utf8(b.get(at + 1..at + 1 + len)?).ok()?;
        at += 1 + len;
        let n = i64::from_le_bytes(word(at)?);
        let s = f64::from_le_bytes(word(at + 8)?);
        let ss = f64::from_le_bytes(word(at + 16)?);
        out.insert(code.to_string(), (n, s, ss));
        at += 24;
    }
    (at == b.len()).then_some(out)
}

/// Adds the encoded cells of `b` into `into`, as summaries (a negative count reads as none).
pub fn add_into(into: &mut std::collections::HashMap<String, Summary>, b: &[u8]) -> Option<()> {
    for (code, (n, s, ss)) in decode(b)? {
        into.entry(code)
            .or_default()
            .add(&Summary::new(n.max(0) as u64, s, ss));
    }
    Some(())
}

/// `cells` plus `delta`, cell by cell.
pub fn merge(
    mut cells: BTreeMap<String, (i64, f64, f64)>,
    delta: &BTreeMap<String, (i64, f64, f64)>,
) -> BTreeMap<String, (i64, f64, f64)> {
    for (code, (n, s, ss)) in delta {
        let e = cells.entry(code.clone()).or_insert((0, 0.0, 0.0));
        e.0 += n;
        e.1 += s;
        e.2 += ss;
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_range_splits_into_whole_years_and_quarters_and_the_rest() {
        // A quarter: one summary row.
        assert_eq!(
            split(d("2026-07-01"), d("2026-09-30")),
            Pieces {
                periods: vec!["2026-Q3".into()],
                rest: vec![]
            }
        );
        // A year is one row, not four quarters.
        assert_eq!(
            split(d("2025-01-01"), d("2025-12-31")).periods,
            vec!["2025"]
        );
        // Mid-February to mid-November 2025, then all of 2026 and January 2027: the edges are
        // left for the monthly and daily cells.
        let p = split(d("2025-02-15"), d("2027-01-31"));
        assert_eq!(p.periods, vec!["2025-Q2", "2025-Q3", "2025-Q4", "2026"]);
        assert_eq!(
            p.rest,
            vec![
                (d("2025-02-15"), d("2025-03-31")),
                (d("2027-01-01"), d("2027-01-31"))
            ]
        );
        // Twelve months from December: no whole quarter starts in the middle of one.
        let p = split(d("2025-12-01"), d("2026-11-30"));
        assert_eq!(p.periods, vec!["2026-Q1", "2026-Q2", "2026-Q3"]);
        assert_eq!(
            p.rest,
            vec![
                (d("2025-12-01"), d("2025-12-31")),
                (d("2026-10-01"), d("2026-11-30"))
            ]
        );
        // One day.
        assert_eq!(
            split(d("2026-12-05"), d("2026-12-05")),
            Pieces {
                periods: vec![],
                rest: vec![(d("2026-12-05"), d("2026-12-05"))]
            }
        );
    }

    #[test]
    fn cells_round_trip_sorted_and_without_empty_ones() {
        let mut a = BTreeMap::new();
        a.insert("U1".to_string(), (3, 10.0, 34.0));
        a.insert("_C:web".to_string(), (2, 2.0, 2.0));
        a.insert("wait".to_string(), (0, 0.0, 0.0));
        let b = encode(&a);
        // 4 + (1 + 2 + 24) + (1 + 6 + 24)
        assert_eq!(b.len(), 62);
        let back = decode(&b).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back["U1"], (3, 10.0, 34.0));
        // A response withdrawn: its delta takes the cell back to nothing, and the bytes equal
        // those written without it.
        let mut with = a.clone();
        with.insert("U2".to_string(), (1, 4.0, 16.0));
        let mut undo = BTreeMap::new();
        undo.insert("U2".to_string(), (-1, -4.0, -16.0));
        assert_eq!(encode(&merge(with, &undo)), b);
        assert_eq!(decode(&b[..b.len() - 1]), None, "a torn value is refused");
        assert_eq!(decode(&[]), None);
    }
}
