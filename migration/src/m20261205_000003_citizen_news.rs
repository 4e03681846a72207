//! News on the citizen's channel: a complaint remembers how its citizen asked to hear back
//! (`notify_via`: `email`, `whatsapp`, `sms`, or none), each history entry how the news of it
//! went out (`notified_via`), and each outbox row the history entry it carries, so a failed
//! delivery shows in the history. A WhatsApp message outside the 24-hour window needs an
//! approved template: its name and parameters ride on the outbox row (`template`, JSON).
//! `chat_windows` keeps, per channel and hashed sender, when the citizen last wrote to Suara.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        m.alter_table(
            Table::alter()
                .table("complaints")
                .add_column(ColumnDef::new("notify_via").string_len(16).null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("complaint_events")
                .add_column(ColumnDef::new("notified_via").string_len(16).null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("outbox")
                .add_column(ColumnDef::new("complaint_event_id").big_integer().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("outbox")
                .add_column(ColumnDef::new("template").text().null())
                .to_owned(),
        )
        .await?;
        m.create_index(crate::index(
            "outbox",
            "idx_outbox_complaint_event",
            &["complaint_event_id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("chat_windows")
                .col(ColumnDef::new("channel").string_len(16).not_null())
                .col(ColumnDef::new("sender_hash").string_len(64).not_null())
                .col(
                    ColumnDef::new("last_inbound_at")
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .primary_key(Index::create().col("channel").col("sender_hash"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("chat_windows").to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("idx_outbox_complaint_event")
                .table("outbox")
                .to_owned(),
        )
        .await?;
        for (t, c) in [
            ("outbox", "template"),
            ("outbox", "complaint_event_id"),
            ("complaint_events", "notified_via"),
            ("complaints", "notify_via"),
        ] {
            m.alter_table(Table::alter().table(t).drop_column(c).to_owned())
                .await?;
        }
        Ok(())
    }
}
