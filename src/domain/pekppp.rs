//! The four SKM indicators of KemenPANRB's yearly evaluation of service units (PEKPPP),
//! scored 0–5 for a unit and a year from what Suara knows (rules: `../shared/follow-up.md`):
//! 6 SKM per the rule, published and followed up; 7 the number of publication media; 8 the
//! share of the follow-up plan (RTL) realised; 9 how fast it was realised.
use chrono::{Months, NaiveDate};

/// Publication media as the evaluation counts them.
pub const MEDIA: [&str; 7] = [
    "print",
    "board",
    "screen",
    "social",
    "website",
    "app",
    "videotron",
];

/// Media read on paper or a wall; the rest are electronic.
pub fn offline(medium: &str) -> bool {
    matches!(medium, "print" | "board")
}

/// Indicator 6: 0 no responses; 1 fewer than the minimum sample; 2 at least it; 3 and published
/// offline or electronically; 4 both; 5 both and at least one RTL item of the year done.
pub fn indicator_6(
    responses: u64,
    min_sample: u64,
    published_offline: bool,
    published_electronic: bool,
    any_done: bool,
) -> u8 {
    if responses == 0 {
        0
    } else if responses < min_sample {
        1
    } else if !published_offline && !published_electronic {
        2
    } else if !(published_offline && published_electronic) {
        3
    } else if !any_done {
        4
    } else {
        5
    }
}

/// Indicator 7: the number of distinct media, 5 for more than four.
pub fn indicator_7(distinct_media: usize) -> u8 {
    if distinct_media > 4 {
        5
    } else {
        distinct_media as u8
    }
}

/// One follow-up item as the indicators see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub status: String,
    pub progress: i32,
    pub done_on: Option<NaiveDate>,
}

/// The realised share (%) of the items not cancelled: done ÷ not cancelled × 100; `None`
/// without any.
pub fn realised_share(items: &[Item]) -> Option<f64> {
    let live: Vec<&Item> = items.iter().filter(|i| i.status != "cancelled").collect();
    if live.is_empty() {
        return None;
    }
    let done = live.iter().filter(|i| i.status == "done").count();
    Some(done as f64 * 100.0 / live.len() as f64)
}

/// Indicator 8: 0 no RTL; 1 nothing started (every item planned at 0%); 2 under 30%; 3 30% to
/// 80% inclusive; 4 above 80% and under 100%; 5 all done.
pub fn indicator_8(items: &[Item]) -> u8 {
    let Some(share) = realised_share(items) else {
        return 0;
    };
    let live = items.iter().filter(|i| i.status != "cancelled");
    if live
        .clone()
        .all(|i| i.status == "planned" && i.progress == 0)
    {
        1
    } else if share < 30.0 {
        2
    } else if share <= 80.0 {
        3
    } else if share < 100.0 {
        4
    } else {
        5
    }
}

/// Indicator 9 for one period: the last item's `done_on` against the report date — 5 within one
/// calendar month (report 1 July → done by 1 August inclusive), 4 within 3, 3 within 6, 2
/// within 9, 1 within 12; 0 when not every item is done, or later.
pub fn indicator_9(report_date: NaiveDate, items: &[Item]) -> u8 {
    let live: Vec<&Item> = items.iter().filter(|i| i.status != "cancelled").collect();
    if live.is_empty()
        || live
            .iter()
            .any(|i| i.status != "done" || i.done_on.is_none())
    {
        return 0;
    }
    let last = live
        .iter()
        .filter_map(|i| i.done_on)
        .max()
        .unwrap_or(report_date);
    for (months, score) in [(1, 5), (3, 4), (6, 3), (9, 2), (12, 1)] {
        if report_date
            .checked_add_months(Months::new(months))
            .is_some_and(|limit| last <= limit)
        {
            return score;
        }
    }
    0
}

