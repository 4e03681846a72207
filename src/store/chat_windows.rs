//! When each chat sender (hashed) last wrote to Suara: WhatsApp answers free text only within
//! 24 hours of it, so news to a citizen outside that window goes as an approved template.
use chrono::{DateTime, Utc};
use entity::chat_window::{ActiveModel, Column, Entity};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

/// Notes a message from `sender_hash` on `channel` at `at` (a later time wins).
pub async fn touch(
    db: &impl ConnectionTrait,
    channel: &str,
    sender_hash: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    Entity::insert(ActiveModel {
        channel: Set(channel.to_string()),
        sender_hash: Set(sender_hash.to_string()),
        last_inbound_at: Set(at),
    })
    .on_conflict(
        OnConflict::columns([Column::Channel, Column::SenderHash])
            .update_column(Column::LastInboundAt)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// When `sender_hash` last wrote on `channel`, if it did.
pub async fn last_inbound(
    db: &impl ConnectionTrait,
    channel: &str,
    sender_hash: &str,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(Entity::find()
        .filter(Column::Channel.eq(channel))
        .filter(Column::SenderHash.eq(sender_hash))
        .one(db)
        .await?
        .map(|w| w.last_inbound_at))
}

/// Forgets senders quiet since `before` (their window closed long ago). Returns how many.
pub async fn forget_quiet(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::LastInboundAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}
