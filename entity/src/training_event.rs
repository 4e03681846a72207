use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "training_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub recommendation_id: i32,
    pub at: DateTimeUtc,
    pub actor_user_id: Option<i32>,
    pub actor_label: String,
    /// `proposed`, `refreshed`, `accept`, `dismiss`, `schedule`, `complete`, `comment`,
    /// `evaluated`, `withdrawn`.
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub body: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
