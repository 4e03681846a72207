use sea_orm::entity::prelude::*;

/// What someone said a person needs in a round: the person (`self`) or their supervisor
/// (`supervisor`, the confirmation with the programme or course and its JP).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "needs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    pub employee_id: i32,
    pub author: String,
    /// JSON `[{"code", "current", "needed"}]`, up to three.
    #[sea_orm(column_type = "Text")]
    pub competencies: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub wish: Option<String>,
    pub method: Option<String>,
    pub programme_code: Option<String>,
    pub course: Option<String>,
    pub jp: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
