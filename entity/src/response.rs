use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "responses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i32,
    pub survey_version_id: i32,
    pub service_id: Option<i32>,
    pub channel: String,
    pub created_at: DateTimeUtc,
    pub local_date: Date,
    #[sea_orm(column_type = "Text")]
    pub answers: String,
    #[sea_orm(column_type = "Text")]
    pub respondent: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    pub wait_minutes: Option<i32>,
    pub visits: Option<i32>,
    pub fee_paid: Option<i64>,
    pub code_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
