//! Complaints (SP4N-LAPOR! practice): kinds, the lifecycle state machine, deadlines, tracking IDs.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use super::channel::Channel;

pub const KINDS: [&str; 3] = ["pengaduan", "aspirasi", "permintaan_informasi"];

/// What an entry of a complaint's history records (`complaint_events.kind`): a status change, a
/// public reply, an internal note, a new assignee or priority, a deadline moved by a holiday.
pub const EVENT_KINDS: [&str; 6] = ["status", "reply", "note", "assign", "priority", "deadline"];

/// The channels a complaint can come in on.
pub const CHANNELS: [&str; 5] = Channel::names(Channel::COMPLAINTS);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Received,
    Verified,
    InProgress,
    Resolved,
    Closed,
    Rejected,
    Duplicate,
    Reopened,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Received,
        Status::Verified,
        Status::InProgress,
        Status::Resolved,
        Status::Closed,
        Status::Rejected,
        Status::Duplicate,
        Status::Reopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Verified => "verified",
            Status::InProgress => "in_progress",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
            Status::Rejected => "rejected",
            Status::Duplicate => "duplicate",
            Status::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Finished for good: the queue shows these only when asked.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Closed | Status::Rejected | Status::Duplicate)
    }

    /// Still waiting for the unit to act.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Received | Status::Verified | Status::InProgress | Status::Reopened
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Verify,
    Start,
    Resolve,
    Close,
    Reject,
    MarkDuplicate,
    Reopen,
}

impl Action {
    pub const STAFF: [Action; 6] = [
        Action::Verify,
        Action::Start,
        Action::Resolve,
        Action::Close,
        Action::Reject,
        Action::MarkDuplicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Verify => "verify",
            Action::Start => "start",
            Action::Resolve => "resolve",
            Action::Close => "close",
            Action::Reject => "reject",
            Action::MarkDuplicate => "mark_duplicate",
            Action::Reopen => "reopen",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        [Action::Reopen]
            .into_iter()
            .chain(Action::STAFF)
            .find(|a| a.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Staff,
    Citizen,
}

/// Working days after resolution within which the citizen may reopen, after which it closes.
pub const REOPEN_WINDOW_DAYS: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("cannot {action} a complaint that is {from}")]
    NotAllowed {
        from: &'static str,
        action: &'static str,
    },
    #[error("only the citizen can reopen, and only within 10 working days of resolution")]
    ReopenWindow,
    #[error("this action is not the citizen's to take")]
    NotCitizens,
}

/// The next status, or why not. `today` and `resolved_on` matter only for reopening.
pub fn transition(
    from: Status,
    action: Action,
    actor: Actor,
    cal: &Calendar,
    today: NaiveDate,
    resolved_on: Option<NaiveDate>,
) -> Result<Status, TransitionError> {
    use Action as A;
    use Status as S;
    if actor == Actor::Citizen && action != A::Reopen {
        return Err(TransitionError::NotCitizens);
    }
    let to = match (from, action) {
        (S::Received, A::Verify) => S::Verified,
        (S::Received | S::Verified | S::Reopened, A::Start) => S::InProgress,
        (S::Verified | S::InProgress | S::Reopened, A::Resolve) => S::Resolved,
        (S::Resolved, A::Close) => S::Closed,
        (S::Received | S::Verified, A::Reject) => S::Rejected,
        (S::Received | S::Verified, A::MarkDuplicate) => S::Duplicate,
        (S::Resolved, A::Reopen) => {
            if actor != Actor::Citizen {
                return Err(TransitionError::NotAllowed {
                    from: from.as_str(),
                    action: action.as_str(),
                });
            }
            let within =
                resolved_on.is_some_and(|r| today <= cal.add_working_days(r, REOPEN_WINDOW_DAYS));
            if !within {
                return Err(TransitionError::ReopenWindow);
            }
            S::Reopened
        }
        _ => {
            return Err(TransitionError::NotAllowed {
                from: from.as_str(),
                action: action.as_str(),
            });
        }
    };
    Ok(to)
}

/// The staff actions allowed from a status (for the buttons on the complaint page).
pub fn staff_actions(from: Status) -> Vec<Action> {
    let cal = Calendar::default();
    let today = NaiveDate::MIN;
    Action::STAFF
        .into_iter()
        .filter(|a| transition(from, *a, Actor::Staff, &cal, today, None).is_ok())
        .collect()
}

/// Deadlines fixed at receipt: verify/forward within 3 working days, a first follow-up within 5,
/// resolution within the category's limit (5, 14 or 60).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub verify: NaiveDate,
    pub first_response: NaiveDate,
    pub resolve: NaiveDate,
}

pub fn deadlines(cal: &Calendar, received_on: NaiveDate, resolve_days: u32) -> Deadlines {
    Deadlines {
        verify: cal.add_working_days(received_on, 3),
        first_response: cal.add_working_days(received_on, 5),
        resolve: cal.add_working_days(received_on, resolve_days),
    }
}

/// The deadline the unit is working against now, if any.
pub fn next_deadline(
    status: Status,
    d: &Deadlines,
    first_response_given: bool,
) -> Option<NaiveDate> {
    match status {
        Status::Received => Some(d.verify),
        Status::Verified | Status::InProgress | Status::Reopened if !first_response_given => {
            Some(d.first_response.min(d.resolve))
        }
        Status::Verified | Status::InProgress | Status::Reopened => Some(d.resolve),
        _ => None,
    }
}

/// Every value [`next_step`] gives.
pub const NEXT_STEPS: [&str; 3] = ["verify", "first_response", "resolve"];

