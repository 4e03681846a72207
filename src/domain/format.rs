//! Dates and numbers as people in Jambi read them: "Senin, 7 Desember 2026", "1.972", "3,58"
//! (a dot groups thousands, a comma marks decimals), "12,5%", "p < 0,001", "IK 95% 2,06–3,94"
//! (interval kepercayaan); English gets "Monday, 7 December 2026", "1,972", "3.58", "12.5%",
//! "p < 0.001", "95% CI 2.06–3.94". One place, so every page, printed report, chart and message
//! says it the same way. Machine formats (JSON, CSV) keep plain numbers and never come here.
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
    let out = group(&n.unsigned_abs().to_string(), indonesian);
    if n < 0 { format!("-{out}") } else { out }
}

/// Digits with a separator every three from the right: "1.972" ("1,972" in English).
fn group(digits: &str, indonesian: bool) -> String {
    let sep = if indonesian { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A number to `places` decimals, thousands grouped. Rounded half up on the number as it is
/// written (3.575 → "3,58", 12.5 → "13", 1.005 → "1,01"), the way a person rounds by hand,
/// not on its binary approximation.
pub fn decimal(x: f64, places: usize, indonesian: bool) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let (int, frac) = round_half_up(&format!("{}", x.abs()), places);
    let int = group(&int, indonesian);
    let sign = if x < 0.0 && (int != "0" || frac.chars().any(|c| c != '0')) {
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

/// `x` rounded to `places` decimals exactly as [`decimal`] shows it, as a number: what a reader
/// of the page sees, for rules that must agree with it (3.6549 → 3.65, 3.655 → 3.66).
pub fn shown(x: f64, places: usize) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let (int, frac) = round_half_up(&format!("{}", x.abs()), places);
    let v: f64 = format!("{int}.{frac}0").parse().unwrap_or(0.0);
    if x < 0.0 { -v } else { v }
}

/// Rounds a plain decimal string ("3.575", as `f64`'s shortest form prints it) to `places`
/// decimals, half up: the whole part and exactly `places` decimal digits.
fn round_half_up(plain: &str, places: usize) -> (String, String) {
    let (int, frac) = plain.split_once('.').unwrap_or((plain, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
    let keep = int.len() + places;
    digits.resize(keep.max(digits.len()), 0);
    let up = digits.get(keep).is_some_and(|d| *d >= 5);
    digits.truncate(keep);
    if up {
        let mut i = keep;
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    let split = text.len() - places;
    (text[..split].to_string(), text[split..].to_string())
}

/// A share (0.125) as a percentage to `places` decimals: "12,5%" ("12.5%" in English).
pub fn percent(share: f64, places: usize, indonesian: bool) -> String {
    if !share.is_finite() {
        return String::new();
    }
    format!("{}%", decimal(share * 100.0, places, indonesian))
}

/// A p-value as a reader expects it: "p < 0,001" below 0.001, otherwise "p = 0,038" (three
/// decimals; English "p < 0.001", "p = 0.038"). A value that rounds to 0,001 is said as it is.
pub fn p_value(p: f64, indonesian: bool) -> String {
    if !p.is_finite() {
        return String::new();
    }
    if p < 0.001 {
        format!("p < {}", decimal(0.001, 3, indonesian))
    } else {
        format!("p = {}", decimal(p.min(1.0), 3, indonesian))
    }
}

/// The 95% confidence interval's short name: "IK 95%" (interval kepercayaan) or "95% CI".
pub fn ci_label(indonesian: bool) -> &'static str {
    if indonesian { "IK 95%" } else { "95% CI" }
}

/// Two numbers as a range, "2,06–3,94"; spaced ("-0,10 – 0,20") when one is negative, so the
/// dash is not read as a minus.
pub fn range(lo: f64, hi: f64, places: usize, indonesian: bool) -> String {
    let (a, b) = (
        decimal(lo, places, indonesian),
        decimal(hi, places, indonesian),
    );
    if a.starts_with('-') || b.starts_with('-') {
        format!("{a} – {b}")
    } else {
        format!("{a}–{b}")
    }
}

/// A 95% confidence interval with its name: "IK 95% 2,06–3,94" ("95% CI 2.06–3.94").
pub fn ci(lo: f64, hi: f64, places: usize, indonesian: bool) -> String {
    format!(
        "{} {}",
        ci_label(indonesian),
        range(lo, hi, places, indonesian)
    )
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
        // Half up on the written number, carries included.
        assert_eq!(decimal(12.5, 0, true), "13");
        assert_eq!(decimal(2.5, 0, true), "3");
        assert_eq!(decimal(1.005, 2, true), "1,01");
        assert_eq!(decimal(9.995, 2, true), "10,00");
        assert_eq!(decimal(999.96, 1, true), "1.000,0");
        assert_eq!(decimal(-2.5, 0, true), "-3");
        assert_eq!(decimal(0.0004, 3, true), "0,000");
        assert_eq!(decimal(3.65, 2, true), "3,65");
        assert_eq!(decimal(78.05, 2, true), "78,05");
        assert_eq!(decimal(2098.0, 0, true), "2.098");
        assert_eq!(decimal(0.000_000_1, 2, false), "0.00");
        assert_eq!(shown(3.6549, 2), 3.65);
        assert_eq!(shown(3.655, 2), 3.66);
        assert_eq!(shown(-1.25, 1), -1.3);
        assert_eq!(shown(7.0, 0), 7.0);
    }

    #[test]
    fn percentages_p_values_and_intervals_by_hand() {
        // 2 of 16 = 0.125 → 12,5%; to whole percent 13% (half away from zero).
        assert_eq!(percent(0.125, 1, true), "12,5%");
        assert_eq!(percent(0.125, 1, false), "12.5%");
        assert_eq!(percent(0.125, 0, true), "13%");
        assert_eq!(percent(1.0, 0, true), "100%");
        assert_eq!(percent(12.345, 0, true), "1.235%");
        assert_eq!(percent(f64::NAN, 0, true), "");
        // Below 0.001 only its bound is said; from 0.001 on, three decimals.
        assert_eq!(p_value(0.000_2, true), "p < 0,001");
        assert_eq!(p_value(0.000_2, false), "p < 0.001");
        assert_eq!(p_value(0.000_999, true), "p < 0,001");
        assert_eq!(p_value(0.001, true), "p = 0,001");
        assert_eq!(p_value(0.0384, true), "p = 0,038");
        assert_eq!(p_value(0.0384, false), "p = 0.038");
        assert_eq!(p_value(0.0495, true), "p = 0,050");
        assert_eq!(p_value(1.0, true), "p = 1,000");
        assert_eq!(p_value(f64::NAN, true), "");
        // 3 ± 0.93865 → 2,06–3,94.
        assert_eq!(ci(2.061_35, 3.938_65, 2, true), "IK 95% 2,06–3,94");
        assert_eq!(ci(2.061_35, 3.938_65, 2, false), "95% CI 2.06–3.94");
        assert_eq!(range(74.5, 1250.0, 1, true), "74,5–1.250,0");
        assert_eq!(range(-0.1, 0.2, 2, true), "-0,10 – 0,20");
        assert_eq!(ci_label(true), "IK 95%");
        assert_eq!(ci_label(false), "95% CI");
    }
}
