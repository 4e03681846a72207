use sea_orm::entity::prelude::*;

/// One stamp of a unit's queue machine; the key is the idempotency key.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "queue_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: i32,
    /// The WIB day of `at`: tickets are numbered afresh each day.
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    /// The queue's service label ("" when the machine sends none): a ticket belongs to one
    /// service's queue, and a booking that passes several (BPJS) is a ticket in each.
    #[sea_orm(primary_key, auto_increment = false)]
    pub service: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub ticket: String,
    /// `issued`, `called`, `started`, `finished`, `no_show`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub event: String,
    pub at: DateTimeUtc,
    pub counter: Option<String>,
    pub received_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
