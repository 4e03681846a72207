use sea_orm::entity::prelude::*;

/// A completed course of one person, from a file or an xAPI statement; `record_key` counts it
/// once (the statement id, or NIP + course + date). `employee_id` is empty while the NIP is not
/// a known employee; `jp` while the activity is not mapped to a programme.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "learning_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub record_key: String,
    pub nip: String,
    pub employee_id: Option<i32>,
    pub course: String,
    pub programme_code: Option<String>,
    pub jp: Option<i32>,
    pub completed_on: Date,
    /// `siasn`, `moodle`, `xapi`.
    pub source: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
