//! Complaints record the channel they came in on (`web`, `api`, `whatsapp`, `sms`, `open311`, …)
//! and, only when the citizen asked for news on a chat channel, the number to send it to.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("complaints")
                .add_column(
                    ColumnDef::new("channel")
                        .string_len(20)
                        .not_null()
                        .default("web"),
                )
                .to_owned(),
        )
        .await?;
        // Two statements: SQLite adds one column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table("complaints")
                .add_column(ColumnDef::new("reply_to").string_len(64).null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in ["reply_to", "channel"] {
            m.alter_table(Table::alter().table("complaints").drop_column(c).to_owned())
                .await?;
        }
        Ok(())
    }
}
