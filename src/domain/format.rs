//! Dates and numbers as people in Jambi read them: "Senin, 7 Desember 2026", "1.972", "3,58"
//! (a dot groups thousands, a comma marks decimals); English gets "Monday, 7 December 2026",
//! "1,972", "3.58". One place, so every page, report and message says it the same way.
use chrono::{Datelike, NaiveDate};

const DAYS_ID: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `true` for Bahasa Indonesia, `false` for English.
pub fn long_date(d: NaiveDate, indonesian: bool) -> String {
    let (days, months) = if indonesian {
        (DAYS_ID, MONTHS_ID)
    } else {
        (DAYS_EN, MONTHS_EN)
    };
    format!(
        "{}, {} {} {}",
        days[d.weekday().num_days_from_monday() as usize],
        d.day(),
        months[d.month0() as usize],
        d.year()
    )
}

/// A whole number with its thousands grouped.
pub fn whole(n: i64, indonesian: bool) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = if indonesian { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A number to `places` decimals (half away from zero), thousands grouped.
pub fn decimal(x: f64, places: usize, indonesian: bool) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let fixed = format!("{:.*}", places, x.abs());
    let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let int = whole(int.parse().unwrap_or(0), indonesian);
    let sign = if x < 0.0 && fixed.chars().any(|c| ('1'..='9').contains(&c)) {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        let point = if indonesian { ',' } else { '.' };
        format!("{sign}{int}{point}{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_say_the_day_and_the_month_in_words() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(long_date(d, true), "Senin, 7 Desember 2026");
        assert_eq!(long_date(d, false), "Monday, 7 December 2026");
        let d = NaiveDate::from_ymd_opt(2027, 1, 3).unwrap();
        assert_eq!(long_date(d, true), "Minggu, 3 Januari 2027");
    }

    #[test]
    fn numbers_group_thousands_and_mark_decimals_the_local_way() {
        assert_eq!(whole(1972, true), "1.972");
        assert_eq!(whole(1972, false), "1,972");
        assert_eq!(whole(1_250_000, true), "1.250.000");
        assert_eq!(whole(999, true), "999");
        assert_eq!(whole(-45_000, true), "-45.000");
        assert_eq!(decimal(3.575, 2, true), "3,58");
        assert_eq!(decimal(3.58, 2, false), "3.58");
        assert_eq!(decimal(82.1234, 3, true), "82,123");
        assert_eq!(decimal(1234.5, 1, true), "1.234,5");
        assert_eq!(decimal(7.0, 0, true), "7");
        assert_eq!(decimal(-0.001, 2, true), "0,00");
        assert_eq!(decimal(f64::NAN, 2, true), "");
    }
}
