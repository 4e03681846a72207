use sea_orm::entity::prelude::*;

/// A unit's queue machine credentials: a bearer token (stored hashed) and the secret Qminder
/// signs its webhooks with (kept as given: the signature is checked with it).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "queue_feeds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: i32,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub prefix: String,
    pub secret: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
