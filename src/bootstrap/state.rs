//! What every request handler and use case shares in a process: the database pool, templates,
//! settings, the response writer, caches, the mailer and the abuse limits.
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::bootstrap::configuration::Settings;
use crate::store::responses::ResponseWriter;
use crate::store::unit_cache::UnitCache;
use crate::web::ratelimit::limiters::{LoginThrottle, PublicLimiter};

pub struct AppState {
    /// The primary: every write, and every read that must see the request's own writes.
    pub db: DatabaseConnection,
    /// Reads that may lag a moment behind the primary (analytics, reports, exports, the
    /// training engine's signals): a streaming replica when `DATABASE_READ_URL` is set, else
    /// the primary's own pool.
    pub read: DatabaseConnection,
    pub tera: tera::Tera,
    pub settings: Settings,
    pub public_limiter: Option<PublicLimiter>,
    pub login_throttle: LoginThrottle,
    pub responses: ResponseWriter,
    pub unit_cache: UnitCache,
    pub mailer: Arc<crate::outbox::mail::Mailer>,
    /// One chat sender's messages are applied one at a time (on every node, on PostgreSQL).
    pub chat_senders: crate::service::sender_lock::SenderLocks,
    /// The key complaints' reopen codes are derived from (`server_keys`, the same on every node).
    pub reopen_key: Vec<u8>,
}

pub type State = actix_web::web::Data<AppState>;

impl AppState {
    pub fn shared(self) -> Arc<Self> {
        Arc::new(self)
    }
}
