//! How long personal data is kept, as instants: the store erases what lies at or before a
//! cutoff, so each rule here is "older than the period at `now`". Pure; the clock is the caller's.
//!
//! - An outbox message keeps its address and bodies for the retention period after it was
//!   delivered. One still unsent a retention period after it was written is given up (the
//!   worker stops trying) and keeps them for the period after its last attempt, so its error
//!   can be looked into meanwhile.
//! - A finished complaint (closed, rejected, duplicate) keeps the contact the citizen gave for
//!   the period after its last change; an open or resolved one keeps it (news goes there).
//! - A chat session ends after [`QUIET_MINUTES`] of silence (the next message starts afresh), and
//!   a session that remembers nothing (idle, default language) is the same as none.
use chrono::{DateTime, Duration, Utc};

use crate::domain::conversation::{QUIET_MINUTES, Session};

/// `SUARA_OUTBOX_RETENTION_DAYS` when unset.
pub const DEFAULT_DAYS: u32 = 30;
/// The shortest period: 0 would give up every message the moment it is written.
pub const MIN_DAYS: u32 = 1;
/// Ten years; longer is keeping for ever.
pub const MAX_DAYS: u32 = 3650;

/// The cutoffs of one purge run at `now` with a retention period of `days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    /// Delivered at or before: address and bodies erased.
    pub delivered: DateTime<Utc>,
    /// Written at or before and still unsent: given up.
    pub give_up: DateTime<Utc>,
    /// Given up and last tried (never tried: given up) at or before: erased.
    pub last_attempt: DateTime<Utc>,
    /// A finished complaint last changed at or before: its contact erased.
    pub finished_complaint: DateTime<Utc>,
}

impl Cutoffs {
    pub fn at(now: DateTime<Utc>, days: u32) -> Cutoffs {
        let period = now - Duration::days(i64::from(days));
        Cutoffs {
            delivered: period,
            give_up: period,
            last_attempt: period,
            finished_complaint: period,
        }
    }
}

/// Whether a delivered message is erased at `now`.
pub fn erase_delivered(sent_at: DateTime<Utc>, now: DateTime<Utc>, days: u32) -> bool {
    sent_at <= Cutoffs::at(now, days).delivered
}

/// Whether an unsent message written at `created_at` is given up at `now`.
pub fn give_up(created_at: DateTime<Utc>, now: DateTime<Utc>, days: u32) -> bool {
    created_at <= Cutoffs::at(now, days).give_up
}

/// Whether a message given up at `gave_up_at`, last tried at `last_attempt` (if ever), is
/// erased at `now`.
pub fn erase_given_up(
    last_attempt: Option<DateTime<Utc>>,
    gave_up_at: DateTime<Utc>,
    now: DateTime<Utc>,
    days: u32,
) -> bool {
    last_attempt.unwrap_or(gave_up_at) <= Cutoffs::at(now, days).last_attempt
}

/// Whether a chat session last touched at `updated_at` has ended at `now`: the same rule the
/// conversation applies when the next message comes ([`crate::domain::conversation::expired`]).
pub fn session_ended(updated_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    updated_at <= session_cutoff(now)
}

/// Sessions last touched at or before this instant have ended at `now`.
pub fn session_cutoff(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::minutes(QUIET_MINUTES)
}

/// The stored state of a session that remembers nothing: idle, in the default language, no
/// open conversation. Loading it or finding no session at all is the same, so it is deleted
/// at once. (Written the way the chat service saves a session.)
pub fn empty_session_state() -> String {
    serde_json::to_string(&Session::default()).unwrap_or_default()
}

/// `SUARA_RESPONSE_RETENTION_MONTHS`: raw responses are kept this many whole months back from
/// the current one; `detach_only` (`SUARA_RESPONSE_RETENTION_DETACH`) leaves PostgreSQL's old
/// partitions as tables of their own for an operator to archive and drop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseRetention {
    pub months: u32,
    pub detach_only: bool,
}