/// Indicator 9 over a year with several periods: the slowest period counts.
pub fn indicator_9_year(periods: &[(NaiveDate, Vec<Item>)]) -> u8 {
    periods
        .iter()
        .map(|(report, items)| indicator_9(*report, items))
        .min()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn item(status: &str, progress: i32, done_on: Option<&str>) -> Item {
        Item {
            status: status.into(),
            progress,
            done_on: done_on.map(d),
        }
    }

    #[test]
    fn indicator_6_climbs_with_sample_publication_and_follow_up() {
        assert_eq!(indicator_6(0, 30, true, true, true), 0);
        assert_eq!(indicator_6(29, 30, true, true, true), 1);
        assert_eq!(indicator_6(30, 30, false, false, true), 2);
        assert_eq!(indicator_6(30, 30, true, false, true), 3);
        assert_eq!(indicator_6(30, 30, false, true, false), 3);
        assert_eq!(indicator_6(30, 30, true, true, false), 4);
        assert_eq!(indicator_6(30, 30, true, true, true), 5);
    }

    #[test]
    fn indicator_7_counts_media_up_to_five() {
        assert_eq!(indicator_7(0), 0);
        assert_eq!(indicator_7(4), 4);
        assert_eq!(indicator_7(5), 5);
        assert_eq!(indicator_7(7), 5);
        assert!(offline("board") && !offline("screen"));
    }

    #[test]
    fn indicator_8_at_its_band_edges() {
        assert_eq!(indicator_8(&[]), 0);
        assert_eq!(indicator_8(&[item("cancelled", 0, None)]), 0);
        assert_eq!(
            indicator_8(&[item("planned", 0, None), item("planned", 0, None)]),
            1
        );
        // Started but nothing done: 0% realised, under 30.
        assert_eq!(indicator_8(&[item("in_progress", 10, None)]), 2);
        // 3 of 10 = 30%: the 30–80 band is inclusive.
        let mut ten: Vec<Item> = (0..10).map(|_| item("in_progress", 50, None)).collect();
        for i in ten.iter_mut().take(3) {
            *i = item("done", 100, Some("2026-08-01"));
        }
        assert_eq!(indicator_8(&ten), 3);
        // 8 of 10 = 80%: still 3; 9 of 10 = 90%: 4.
        for i in ten.iter_mut().take(8) {
            *i = item("done", 100, Some("2026-08-01"));
        }
        assert_eq!(indicator_8(&ten), 3);
        ten[8] = item("done", 100, Some("2026-08-01"));
        assert_eq!(indicator_8(&ten), 4);
        // A cancelled item does not count against the share.
        ten[9] = item("cancelled", 0, None);
        assert_eq!(indicator_8(&ten), 5);
        // 2 of 7 = 28.6%: under 30.
        let mut seven: Vec<Item> = (0..7).map(|_| item("planned", 0, None)).collect();
        seven[0] = item("done", 100, Some("2026-08-01"));
        seven[1] = item("done", 100, Some("2026-08-01"));
        assert_eq!(indicator_8(&seven), 2);
    }

    #[test]
    fn indicator_9_counts_calendar_months_from_the_report() {
        let report = d("2026-07-01");
        let done = |on: &str| {
            vec![
                item("done", 100, Some("2026-07-10")),
                item("done", 100, Some(on)),
            ]
        };
        assert_eq!(indicator_9(report, &done("2026-08-01")), 5);
        assert_eq!(indicator_9(report, &done("2026-08-02")), 4);
        assert_eq!(indicator_9(report, &done("2026-10-01")), 4);
        assert_eq!(indicator_9(report, &done("2026-10-02")), 3);
        assert_eq!(indicator_9(report, &done("2027-01-01")), 3);
        assert_eq!(indicator_9(report, &done("2027-04-01")), 2);
        assert_eq!(indicator_9(report, &done("2027-07-01")), 1);
        assert_eq!(indicator_9(report, &done("2027-07-02")), 0);
        // Done after the fact may be dated before the report: within the first band.
        assert_eq!(indicator_9(report, &done("2026-06-20")), 5);
        // Not all done: 0; cancelled items do not hold it back.
        assert_eq!(
            indicator_9(
                report,
                &[
                    item("done", 100, Some("2026-07-05")),
                    item("in_progress", 50, None)
                ]
            ),
            0
        );
        assert_eq!(
            indicator_9(
                report,
                &[
                    item("done", 100, Some("2026-07-05")),
                    item("cancelled", 0, None)
                ]
            ),
            5
        );
        assert_eq!(indicator_9(report, &[]), 0);
        // A month end: 31 January + 1 month is the last day of February.
        assert_eq!(indicator_9(d("2027-01-31"), &done("2027-02-28")), 5);
        assert_eq!(indicator_9(d("2027-01-31"), &done("2027-03-01")), 4);
        // Over a year the slowest period counts.
        assert_eq!(
            indicator_9_year(&[
                (report, done("2026-08-01")),
                (d("2026-12-31"), done("2027-05-01"))
            ]),
            3
        );
    }
}
