//! What a use case is given: the database handles, the few settings use cases read, the
//! response writer, the unit cache, the outbox and the chat senders' locks. Not the templates of
//! pages, the rate limiters or the listener: those belong to the edge (`bootstrap::state`), so a
//! use case can be run, and tested, without HTTP.
use std::path::PathBuf;

use sea_orm::DatabaseConnection;

use crate::outbox::Outbox;
use crate::service::sender_lock::SenderLocks;
use crate::store::responses::ResponseWriter;
use crate::store::unit_cache::UnitCache;

pub struct ServiceContext {
    /// The primary: every write, and every read that must see the request's own writes.
    pub db: DatabaseConnection,
    /// Reads that may lag a moment behind the primary (analytics, reports, exports, the
    /// training engine's signals): a streaming replica when `DATABASE_READ_URL` is set, else
    /// the primary's own pool.
    pub read: DatabaseConnection,
    pub settings: UseCaseSettings,
    pub responses: ResponseWriter,
    pub unit_cache: UnitCache,
    pub outbox: Outbox,
    /// One chat sender's messages are applied one at a time (on every node, on PostgreSQL).
    pub chat_senders: SenderLocks,
    /// The key complaints' reopen codes are derived from (`server_keys`, the same on every node).
    pub reopen_key: Vec<u8>,
}

/// The settings use cases read (a subset of `bootstrap::configuration::Settings`).
#[derive(Debug, Clone)]
pub struct UseCaseSettings {
    /// The public address links in messages start with.
    pub base_url: String,
    /// Aggregates over fewer responses than this are withheld from anything that leaves the server.
    pub min_cell: u32,
    /// Fixed minimum responses for a unit to be ranked; unset: Krejcie–Morgan, or 30.
    pub min_rank_n: Option<u64>,
    /// The WIB hour from which supervisors get the daily digest; `None`: no digest.
    pub digest_hour: Option<u32>,
    /// Where complaint attachments are stored.
    pub attachments_dir: PathBuf,
    pub training: TrainingWindow,
    /// The chat channels complaint news can go out on.
    pub news: crate::domain::citizen_news::Configured,
    /// `SUARA_WHATSAPP_TEMPLATE_STATUS`: the approved template for status news outside
    /// WhatsApp's 24-hour window.
    pub whatsapp_status_template: Option<String>,
    /// `SUARA_QUEUE_RETENTION_DAYS`: queue stamps of older days are refused (their raw stamps
    /// are gone, so a day could not be measured whole again).
    pub queue_retention_days: u32,
}

/// Days before a training and after it that the impact evaluation compares.
#[derive(Debug, Clone, Copy)]
pub struct TrainingWindow {
    pub before_days: u32,
    pub after_days: u32,
}
