//! Personal data expires (the rules and their cutoffs: [`crate::domain::retention`]):
//! - outbox messages: given up when still unsent a retention period after they were written;
//!   address, subject, bodies and error erased a period after delivery, or after the last
//!   attempt of one given up; the `file` transport's copy (`data/mail/<id>.eml`) removed with them;
//! - finished complaints (closed, rejected, duplicate): the contact the citizen gave (name,
//!   e-mail, phone, chat number) erased a period after the last change;
//! - chat sessions: deleted once ended (a quiet hour), or at once when they remember nothing;
//! - raw survey responses, when `SUARA_RESPONSE_RETENTION_MONTHS` is set: whole months past it
//!   (`expire_responses`); the figures they made are kept.
//!
//! Every function takes `now`, so a test moves the clock. Run by every process from the upkeep
//! loop; each statement is idempotent, so several processes at once do no harm.
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::domain::complaint::Status;
use crate::domain::retention::{self, Cutoffs, ResponseRetention};
use crate::service::error::ServiceError;
use crate::store;

/// What one purge did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Purged {
    /// Messages the worker stopped trying.
    pub given_up: u64,
    /// Messages whose address and bodies were erased.
    pub erased: Vec<i64>,
    /// Mail files removed with them.
    pub mail_files: u64,
    /// Finished complaints whose contact was erased.
    pub contacts: u64,
    /// Chat sessions deleted.
    pub sessions: u64,
}

impl Purged {
    pub fn is_empty(&self) -> bool {
        self.given_up == 0 && self.erased.is_empty() && self.contacts == 0 && self.sessions == 0
    }
}

/// Everything that expires at `now` with a retention period of `days`. `mail_files` is where
/// the `file` transport keeps its copies (`None` for the other transports).
pub async fn purge(
    db: &impl ConnectionTrait,
    mail_files: Option<&Path>,
    now: DateTime<Utc>,
    days: u32,
) -> Result<Purged, ServiceError> {
    let cut = Cutoffs::at(now, days);
    let given_up = store::outbox::give_up(db, now, cut.give_up).await?;
    let erased = store::outbox::erase(db, now, cut.delivered, cut.last_attempt).await?;
    let mut mail_files_removed = 0;
    if let Some(dir) = mail_files {
        for id in &erased {
            match tokio::fs::remove_file(crate::outbox::mail::file_of(dir, *id)).await {
                Ok(()) => mail_files_removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => tracing::warn!(id, error = %e, "removing an expired mail file failed"),
            }
        }
    }
    let finished: Vec<&str> = Status::ALL
        .into_iter()
        .filter(|s| s.is_closed())
        .map(Status::as_str)
        .collect();
    let contacts =
        store::complaints::erase_finished_contacts(db, &finished, cut.finished_complaint).await?;
    let sessions = purge_sessions(db, now).await?;
    Ok(Purged {
        given_up,
        erased,
        mail_files: mail_files_removed,
        contacts,
        sessions,
    })
}

/// The chat sessions that have ended at `now` (cheap: the table holds only live
/// conversations), deleted. Returns how many.
pub async fn purge_sessions(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, ServiceError> {
    let quiet_since = retention::session_cutoff(now);
    let empty = retention::empty_session_state();
    // A sender's last-message time only matters for WhatsApp's 24-hour window: kept two days.
    store::chat_windows::forget_quiet(db, now - chrono::Duration::days(2)).await?;
    Ok(store::chat_sessions::delete_ended(db, quiet_since, &empty).await?)
}

/// Removes the raw responses older than the retention keeps on `today`. Their daily and
/// monthly cells and the quarter and year summaries stay, so every figure over the old
/// months is what it was; only the rows (and with them the raw export and a rebuild from rows
/// of those months) are gone.
pub async fn expire_responses(
    db: &DatabaseConnection,
    today: NaiveDate,
    retention: ResponseRetention,
) -> Result<store::response_retention::Removed, ServiceError> {
    let keep_from = retention.keep_from(today);
    Ok(store::response_retention::expire_before(db, keep_from, retention.detach_only).await?)
}
