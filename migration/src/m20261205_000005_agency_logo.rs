//! An agency's logo for the kop of printed reports: PNG or SVG up to 200 KB, kept in the
//! database (every node serves it; no shared disk), in a table of its own so reading agencies
//! never drags the image along.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("agency_logos")
                .col(
                    ColumnDef::new("agency_id")
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new("content_type").string_len(40).not_null())
                .col(ColumnDef::new("bytes").blob().not_null())
                .col(
                    ColumnDef::new("updated_at")
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut crate::fk(
                    "agency_logos",
                    "agency_id",
                    "agencies",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("agency_logos").to_owned())
            .await
    }
}
