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

#[cfg(test)]
mod tests {
    use super::*;

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