/// What the deadline of [`next_deadline`] is for: `verify`, `first_response` or `resolve`, so a
/// citizen reads "Batas verifikasi: …" rather than a date without a purpose.
pub fn next_step(
    status: Status,
    d: &Deadlines,
    first_response_given: bool,
) -> Option<&'static str> {
    match status {
        Status::Received => Some("verify"),
        Status::Verified | Status::InProgress | Status::Reopened
            if !first_response_given && d.first_response <= d.resolve =>
        {
            Some("first_response")
        }
        Status::Verified | Status::InProgress | Status::Reopened => Some("resolve"),
        _ => None,
    }
}

pub fn is_overdue(next: Option<NaiveDate>, today: NaiveDate) -> bool {
    next.is_some_and(|d| today > d)
}

/// `SRA-XXXX-XXXX`: 31⁸ ≈ 8.5 × 10¹¹ combinations, from the operating system's randomness.
pub fn tracking_id(random: [u8; 8]) -> String {
    let c = super::readable_code::from_random(&random);
    format!("SRA-{}-{}", &c[..4], &c[4..])
}

/// Accepts what a person types (any case, spaces or no hyphens) and returns the canonical ID.
pub fn normalise_tracking_id(s: &str) -> Option<String> {
    let cleaned: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let body = cleaned.strip_prefix("SRA")?;
    if body.len() != 8 || !super::readable_code::is_readable(body) {
        return None;
    }
    Some(format!("SRA-{}-{}", &body[..4], &body[4..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_happy_path() {
        let c = Calendar::default();
        let t = d("2026-11-23");
        let mut s = Status::Received;
        for (a, want) in [
            (Action::Verify, Status::Verified),
            (Action::Start, Status::InProgress),
            (Action::Resolve, Status::Resolved),
            (Action::Close, Status::Closed),
        ] {
            s = transition(s, a, Actor::Staff, &c, t, None).unwrap();
            assert_eq!(s, want);
        }
    }

    #[test]
    fn illegal_transitions_are_refused() {
        let c = Calendar::default();
        let t = d("2026-11-23");
        assert!(matches!(
            transition(Status::Closed, Action::Verify, Actor::Staff, &c, t, None),
            Err(TransitionError::NotAllowed { .. })
        ));
        assert!(
            transition(
                Status::InProgress,
                Action::Reject,
                Actor::Staff,
                &c,
                t,
                None
            )
            .is_err()
        );
        assert_eq!(
            transition(
                Status::Received,
                Action::Verify,
                Actor::Citizen,
                &c,
                t,
                None
            ),
            Err(TransitionError::NotCitizens)
        );
        assert!(transition(Status::Resolved, Action::Reopen, Actor::Staff, &c, t, None).is_err());
        assert_eq!(
            staff_actions(Status::Received),
            vec![
                Action::Verify,
                Action::Start,
                Action::Reject,
                Action::MarkDuplicate
            ]
        );
        assert!(staff_actions(Status::Closed).is_empty());
    }

    #[test]
    fn reopen_only_within_ten_working_days() {
        let c = Calendar::new([d("2026-12-24"), d("2026-12-25")]);
        let resolved = d("2026-12-18"); // a Friday
        // + 10 working days, skipping two weekends and the two holidays → 2027-01-05? Count:
        // 21,22,23 (3), 28,29,30,31 (7), Jan 1 is a weekday in this calendar (8), 4 (9), 5 (10).
        assert_eq!(c.add_working_days(resolved, 10), d("2027-01-05"));
        assert_eq!(
            transition(
                Status::Resolved,
                Action::Reopen,
                Actor::Citizen,
                &c,
                d("2027-01-05"),
                Some(resolved)
            ),
            Ok(Status::Reopened)
        );
        assert_eq!(
            transition(
                Status::Resolved,
                Action::Reopen,
                Actor::Citizen,
                &c,
                d("2027-01-06"),
                Some(resolved)
            ),
            Err(TransitionError::ReopenWindow)
        );
    }

    #[test]
    fn deadlines_and_overdue() {
        let c = Calendar::new([d("2026-12-24"), d("2026-12-25")]);
        let dl = deadlines(&c, d("2026-12-23"), 14);
        assert_eq!(dl.verify, d("2026-12-30"));
        assert_eq!(dl.first_response, d("2027-01-01"));
        assert_eq!(next_deadline(Status::Received, &dl, false), Some(dl.verify));
        assert_eq!(
            next_deadline(Status::InProgress, &dl, true),
            Some(dl.resolve)
        );
        assert_eq!(next_deadline(Status::Closed, &dl, true), None);
        // Each date says what it is for, and names the same date next_deadline gives.
        for (status, given, step, date) in [
            (Status::Received, false, "verify", dl.verify),
            (Status::Verified, false, "first_response", dl.first_response),
            (Status::InProgress, true, "resolve", dl.resolve),
            (Status::Reopened, true, "resolve", dl.resolve),
        ] {
            assert_eq!(next_step(status, &dl, given), Some(step));
            assert_eq!(next_deadline(status, &dl, given), Some(date));
        }
        assert_eq!(next_step(Status::Resolved, &dl, true), None);
        assert!(is_overdue(Some(dl.verify), d("2026-12-31")));
        assert!(!is_overdue(Some(dl.verify), d("2026-12-30")));
    }

    #[test]
    fn tracking_ids_are_readable() {
        let id = tracking_id([0, 1, 2, 3, 30, 31, 200, 255]);
        assert_eq!(id.len(), 13);
        assert!(!id[4..].contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(
            normalise_tracking_id(&id.to_lowercase().replace('-', " ")),
            Some(id.clone())
        );
        assert_eq!(normalise_tracking_id("SRA-0000-0000"), None);
        assert_eq!(normalise_tracking_id("nonsense"), None);
    }
}
