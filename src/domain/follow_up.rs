//! Follow-up (tindak lanjut, RTL): what a unit does about an SKM period's weak spots. The kinds
//! of action and the states an item moves through, and which elements an SKM period's draft
//! plan takes up: under PermenPANRB 14/2017 as KemenPANRB evaluates it, at least the two
//! elements with the lowest NRR are followed up.

/// What kind of action an item is: a course is one remedy among several (more staff, a
/// simpler procedure, a queue rule cost nothing but effort).
pub const KINDS: [&str; 7] = [
    "training",
    "staffing",
    "procedure",
    "facilities",
    "queue",
    "information",
    "other",
];

/// The states of an item.
pub const STATUSES: [&str; 4] = ["planned", "in_progress", "done", "cancelled"];

/// How many of the lowest elements a period's draft takes up.
pub const LOWEST_ELEMENTS: usize = 2;

/// The elements a period's draft follows up: the [`LOWEST_ELEMENTS`] with the lowest NRR,
/// ties broken by element order (`U1` before `U2`). Elements without an NRR (no answers, or
/// withheld) are not drafted.
pub fn lowest_elements(nrr: &[(&str, Option<f64>)]) -> Vec<String> {
    let mut known: Vec<(usize, &str, f64)> = nrr
        .iter()
        .enumerate()
        .filter_map(|(i, (code, v))| v.filter(|x| x.is_finite()).map(|x| (i, *code, x)))
        .collect();
    known.sort_by(|a, b| {
        a.2.partial_cmp(&b.2)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(element_order(a.1).cmp(&element_order(b.1)))
            .then(a.0.cmp(&b.0))
    });
    known
        .into_iter()
        .take(LOWEST_ELEMENTS)
        .map(|(_, c, _)| c.to_string())
        .collect()
}

/// `U1` → 1 … `U9` → 9; anything else after them.
fn element_order(code: &str) -> u32 {
    code.strip_prefix('U')
        .and_then(|n| n.parse().ok())
        .unwrap_or(u32::MAX)
}

/// An item's progress as it may be stored: 0–100, and 100 once done.
pub fn progress_for(status: &str, progress: i32) -> Result<i32, &'static str> {
    if !(0..=100).contains(&progress) {
        return Err("v_range");
    }
    Ok(if status == "done" { 100 } else { progress })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draft_takes_the_two_lowest_elements_ties_by_order() {
        let nrr = [
            ("U1", Some(3.2)),
            ("U2", Some(2.9)),
            ("U3", Some(2.71)),
            ("U4", None),
            ("U5", Some(2.9)),
            ("U6", Some(3.5)),
        ];
        assert_eq!(lowest_elements(&nrr), ["U3", "U2"]);
        // U2 and U5 tie at 2.9 behind U3: U2 comes first in element order.
        let tie = [("U5", Some(2.5)), ("U2", Some(2.5)), ("U9", Some(2.5))];
        assert_eq!(lowest_elements(&tie), ["U2", "U5"]);
        assert!(lowest_elements(&[("U1", None)]).is_empty());
        assert_eq!(lowest_elements(&[("U7", Some(3.0))]), ["U7"]);
    }

    #[test]
    fn progress_is_bounded_and_full_when_done() {
        assert_eq!(progress_for("in_progress", 40), Ok(40));
        assert_eq!(progress_for("done", 40), Ok(100));
        assert_eq!(progress_for("planned", 101), Err("v_range"));
        assert_eq!(progress_for("planned", -1), Err("v_range"));
    }
}
