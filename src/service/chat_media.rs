//! A photo (or PDF) a citizen sends by chat while filing a complaint: held under the
//! conversation (as a refused web form's photos are held under its key) and attached when the
//! conversation files the complaint. Outside a complaint the citizen is told where photos go.
use chrono::Utc;
use sea_orm::EntityTrait;

use crate::domain::conversation::{self, Session, State};
use crate::i18n::Lang;
use crate::security::sha256_hex;
use crate::service::complaints::{self, StoredFile};
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::store;

/// The most files one complaint carries, whatever the door.
pub const MAX_FILES: usize = 3;

/// The intake key of a conversation: what its survey or complaint is filed under, so one
/// conversation stores once whatever is redelivered.
pub fn intake_key(channel: &str, sender_hash: &str, conversation: &str) -> String {
    format!("{channel}:{sender_hash}:c:{conversation}")
}

/// Where a photo from `sender` would go: the open complaint conversation's intake key and the
/// session's language, or `None` (with the language) when no complaint is being filed.
pub async fn complaint_in_progress(
    state: &ServiceContext,
    channel: &str,
    sender: &str,
) -> Result<(Option<String>, Lang), ServiceError> {
    let hash = sha256_hex(sender.trim());
    let row = entity::chat_session::Entity::find_by_id((channel.to_string(), hash.clone()))
        .one(&state.db)
        .await?;
    let session: Session = row
        .filter(|r| !conversation::expired((Utc::now() - r.updated_at).num_minutes()))
        .and_then(|r| serde_json::from_str(&r.state).ok())
        .unwrap_or_default();
    let lang = match session.lang {
        conversation::Lang::Id => Lang::Id,
        conversation::Lang::En => Lang::En,
    };
    let open = matches!(session.state, State::Complaint(_)) && !session.conversation.is_empty();
    Ok((
        open.then(|| intake_key(channel, &hash, &session.conversation)),
        lang,
    ))
}

/// What became of a photo.
#[derive(Debug, PartialEq, Eq)]
pub enum Photo {
    /// Held; this many are held now.
    Held(usize),
    /// The complaint already carries the most it may.
    TooMany,
}

/// Holds `file` for the conversation, unless it already holds [`MAX_FILES`].
pub async fn hold_photo(
    state: &ServiceContext,
    intake_key: &str,
    file: StoredFile,
) -> Result<Photo, ServiceError> {
    let key = complaints::chat_held_key(intake_key);
    let held = complaints::held_files(state, &key).await?;
    if held.len() >= MAX_FILES {
        let _ =
            tokio::fs::remove_file(state.settings.attachments_dir.join(&file.stored_name)).await;
        return Ok(Photo::TooMany);
    }
    complaints::hold_files(state, &key, std::slice::from_ref(&file)).await?;
    Ok(Photo::Held(held.len() + 1))
}

/// Sends `text` back to `sender` on `channel` through the outbox.
pub async fn reply(
    state: &ServiceContext,
    channel: &str,
    sender: &str,
    text: &str,
) -> Result<(), ServiceError> {
    store::outbox::enqueue_chat(&state.db, channel, sender, text).await?;
    state.outbox.wake();
    Ok(())
}
