use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    /// The recipient (e-mail address or chat number); empty once erased, like the subject and bodies.
    pub to_addr: String,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub body_text: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    pub created_at: DateTimeUtc,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub locked_until: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    /// `email`, `sms` or `whatsapp`: which sender the worker hands the row to.
    pub transport: String,
    /// When the worker last tried to send it (delivered or not).
    pub last_attempt_at: Option<DateTimeUtc>,
    /// When the worker stopped trying: still unsent `SUARA_OUTBOX_RETENTION_DAYS` after it was
    /// written.
    pub gave_up_at: Option<DateTimeUtc>,
    /// When `to_addr`, `subject` and both bodies were erased (emptied) and `last_error` cleared:
    /// the retention period after delivery, or after the last attempt of a row given up.
    pub erased_at: Option<DateTimeUtc>,
    /// The complaint history entry whose news this row carries, if any.
    pub complaint_event_id: Option<i64>,
    /// A WhatsApp template message instead of text: `{"name", "language", "params"}` as JSON
    /// (erased with the bodies).
    #[sea_orm(column_type = "Text", nullable)]
    pub template: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
