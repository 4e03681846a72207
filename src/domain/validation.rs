//! Field problems as message keys; the route layer translates them into the user's language.
use std::collections::BTreeMap;

/// Field name → message key (see `i18n`).
pub type Problems = BTreeMap<String, &'static str>;

/// Turns `validator` errors into message keys by their code.
pub fn from_validator(errors: &validator::ValidationErrors) -> Problems {
    errors
        .field_errors()
        .iter()
        .map(|(field, errs)| {
            let key = match errs.first().map(|e| e.code.as_ref()) {
                Some("required") => "v_required",
                Some("length") => "v_length",
                Some("range") => "v_range",
                Some("email") => "v_email",
                Some("slug") => "v_slug",
                Some("choice") => "v_choice",
                _ => "v_type",
            };
            (field.to_string(), key)
        })
        .collect()
}

/// Text a person could have typed: control characters other than tab and line breaks (NUL above
/// all, which PostgreSQL refuses in text) are never part of an answer, a name or a filter.
pub fn has_control_chars(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// Dates Suara deals in: feedback, complaints, holidays and report ranges all fall in this
/// century. Anything else is a typo or a probe, and years far outside it break date arithmetic.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

/// A `YYYY-MM-DD` date within [`FIRST_YEAR`]..=[`LAST_YEAR`]; the error is a message key.
pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, &'static str> {
    use chrono::Datelike;
    let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| "v_date")?;
    if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err("v_date_range")
    }
}

/// A whole number as Indonesians type it: `50000`, `50.000` (a dot groups thousands), `50 000`,
/// `Rp 50.000`, `-3`. A dot anywhere else (`1.5`, `50.00`) is not a whole number, never
/// silently read as `15` or `5000`.
pub fn parse_whole(s: &str) -> Option<i64> {
    let s = s.trim();
    let s = match s.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("rp") => s[2..].trim_start_matches('.').trim(),
        _ => s,
    };
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => (-1, rest.trim()),
        None => (1, s),
    };
    let digits: String = digits.chars().filter(|c| *c != ' ').collect();
    if digits.contains('.') {
        let groups: Vec<&str> = digits.split('.').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !first_ok || !rest_ok {
            return None;
        }
    }
    let plain = digits.replace('.', "");
    if plain.is_empty() || !plain.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    plain.parse::<i64>().ok().map(|n| sign * n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_read_as_indonesians_write_them() {
        for (typed, want) in [
            ("50000", Some(50_000)),
            ("50.000", Some(50_000)),
            ("1.250.000", Some(1_250_000)),
            (" Rp 50.000 ", Some(50_000)),
            ("Rp. 5.000", Some(5_000)),
            ("rp50000", Some(50_000)),
            ("50 000", Some(50_000)),
            ("-3", Some(-3)),
            ("35", Some(35)),
            ("0", Some(0)),
            ("1.5", None),
            ("50.00", None),
            ("5000.000.0", None),
            (".500", None),
            ("1,5", None),
            ("", None),
            ("Rp", None),
            ("abc", None),
            ("99999999999999999999", None),
        ] {
            assert_eq!(parse_whole(typed), want, "{typed:?}");
        }
    }

    #[test]
    fn control_characters_but_not_whitespace() {
        assert!(has_control_chars("a\u{0}b"));
        assert!(has_control_chars("\u{1b}[31m"));
        assert!(has_control_chars("del\u{7f}"));
        assert!(has_control_chars("c1\u{85}"));
        assert!(!has_control_chars("baris satu\r\nbaris dua\tx"));
        assert!(!has_control_chars("Rp 50.000, antre 2 jam 😞"));
    }

    #[test]
    fn dates_in_this_century_only() {
        assert_eq!(
            parse_date(" 2026-12-07 "),
            Ok(chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap())
        );
        assert_eq!(
            parse_date("2000-01-01").map(|d| d.to_string()).as_deref(),
            Ok("2000-01-01")
        );
        assert_eq!(
            parse_date("2100-12-31").map(|d| d.to_string()).as_deref(),
            Ok("2100-12-31")
        );
        assert_eq!(parse_date("1999-12-31"), Err("v_date_range"));
        assert!(parse_date("-5000-01-01").is_err());
        assert!(parse_date("+5000-01-01").is_err());
        assert_eq!(parse_date("5000-01-01"), Err("v_date_range"));
        assert_eq!(parse_date("2026-02-30"), Err("v_date"));
        assert_eq!(parse_date("07-12-2026"), Err("v_date"));
    }
}
