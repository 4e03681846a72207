//! The 24-hour window WhatsApp allows free text in: every message a citizen sends opens it
//! again, so the time is noted per hashed sender as the message comes in.
use chrono::{DateTime, Utc};

use crate::security::sha256_hex;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::store;

/// Notes that `sender` wrote on `channel` at `sent_at` (the platform's stamp; never later
/// than now, so a wrong clock cannot keep a window open).
pub async fn seen(
    state: &ServiceContext,
    channel: &str,
    sender: &str,
    sent_at: Option<DateTime<Utc>>,
) -> Result<(), ServiceError> {
    let now = Utc::now();
    let at = sent_at.map_or(now, |t| t.min(now));
    store::chat_windows::touch(&state.db, channel, &sha256_hex(sender.trim()), at).await?;
    Ok(())
}
