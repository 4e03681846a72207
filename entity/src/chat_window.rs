use sea_orm::entity::prelude::*;

/// When a citizen last wrote to Suara on a chat channel (the sender hashed): WhatsApp lets a
/// business answer with free text only within 24 hours of that.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_windows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub channel: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub sender_hash: String,
    pub last_inbound_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
