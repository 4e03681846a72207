//! A complaint form refused for a field keeps its photos: the files stay where uploads are
//! written and are held here under the form's submission key (hashed), offered again with the
//! form, and expire with the key.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("held_uploads")
                .col(
                    ColumnDef::new("id")
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new("key_hash").string_len(64).not_null())
                .col(ColumnDef::new("stored_name").string_len(100).not_null())
                .col(ColumnDef::new("filename").string_len(255).not_null())
                .col(ColumnDef::new("content_type").string_len(100).not_null())
                .col(ColumnDef::new("size").big_integer().not_null())
                .col(
                    ColumnDef::new("created_at")
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(crate::index(
            "held_uploads",
            "idx_held_uploads_key",
            &["key_hash"],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("held_uploads").to_owned())
            .await
    }
}
