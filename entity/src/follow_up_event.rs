use sea_orm::entity::prelude::*;

/// One change of a follow-up item: who, when, and which fields became what (JSON).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "follow_up_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub follow_up_id: i32,
    pub at: DateTimeUtc,
    pub actor_user_id: Option<i32>,
    pub actor_label: String,
    #[sea_orm(column_type = "Text")]
    pub changes: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
