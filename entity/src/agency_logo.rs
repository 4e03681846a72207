use sea_orm::entity::prelude::*;

/// An agency's logo for the kop of printed reports (PNG or SVG, ≤ 200 KB, checked on upload).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agency_logos")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agency_id: i32,
    /// `image/png` or `image/svg+xml`.
    pub content_type: String,
    #[sea_orm(column_type = "Blob")]
    pub bytes: Vec<u8>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
