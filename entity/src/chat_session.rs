use sea_orm::entity::prelude::*;

/// A citizen's open conversation on a chat channel; the sender is kept only as a hash.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub channel: String,
    /// SHA-256 hex of the sender's number.
    #[sea_orm(primary_key, auto_increment = false)]
    pub sender_hash: String,
    pub lang: String,
    /// The conversation state as JSON.
    #[sea_orm(column_type = "Text")]
    pub state: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
