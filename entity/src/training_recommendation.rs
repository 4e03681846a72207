use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "training_recommendations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub unit_id: i32,
    pub rule_id: i32,
    pub programme_id: i32,
    pub status: String,
    /// `unit:rule` while open (proposed, accepted, scheduled), else NULL; unique.
    pub open_key: Option<String>,
    pub priority: f64,
    pub level: String,
    /// JSON of the engine's finding: observations, examples, priority explained.
    #[sea_orm(column_type = "Text")]
    pub finding: String,
    /// The rule as it was when it raised this, so later edits do not change the evaluation.
    #[sea_orm(column_type = "Text")]
    pub rule_snapshot: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub dismiss_reason: Option<String>,
    /// Dismissed by the engine because the signal went away, not by a planner.
    pub withdrawn: bool,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub participants: Option<i32>,
    pub jp: Option<i32>,
    pub completed_on: Option<Date>,
    /// JSON of the before/after evaluation.
    #[sea_orm(column_type = "Text", nullable)]
    pub impact: Option<String>,
    pub impact_label: Option<String>,
    pub evaluated_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
