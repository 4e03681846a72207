use sea_orm::entity::prelude::*;

/// A client's submission key and what its first request produced, so a retry answers the same.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    /// What the key was used for, e.g. `responses/12` or `complaints`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub scope: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// SHA-256 of the request's meaning (hex): the same key with another body is refused.
    pub request_hash: String,
    /// The id or tracking ID the first request created; `None` while its transaction is open.
    pub resource: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
