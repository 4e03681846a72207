use sea_orm::entity::prelude::*;

/// One employee in one scheduled programme (a training recommendation), with the evaluation by
/// people: their own reaction and reflection through a one-time link (Kirkpatrick level 1) and
/// their supervisor's rating of the change at work (level 3). Scores 1–4.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "programme_participants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub recommendation_id: i32,
    pub employee_id: i32,
    #[sea_orm(unique)]
    pub token_hash: Option<String>,
    pub expires_at: Option<DateTimeUtc>,
    pub reaction: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reflection: Option<String>,
    pub reflected_at: Option<DateTimeUtc>,
    pub behaviour: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub behaviour_note: Option<String>,
    pub rated_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
