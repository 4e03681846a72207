//! Cells bound for a spreadsheet. Excel, LibreOffice and Google Sheets read a cell that begins
//! with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (OWASP "CSV injection"), so
//! text a citizen or staff member typed could run as one on a planner's machine. Every CSV the
//! service writes passes each cell through [`neutralise`], which puts a `'` in front of such a
//! cell: spreadsheets show it as text, and a person reading the file sees what was typed.
use std::borrow::Cow;

/// The cell as it may be written: unchanged, or with a leading `'` when it could start a
/// formula. A plain number (`-3`, `-0.25`, `+62`) is left alone: no spreadsheet evaluates it as
/// anything but itself, and negative figures must stay numbers.
pub fn neutralise(cell: &[u8]) -> Cow<'_, [u8]> {
    match cell.first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') if !is_plain_number(cell) => {
            let mut out = Vec::with_capacity(cell.len() + 1);
            out.push(b'\'');
            out.extend_from_slice(cell);
            Cow::Owned(out)
        }
        _ => Cow::Borrowed(cell),
    }
}

/// `neutralise` for text.
pub fn neutralise_str(cell: &str) -> Cow<'_, str> {
    match neutralise(cell.as_bytes()) {
        Cow::Borrowed(_) => Cow::Borrowed(cell),
        Cow::Owned(_) => Cow::Owned(format!("'{cell}")),
    }
}

/// An optional sign, digits, and optionally a point and more digits: nothing else.
fn is_plain_number(cell: &[u8]) -> bool {
    let body = cell
        .strip_prefix(b"-")
        .or_else(|| cell.strip_prefix(b"+"))
        .unwrap_or(cell);
    let (int, frac) = match body.iter().position(|b| *b == b'.') {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    !int.is_empty()
        && int.iter().all(u8::is_ascii_digit)
        && frac.is_none_or(|f| !f.is_empty() && f.iter().all(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        neutralise_str(s).into_owned()
    }

    #[test]
    fn formula_starters_get_a_quote() {
        assert_eq!(
            n("=HYPERLINK(\"http://x\",\"klik\")"),
            "'=HYPERLINK(\"http://x\",\"klik\")"
        );
        assert_eq!(n("+62 812 7000"), "'+62 812 7000");
        assert_eq!(n("-2+3"), "'-2+3");
        assert_eq!(n("@SUM(A1:A9)"), "'@SUM(A1:A9)");
        assert_eq!(n("\t=1+1"), "'\t=1+1");
        assert_eq!(n("\r=1+1"), "'\r=1+1");
        assert_eq!(n("-"), "'-");
        assert_eq!(n("-1."), "'-1.");
        assert_eq!(n("--1"), "'--1");
        assert_eq!(n("-1e5"), "'-1e5");
    }

    #[test]
    fn ordinary_cells_and_plain_numbers_stay() {
        for s in [
            "",
            "Antrean lama",
            "a=b",
            "3",
            "-3",
            "-0.25",
            "+5",
            "12.5",
            " =1",
            "'=1",
        ] {
            assert_eq!(n(s), s);
        }
        assert!(matches!(neutralise(b"-12.75"), Cow::Borrowed(_)));
        assert_eq!(&*neutralise("=1".as_bytes()), b"'=1");
    }
}
