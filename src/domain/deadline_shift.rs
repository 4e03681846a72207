//! When the holiday calendar changes, a running complaint's working-day deadlines are counted
//! again from its day of receipt; this says which of them moved and words it for the history.
use chrono::NaiveDate;

use super::calendar::Calendar;
use super::complaint::{Deadlines, deadlines};

/// One moved deadline: its name, the old date and the new.
pub type Moved = (&'static str, NaiveDate, NaiveDate);

/// The deadlines a complaint received on `received_on` has under `cal`, and which of its
/// current ones (`old`) they change: `(name, from, to)` for each moved one, in the order
/// verify, first response, resolve. Nothing moved: `None`.
pub fn recount(
    cal: &Calendar,
    received_on: NaiveDate,
    resolve_days: u32,
    old: &Deadlines,
) -> Option<(Deadlines, Vec<Moved>)> {
    let new = deadlines(cal, received_on, resolve_days);
    let moved: Vec<_> = [
        ("verifikasi", old.verify, new.verify),
        (
            "tindak lanjut pertama",
            old.first_response,
            new.first_response,
        ),
        ("penyelesaian", old.resolve, new.resolve),
    ]
    .into_iter()
    .filter(|(_, a, b)| a != b)
    .collect();
    (!moved.is_empty()).then_some((new, moved))
}

/// The history line: why and what moved, in Bahasa Indonesia (the staff's language of record).
pub fn describe(day: NaiveDate, added: bool, moved: &[Moved]) -> String {
    let why = if added {
        format!("Hari libur {day} ditambahkan")
    } else {
        format!("Hari libur {day} dihapus")
    };
    let what: Vec<String> = moved
        .iter()
        .map(|(name, from, to)| format!("{name} {from} → {to}"))
        .collect();
    format!("{why}; tenggat bergeser: {}.", what.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Received Thursday 22 April 2027, a 5-day category. Working days after it: Fri 23,
    /// (weekend 24–25), Mon 26, Tue 27, Wed 28, Thu 29, Fri 30 → verify Tue 27, first response
    /// and resolve Thu 29. A cuti bersama declared late on Mon 26 pushes each by one working day:
    /// Wed 28 and Fri 30. Another on Fri 30 pushes those two across the weekend (and Saturday
    /// 1 May, a holiday anyway) to Mon 3 May; verify stays.
    #[test]
    fn a_late_cuti_bersama_across_a_weekend() {
        let received = d("2027-04-22");
        let before = deadlines(&Calendar::new([]), received, 5);
        assert_eq!(
            (before.verify, before.first_response, before.resolve),
            (d("2027-04-27"), d("2027-04-29"), d("2027-04-29"))
        );
        let cal = Calendar::new([d("2027-04-26")]);
        let (after, moved) = recount(&cal, received, 5, &before).unwrap();
        assert_eq!(
            (after.verify, after.first_response, after.resolve),
            (d("2027-04-28"), d("2027-04-30"), d("2027-04-30"))
        );
        assert_eq!(moved.len(), 3);
        let cal = Calendar::new([d("2027-04-26"), d("2027-04-30"), d("2027-05-01")]);
        let (later, moved) = recount(&cal, received, 5, &after).unwrap();
        assert_eq!(later.verify, d("2027-04-28"));
        assert_eq!(later.resolve, d("2027-05-03"));
        assert_eq!(
            moved,
            vec![
                ("tindak lanjut pertama", d("2027-04-30"), d("2027-05-03")),
                ("penyelesaian", d("2027-04-30"), d("2027-05-03")),
            ]
        );
        assert_eq!(
            describe(d("2027-04-30"), true, &moved),
            "Hari libur 2027-04-30 ditambahkan; tenggat bergeser: tindak lanjut pertama \
             2027-04-30 → 2027-05-03, penyelesaian 2027-04-30 → 2027-05-03."
        );
        // Removing a holiday moves them back; a holiday outside the window moves nothing.
        let (back, _) = recount(&Calendar::new([]), received, 5, &later).unwrap();
        assert_eq!(back, before);
        assert!(recount(&Calendar::new([d("2027-05-10")]), received, 5, &before).is_none());
        assert!(recount(&Calendar::new([received]), received, 5, &before).is_none());
    }
}
