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

/// A short text field: trimmed, `None` when blank (`v_required` when `required`), refused when
/// longer than `max` characters (`v_length`) or holding a control character (`v_type`).
pub fn short_text(
    field: &str,
    v: &Option<String>,
    max: usize,
    required: bool,
    p: &mut Problems,
) -> Option<String> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None if required => {
            p.insert(field.into(), "v_required");
            None
        }
        None => None,
        Some(s) if s.chars().count() > max => {
            p.insert(field.into(), "v_length");
            None
        }
        Some(s) if has_control_chars(s) => {
            p.insert(field.into(), "v_type");
            None
        }
        Some(s) => Some(s.to_string()),
    }
}

/// Text a person could have typed: control characters other than tab and line breaks (NUL above
/// all, which PostgreSQL refuses in text) are never part of an answer, a name or a filter, and
/// neither are the bidirectional embedding, override and isolate characters, which make a
/// complaint or a name read differently on a supervisor's screen than it was stored.
pub fn has_control_chars(s: &str) -> bool {
    s.chars().any(is_forbidden_char)
}

/// A character no text field takes (see [`has_control_chars`]).
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The longest message id a gateway may send (a WhatsApp `wamid` is about 60 characters): it is
/// part of a stored key, so a longer one is refused at the door rather than failing there.
pub const MAX_MESSAGE_ID: usize = 255;

/// A sender's number as gateways give it: E.164 digits, with or without the leading `+`
/// (WhatsApp's `wa_id` has none), 5 to 15 of them. Anything else (a name, a 5 KB string) is no
/// citizen's number and never reaches a session, a key or the outbox.
pub fn is_phone_number(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    (5..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
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
    fn phone_numbers_are_e164_digits() {
        for ok in ["+6281234567890", "6281234567890", "+628111", "12345"] {
            assert!(is_phone_number(ok), "{ok}");
        }
        let too_long = "1".repeat(16);
        for bad in [
            "",
            "+",
            "1234",
            "+62 812",
            "62-812-3456",
            "TELKOMSEL",
            "++62812",
            &too_long,
            "+6281234567890123",
        ] {
            assert!(!is_phone_number(bad), "{bad}");
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
        // Right-to-left override, embedding and isolates: refused; Arabic script itself is fine.
        for bidi in ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}'] {
            assert!(has_control_chars(&format!("nama{bidi}txt.exe")));
        }
        for bidi in ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert!(has_control_chars(&format!("a{bidi}b")));
        }
        assert!(!has_control_chars("السلام عليكم"));
        assert!(
            !has_control_chars("a\u{2065}b\u{2029}"),
            "neighbours of the ranges"
        );
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

/// An `Idempotency-Key` (IETF httpapi draft): 1–255 visible ASCII characters, quotes and
/// surrounding spaces stripped. Parsed once at the edge; the stores key on what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Option<Self> {
        let k = raw.trim().trim_matches('"');
        ((1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
            .then(|| IdempotencyKey(k.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod idempotency_key_tests {
    use super::IdempotencyKey;

    #[test]
    fn a_key_is_one_to_255_visible_ascii_characters() {
        assert_eq!(
            IdempotencyKey::parse(" \"abc-1\" ").unwrap().as_str(),
            "abc-1"
        );
        assert!(IdempotencyKey::parse("").is_none());
        assert!(IdempotencyKey::parse("\"\"").is_none());
        assert!(IdempotencyKey::parse("a b").is_none());
        assert!(IdempotencyKey::parse("ü").is_none());
        assert!(IdempotencyKey::parse(&"k".repeat(255)).is_some());
        assert!(IdempotencyKey::parse(&"k".repeat(256)).is_none());
    }
}
