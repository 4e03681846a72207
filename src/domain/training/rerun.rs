//! What a rerun of the recommendation engine does with one rule's finding for one unit: the
//! rules that keep it from nagging (a planner's "no" holds for 90 days; an unmeasured training
//! holds its rule back) and from piling up (an open recommendation is refreshed, not repeated).
use chrono::NaiveDate;

use super::lifecycle::Status;

/// How long a planner's dismissal keeps the same rule from being raised again for the unit.
pub const COOL_DOWN_DAYS: i64 = 90;

/// A closed recommendation as the rerun needs to know it.
pub struct Closed {
    pub status: Status,
    /// Whether its training's impact has been measured.
    pub measured: bool,
    /// Dismissed by the engine because the signal went away, not by a planner.
    pub withdrawn: bool,
    /// The WIB day it last changed.
    pub changed_on: NaiveDate,
}

/// Whether a closed recommendation still holds its rule back for its unit on `today`: a
/// completed training not yet measured, or a planner's dismissal within the cool-down. An
/// automatic withdrawal holds nothing back: the signal may come back at any time.
pub fn holds_back(c: &Closed, today: NaiveDate) -> bool {
    match c.status {
        Status::Completed => !c.measured,
        Status::Dismissed => !c.withdrawn && (today - c.changed_on).num_days() < COOL_DOWN_DAYS,
        _ => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Nothing open and nothing holding back: propose.
    Propose,
    /// Still a proposal and the signal still holds: bring its evidence up to date.
    Refresh,
    /// Still a proposal but the signal is gone: withdraw it.
    Withdraw,
    Nothing,
}

/// `open`: the status of the unit's open recommendation for the rule, if any.
pub fn step(signal_holds: bool, open: Option<Status>, held_back: bool) -> Step {
    match (signal_holds, open) {
        (true, Some(Status::Proposed)) => Step::Refresh,
        (true, None) if !held_back => Step::Propose,
        (false, Some(Status::Proposed)) => Step::Withdraw,
        // Accepted or scheduled: planners are acting on it; leave it alone either way.
        _ => Step::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap() + chrono::Duration::days(d as i64)
    }

    #[test]
    fn a_planners_no_holds_for_ninety_days_a_withdrawal_not_at_all() {
        let no = Closed {
            status: Status::Dismissed,
            measured: false,
            withdrawn: false,
            changed_on: day(0),
        };
        assert!(holds_back(&no, day(89)));
        assert!(!holds_back(&no, day(90)));
        let withdrawn = Closed {
            withdrawn: true,
            ..no
        };
        assert!(!holds_back(&withdrawn, day(1)));
    }

    #[test]
    fn an_unmeasured_training_holds_its_rule_back() {
        let done = Closed {
            status: Status::Completed,
            measured: false,
            withdrawn: false,
            changed_on: day(0),
        };
        assert!(holds_back(&done, day(400)));
        assert!(!holds_back(
            &Closed {
                measured: true,
                ..done
            },
            day(1)
        ));
    }

    #[test]
    fn reruns_refresh_propose_or_withdraw() {
        assert_eq!(step(true, Some(Status::Proposed), false), Step::Refresh);
        assert_eq!(step(true, None, false), Step::Propose);
        assert_eq!(step(true, None, true), Step::Nothing);
        assert_eq!(step(false, Some(Status::Proposed), false), Step::Withdraw);
        assert_eq!(step(false, None, false), Step::Nothing);
        assert_eq!(step(true, Some(Status::Scheduled), false), Step::Nothing);
        assert_eq!(step(false, Some(Status::Accepted), false), Step::Nothing);
    }
}
