//! Working days: Monday–Friday minus the holiday table (national holidays and cuti bersama).
use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Jambi keeps Western Indonesian Time (UTC+7, no daylight saving): days, periods and deadlines
/// are WIB days; timestamps are stored in UTC.
const WIB: Duration = Duration::hours(7);

/// The WIB day a UTC instant falls on.
pub fn wib_date(t: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    (t + WIB).date_naive()
}

/// The UTC instant a WIB day begins: [start(from), start(to + 1)) covers the days from..=to.
pub fn wib_day_start(d: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    (d.and_time(chrono::NaiveTime::MIN) - WIB).and_utc()
}

/// A UTC instant as people in Jambi read it.
pub fn fmt_wib(t: chrono::DateTime<chrono::Utc>) -> String {
    (t + WIB).format("%Y-%m-%d %H:%M WIB").to_string()
}

#[derive(Debug, Clone, Default)]
pub struct Calendar {
    holidays: HashSet<NaiveDate>,
}

impl Calendar {
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        Calendar {
            holidays: holidays.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&d)
    }

    /// The date `n` working days after `start` (the day of receipt itself does not count):
    /// a report received on Friday with 3 days to verify is due on Wednesday.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }
}

/// Indonesian national holidays and cuti bersama (SKB 3 Menteri) for 2026 and 2027, seeded at
/// first start; administrators correct them when the government publishes changes. The Islamic
/// and Chinese dates of 2027 are the announced estimates.
pub const SEED_HOLIDAYS: &[(&str, &str, &str)] = &[
    ("2026-01-01", "Tahun Baru 2026 Masehi", "libur_nasional"),
    (
        "2026-01-16",
        "Isra Mikraj Nabi Muhammad SAW",
        "libur_nasional",
    ),
    (
        "2026-02-17",
        "Tahun Baru Imlek 2577 Kongzili",
        "libur_nasional",
    ),
    (
        "2026-02-16",
        "Cuti bersama Tahun Baru Imlek",
        "cuti_bersama",
    ),
    (
        "2026-03-19",
        "Hari Suci Nyepi Tahun Baru Saka 1948",
        "libur_nasional",
    ),
    ("2026-03-18", "Cuti bersama Nyepi", "cuti_bersama"),
    ("2026-03-20", "Idul Fitri 1447 H", "libur_nasional"),
    ("2026-03-21", "Idul Fitri 1447 H", "libur_nasional"),
    ("2026-03-23", "Cuti bersama Idul Fitri", "cuti_bersama"),
    ("2026-03-24", "Cuti bersama Idul Fitri", "cuti_bersama"),
    ("2026-04-03", "Wafat Yesus Kristus", "libur_nasional"),
    (
        "2026-04-05",
        "Kebangkitan Yesus Kristus (Paskah)",
        "libur_nasional",
    ),
    ("2026-05-01", "Hari Buruh Internasional", "libur_nasional"),
    ("2026-05-14", "Kenaikan Yesus Kristus", "libur_nasional"),
    (
        "2026-05-15",
        "Cuti bersama Kenaikan Yesus Kristus",
        "cuti_bersama",
    ),
    ("2026-05-27", "Idul Adha 1447 H", "libur_nasional"),
    ("2026-05-31", "Hari Raya Waisak 2570 BE", "libur_nasional"),
    ("2026-06-01", "Hari Lahir Pancasila", "libur_nasional"),
    ("2026-06-16", "Tahun Baru Islam 1448 H", "libur_nasional"),
    (
        "2026-08-17",
        "Hari Kemerdekaan Republik Indonesia",
        "libur_nasional",
    ),
    ("2026-08-25", "Maulid Nabi Muhammad SAW", "libur_nasional"),
    ("2026-12-25", "Hari Raya Natal", "libur_nasional"),
    ("2026-12-24", "Cuti bersama Natal", "cuti_bersama"),
    ("2027-01-01", "Tahun Baru 2027 Masehi", "libur_nasional"),
    (
        "2027-01-05",
        "Isra Mikraj Nabi Muhammad SAW",
        "libur_nasional",
    ),
    (
        "2027-02-06",
        "Tahun Baru Imlek 2578 Kongzili",
        "libur_nasional",
    ),
    ("2027-03-09", "Idul Fitri 1448 H", "libur_nasional"),
    ("2027-03-10", "Idul Fitri 1448 H", "libur_nasional"),
    ("2027-03-08", "Cuti bersama Idul Fitri", "cuti_bersama"),
    ("2027-03-11", "Cuti bersama Idul Fitri", "cuti_bersama"),
    ("2027-03-26", "Wafat Yesus Kristus", "libur_nasional"),
    (
        "2027-03-28",
        "Kebangkitan Yesus Kristus (Paskah)",
        "libur_nasional",
    ),
    (
        "2027-04-08",
        "Hari Suci Nyepi Tahun Baru Saka 1949",
        "libur_nasional",
    ),
    ("2027-05-01", "Hari Buruh Internasional", "libur_nasional"),
    ("2027-05-06", "Kenaikan Yesus Kristus", "libur_nasional"),
    ("2027-05-16", "Idul Adha 1448 H", "libur_nasional"),
    ("2027-05-20", "Hari Raya Waisak 2571 BE", "libur_nasional"),
    ("2027-06-01", "Hari Lahir Pancasila", "libur_nasional"),
    ("2027-06-06", "Tahun Baru Islam 1449 H", "libur_nasional"),
    ("2027-08-15", "Maulid Nabi Muhammad SAW", "libur_nasional"),
    (
        "2027-08-17",
        "Hari Kemerdekaan Republik Indonesia",
        "libur_nasional",
    ),
    ("2027-12-25", "Hari Raya Natal", "libur_nasional"),
    ("2027-12-24", "Cuti bersama Natal", "cuti_bersama"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wib_days_begin_at_17_utc_the_day_before() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let start = wib_day_start(d);
        assert_eq!(start.to_rfc3339(), "2026-03-09T17:00:00+00:00");
        assert_eq!(wib_date(start), d);
        assert_eq!(
            wib_date(start - Duration::seconds(1)),
            d.pred_opt().unwrap()
        );
        assert_eq!(fmt_wib(start), "2026-03-10 00:00 WIB");
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weekends_are_skipped() {
        let c = Calendar::default();
        // Friday 2026-11-20 + 3 working days → Wednesday 2026-11-25.
        assert_eq!(c.add_working_days(d("2026-11-20"), 3), d("2026-11-25"));
        // Received on Saturday: Monday is the first working day.
        assert_eq!(c.add_working_days(d("2026-11-21"), 1), d("2026-11-23"));
        assert_eq!(c.add_working_days(d("2026-11-23"), 0), d("2026-11-23"));
    }

    #[test]
    fn across_a_weekend_and_a_holiday() {
        // Christmas 2026 is a Friday, 24 December cuti bersama (Thursday).
        let c = Calendar::new([d("2026-12-24"), d("2026-12-25")]);
        // Wednesday 23 Dec + 3: skip Thu 24, Fri 25, Sat, Sun → Mon 28, Tue 29, Wed 30.
        assert_eq!(c.add_working_days(d("2026-12-23"), 3), d("2026-12-30"));
        assert!(!c.is_working_day(d("2026-12-24")));
        assert_eq!(c.working_days_between(d("2026-12-23"), d("2026-12-30")), 3);
        assert_eq!(c.working_days_between(d("2026-12-30"), d("2026-12-23")), 0);
    }

    #[test]
    fn seeded_holidays_parse() {
        for (date, _, kind) in SEED_HOLIDAYS {
            assert!(
                NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
                "{date}"
            );
            assert!(["libur_nasional", "cuti_bersama"].contains(kind));
        }
    }
}
