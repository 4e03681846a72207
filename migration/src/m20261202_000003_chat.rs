//! Chat channels: a conversation's state per (channel, hashed sender), and a transport on the
//! outbox so chat replies leave through the same queue (lease, retries) as e-mail.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("chat_sessions")
                .col(ColumnDef::new("channel").string_len(20).not_null())
                // SHA-256 hex of the number: the number itself is personal data.
                .col(ColumnDef::new("sender_hash").string_len(64).not_null())
                .col(ColumnDef::new("lang").string_len(5).not_null())
                .col(ColumnDef::new("state").text().not_null())
                .col(
                    ColumnDef::new("updated_at")
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .primary_key(Index::create().col("channel").col("sender_hash"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("outbox")
                .add_column(
                    ColumnDef::new("transport")
                        .string_len(20)
                        .not_null()
                        .default("email"),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("outbox")
                .drop_column("transport")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("chat_sessions").to_owned())
            .await
    }
}