impl ResponseRetention {
    /// The first day kept on `today`: the first of the month `months` months back. With 12,
    /// on 5 December 2026 that is 1 December 2025: November 2025 and before go.
    pub fn keep_from(&self, today: chrono::NaiveDate) -> chrono::NaiveDate {
        let back = today
            .checked_sub_months(chrono::Months::new(self.months))
            .unwrap_or(chrono::NaiveDate::MIN);
        chrono::Datelike::with_day(&back, 1).unwrap_or(back)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::conversation;
    use chrono::TimeZone;

    /// The conversation's own rule, on the minutes of silence it counts.
    fn conversation_expired(updated_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        conversation::expired((now - updated_at).num_minutes())
    }

    fn t(d: u32, h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, d, h, m, s).unwrap()
    }

    #[test]
    fn a_delivered_message_is_erased_exactly_thirty_days_after_delivery() {
        let sent = t(1, 10, 0, 0);
        // 2027-01-31 10:00 is 30 days later.
        assert!(!erase_delivered(sent, t(31, 9, 59, 59), 30));
        assert!(erase_delivered(sent, t(31, 10, 0, 0), 30));
        assert!(erase_delivered(sent, t(31, 10, 0, 1), 30));
        // A one-day period.
        assert!(!erase_delivered(sent, t(2, 9, 59, 59), 1));
        assert!(erase_delivered(sent, t(2, 10, 0, 0), 1));
    }

    #[test]
    fn an_unsent_message_is_given_up_after_the_period_and_erased_a_period_after_its_last_try() {
        let written = t(1, 8, 0, 0);
        assert!(!give_up(written, t(8, 7, 59, 59), 7));
        assert!(give_up(written, t(8, 8, 0, 0), 7));
        // Given up on the 8th at 08:00, last tried at 07:30 the same day: erased on the 15th at
        // 07:30, a period after the last try (not after the give-up).
        let gave_up = t(8, 8, 0, 0);
        let tried = Some(t(8, 7, 30, 0));
        assert!(!erase_given_up(tried, gave_up, t(15, 7, 29, 59), 7));
        assert!(erase_given_up(tried, gave_up, t(15, 7, 30, 0), 7));
        // Never tried (the worker was away): a period after the give-up.
        assert!(!erase_given_up(None, gave_up, t(15, 7, 59, 59), 7));
        assert!(erase_given_up(None, gave_up, t(15, 8, 0, 0), 7));
    }

    #[test]
    fn a_session_ends_after_a_quiet_hour_as_the_conversation_counts_it() {
        let touched = t(5, 12, 0, 0);
        for (now, ended) in [
            (t(5, 12, 59, 59), false),
            (t(5, 13, 0, 0), true),
            (t(5, 13, 0, 1), true),
            (t(5, 12, 0, 0), false),
        ] {
            assert_eq!(session_ended(touched, now), ended, "{now}");
            assert_eq!(conversation_expired(touched, now), ended, "{now}");
        }
    }

    #[test]
    fn only_a_session_that_remembers_nothing_is_empty() {
        let empty = empty_session_state();
        assert_eq!(
            serde_json::from_str::<Session>(&empty).unwrap(),
            Session::default()
        );
        let english = Session {
            lang: conversation::Lang::En,
            ..Session::default()
        };
        assert_ne!(serde_json::to_string(&english).unwrap(), empty);
    }

    #[test]
    fn one_period_for_messages_and_complaints() {
        let now = t(31, 0, 0, 0);
        let c = Cutoffs::at(now, 30);
        assert_eq!(c.delivered, t(1, 0, 0, 0));
        assert_eq!(c.give_up, c.delivered);
        assert_eq!(c.last_attempt, c.delivered);
        assert_eq!(c.finished_complaint, c.delivered);
        assert_eq!(session_cutoff(now), t(30, 23, 0, 0));
    }

    use super::ResponseRetention;
    use chrono::NaiveDate;

    fn ymd(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn whole_months_are_kept() {
        let r = |months| ResponseRetention {
            months,
            detach_only: false,
        };
        assert_eq!(r(12).keep_from(ymd(2026, 12, 5)), ymd(2025, 12, 1));
        assert_eq!(r(1).keep_from(ymd(2026, 3, 31)), ymd(2026, 2, 1));
        // 31 March less one month is the end of February, not an error.
        assert_eq!(r(13).keep_from(ymd(2027, 3, 31)), ymd(2026, 2, 1));
        assert_eq!(r(24).keep_from(ymd(2026, 1, 1)), ymd(2024, 1, 1));
    }
}
