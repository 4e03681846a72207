use sea_orm::entity::prelude::*;

/// A civil servant (ASN) of a unit. The NIP holds a birth date: personal data.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "employees")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub unit_id: i32,
    #[sea_orm(unique)]
    pub nip: String,
    pub name: String,
    pub position: String,
    /// `teknis`, `manajerial`, `sosial_kultural`.
    pub competency_kind: String,
    pub email: Option<String>,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
