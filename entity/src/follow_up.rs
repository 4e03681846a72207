use sea_orm::entity::prelude::*;

/// A follow-up item (RTL) of a unit for an SKM period.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "follow_ups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub unit_id: i32,
    pub period_from: Date,
    pub period_to: Date,
    pub title: String,
    /// `training`, `staffing`, `procedure`, `facilities`, `queue`, `information`, `other`.
    pub kind: String,
    /// The elements it answers, as a JSON array of codes (`["U3"]`).
    #[sea_orm(column_type = "Text")]
    pub elements: String,
    /// The complaint categories it answers, as a JSON array of codes.
    #[sea_orm(column_type = "Text")]
    pub categories: String,
    pub owner_name: Option<String>,
    pub owner_position: Option<String>,
    pub due_on: Option<Date>,
    /// `planned`, `in_progress`, `done`, `cancelled`.
    pub status: String,
    pub progress: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub evidence: Option<String>,
    pub evidence_link: Option<String>,
    /// A file of evidence (stored name under the attachments directory; checked by content).
    pub evidence_file: Option<String>,
    pub evidence_file_name: Option<String>,
    pub evidence_file_type: Option<String>,
    pub done_on: Option<Date>,
    /// The day the period's SKM report was signed (indicator 9 counts from it); unset: the day
    /// after the period ends.
    pub report_on: Option<Date>,
    pub recommendation_id: Option<i32>,
    /// The numbers that justify a drafted item.
    #[sea_orm(column_type = "Text", nullable)]
    pub justification: Option<String>,
    /// `element:U3:2026-01-01:2026-06-30` for a drafted item; unique per unit.
    pub draft_key: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
