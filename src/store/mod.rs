//! Queries and transactions per aggregate, over `&impl ConnectionTrait` so transactions pass through.
pub mod agency_logos;
pub mod analytics;
pub mod chat_sessions;
pub mod chat_windows;
pub mod complaint_deadlines;
pub mod complaint_rollups;
pub mod complaints;
pub mod copy_text;
pub mod employees;
pub mod follow_ups;
pub mod held_uploads;
pub mod idempotency;
pub mod learning_sources;
pub mod needs;
pub mod open311;
pub mod outbox;
pub mod participants;
pub mod partitions;
pub mod publication_media;
pub mod queue;
pub mod rate_limits;
pub mod reply_templates;
pub mod response_export;
pub mod response_retention;
pub mod responses;
pub mod rollups;
pub mod server_keys;
pub mod summaries;
pub mod surveys;
pub mod training;
pub mod unit_cache;
pub mod units;
pub mod users;

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqlErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

pub fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// A write transaction. On SQLite it takes the write lock at BEGIN (IMMEDIATE), so a transaction
/// that reads before it writes waits its turn instead of failing with SQLITE_BUSY on upgrade.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
