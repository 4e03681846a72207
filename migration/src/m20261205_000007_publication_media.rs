//! The media a unit publishes its SKM results on (print, board, screen, social, website, app,
//! videotron): what indicator 7 of the yearly evaluation counts and indicator 6 reads for
//! "published offline and electronically".
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("unit_publication_media")
                .col(ColumnDef::new("unit_id").integer().not_null())
                .col(ColumnDef::new("medium").string_len(20).not_null())
                .col(
                    ColumnDef::new("updated_at")
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .primary_key(Index::create().col("unit_id").col("medium"))
                .foreign_key(&mut crate::fk(
                    "unit_publication_media",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("unit_publication_media").to_owned())
            .await
    }
}
