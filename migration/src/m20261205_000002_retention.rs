//! Personal data expires: an outbox row keeps its address and bodies only for
//! `SUARA_OUTBOX_RETENTION_DAYS` after it was delivered (or after its last attempt, once the
//! worker gave up on it). Three timestamps say where a row stands — when it was last tried, when
//! the worker stopped trying, and when its address and bodies were erased (to empty strings, so
//! the NOT NULL columns stay as they are). Rows still holding personal data are indexed, so the
//! purge never scans what it already erased.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 3] = ["last_attempt_at", "gave_up_at", "erased_at"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for c in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table("outbox")
                    .add_column(ColumnDef::new(c).timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await?;
        }
        // Partial indexes exist on both engines; the purge filters on `erased_at IS NULL`.
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_outbox_unerased ON outbox (sent_at) WHERE erased_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_outbox_unerased")
                .table("outbox")
                .to_owned(),
        )
        .await?;
        for c in COLUMNS.into_iter().rev() {
            m.alter_table(Table::alter().table("outbox").drop_column(c).to_owned())
                .await?;
        }
        Ok(())
    }
}
