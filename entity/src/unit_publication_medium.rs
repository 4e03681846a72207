use sea_orm::entity::prelude::*;

/// A medium a unit publishes its SKM results on.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_publication_media")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: i32,
    /// `print`, `board`, `screen`, `social`, `website`, `app`, `videotron`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub medium: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
