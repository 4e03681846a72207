//! A recommendation's lifecycle: proposed → accepted | dismissed → scheduled → completed.
//! Planners decide; supervisors of the unit see it and comment.
use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::validation::Problems;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Proposed,
    Accepted,
    Dismissed,
    Scheduled,
    Completed,
}

/// What an entry of a recommendation's history records: the engine's `proposed`, `refreshed`
/// (the level changed), `withdrawn` (the signal went away) and `evaluated`, a person's
/// `comment`, and each [`Action`].
pub const EVENT_KINDS: &[&str] = &[
    "proposed",
    "refreshed",
    "withdrawn",
    "evaluated",
    "comment",
    "accept",
    "dismiss",
    "schedule",
    "complete",
];

pub const STATUSES: &[&str] = &[
    "proposed",
    "accepted",
    "dismissed",
    "scheduled",
    "completed",
];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Accepted => "accepted",
            Status::Dismissed => "dismissed",
            Status::Scheduled => "scheduled",
            Status::Completed => "completed",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::Proposed,
            Status::Accepted,
            Status::Dismissed,
            Status::Scheduled,
            Status::Completed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
    /// Open recommendations are the ones a rerun of the engine refreshes instead of duplicating.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Proposed | Status::Accepted | Status::Scheduled
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Accept,
    Dismiss,
    Schedule,
    Complete,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Dismiss => "dismiss",
            Action::Schedule => "schedule",
            Action::Complete => "complete",
        }
    }
    pub fn parse(s: &str) -> Option<Action> {
        [
            Action::Accept,
            Action::Dismiss,
            Action::Schedule,
            Action::Complete,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// The status after `action`, or `None` when the move is not allowed from `from`.
/// Scheduling again reschedules.
pub fn transition(from: Status, action: Action) -> Option<Status> {
    use Action as A;
    use Status as S;
    match (from, action) {
        (S::Proposed, A::Accept) => Some(S::Accepted),
        (S::Proposed | S::Accepted, A::Dismiss) => Some(S::Dismissed),
        (S::Accepted | S::Scheduled, A::Schedule) => Some(S::Scheduled),
        (S::Scheduled, A::Complete) => Some(S::Completed),
        _ => None,
    }
}

/// What may be done next from `from`.
pub fn actions(from: Status) -> Vec<Action> {
    [
        Action::Accept,
        Action::Dismiss,
        Action::Schedule,
        Action::Complete,
    ]
    .into_iter()
    .filter(|a| transition(from, *a).is_some())
    .collect()
}

/// A training session's plan: dates, how many staff take part, and JP (jam pelajaran) each.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Schedule {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub participants: i32,
    pub jp: i32,
}

pub fn check_schedule(
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    participants: Option<i64>,
    jp: Option<i64>,
    staff_count: Option<i32>,
) -> Result<Schedule, Problems> {
    let mut p = Problems::new();
    if start.is_none() {
        p.insert("start_date".into(), "v_required");
    }
    if end.is_none() {
        p.insert("end_date".into(), "v_required");
    }
    if let (Some(s), Some(e)) = (start, end)
        && (e < s || (e - s).num_days() > 366)
    {
        p.insert("end_date".into(), "tr_v_dates");
    }
    match participants {
        None => {
            p.insert("participants".into(), "v_required");
        }
        Some(n) if !(1..=100_000).contains(&n) => {
            p.insert("participants".into(), "v_range");
        }
        Some(n) if staff_count.is_some_and(|s| s > 0 && n > s as i64) => {
            p.insert("participants".into(), "tr_v_participants");
        }
        _ => {}
    }
    match jp {
        None => {
            p.insert("jp".into(), "v_required");
        }
        Some(n) if !(1..=500).contains(&n) => {
            p.insert("jp".into(), "v_range");
        }
        _ => {}
    }
    if !p.is_empty() {
        return Err(p);
    }
    Ok(Schedule {
        start: start.unwrap_or_default(),
        end: end.unwrap_or_default(),
        participants: participants.unwrap_or_default() as i32,
        jp: jp.unwrap_or_default() as i32,
    })
}

/// A completion date: on or after the training began, and not in the future.
pub fn check_completion(
    completed: Option<NaiveDate>,
    start: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, Problems> {
    let mut p = Problems::new();
    match completed {
        None => {
            p.insert("completed_on".into(), "v_required");
        }
        Some(d) if d > today || start.is_some_and(|s| d < s) => {
            p.insert("completed_on".into(), "tr_v_completed");
        }
        Some(d) => return Ok(d),
    }
    Err(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_lifecycle_allows_only_its_moves() {
        use Action as A;
        use Status as S;
        assert_eq!(transition(S::Proposed, A::Accept), Some(S::Accepted));
        assert_eq!(transition(S::Proposed, A::Dismiss), Some(S::Dismissed));
        assert_eq!(transition(S::Accepted, A::Dismiss), Some(S::Dismissed));
        assert_eq!(transition(S::Accepted, A::Schedule), Some(S::Scheduled));
        assert_eq!(transition(S::Scheduled, A::Schedule), Some(S::Scheduled));
        assert_eq!(transition(S::Scheduled, A::Complete), Some(S::Completed));
        for (s, a) in [
            (S::Proposed, A::Schedule),
            (S::Proposed, A::Complete),
            (S::Accepted, A::Complete),
            (S::Accepted, A::Accept),
            (S::Scheduled, A::Dismiss),
            (S::Dismissed, A::Accept),
            (S::Completed, A::Schedule),
            (S::Completed, A::Dismiss),
        ] {
            assert_eq!(transition(s, a), None, "{s:?} {a:?}");
        }
        assert_eq!(actions(S::Proposed), vec![A::Accept, A::Dismiss]);
        assert!(actions(S::Completed).is_empty());
        assert!(S::Scheduled.is_open() && !S::Dismissed.is_open() && !S::Completed.is_open());
    }

    #[test]
    fn every_decision_is_a_history_kind() {
        // The history names each kind in words (tr_ev_…); a decision missing here would show raw.
        use Action as A;
        for a in [A::Accept, A::Dismiss, A::Schedule, A::Complete] {
            assert!(EVENT_KINDS.contains(&a.as_str()), "{a:?}");
        }
    }

    #[test]
    fn schedules_and_completions_are_checked() {
        let ok = check_schedule(
            Some(d("2027-03-02")),
            Some(d("2027-03-03")),
            Some(25),
            Some(16),
            Some(1200),
        )
        .unwrap();
        assert_eq!(ok.jp, 16);
        let bad = check_schedule(
            Some(d("2027-03-03")),
            Some(d("2027-03-02")),
            Some(50),
            Some(0),
            Some(40),
        )
        .unwrap_err();
        assert_eq!(bad["end_date"], "tr_v_dates");
        assert_eq!(bad["participants"], "tr_v_participants");
        assert_eq!(bad["jp"], "v_range");
        let missing = check_schedule(None, None, None, None, None).unwrap_err();
        assert_eq!(missing.len(), 4);
        let today = d("2027-03-10");
        assert_eq!(
            check_completion(Some(d("2027-03-03")), Some(d("2027-03-02")), today),
            Ok(d("2027-03-03"))
        );
        assert!(check_completion(Some(d("2027-03-11")), None, today).is_err());
        assert!(check_completion(Some(d("2027-03-01")), Some(d("2027-03-02")), today).is_err());
    }
}
