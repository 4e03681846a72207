use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "complaints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub tracking_id: String,
    pub unit_id: i32,
    pub service_id: Option<i32>,
    pub kind: String,
    pub category_id: i32,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub incident_date: Option<Date>,
    pub wait_minutes: Option<i32>,
    pub visits: Option<i32>,
    pub fee_paid: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub anonim: bool,
    pub rahasia: bool,
    pub lang: String,
    pub status: String,
    pub priority: String,
    pub assignee: Option<String>,
    pub duplicate_of: Option<i32>,
    pub forwarded_to_unit_id: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reject_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub verified_at: Option<DateTimeUtc>,
    pub first_response_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub reopen_count: i32,
    pub due_verify: Date,
    pub due_first_response: Date,
    pub due_resolve: Date,
    /// Where it came in: `web`, `api`, `whatsapp`, `sms`, `open311`, …
    pub channel: String,
    /// The chat number status news go to, only when the citizen asked for it.
    pub reply_to: Option<String>,
    /// How the citizen asked to hear back: `email`, `whatsapp` or `sms`; none when they left no
    /// way (news then shows only on the tracking page).
    pub notify_via: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
