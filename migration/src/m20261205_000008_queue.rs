//! Measured waits: the stamps of units' queue machines (`queue_events`, kept
//! `SUARA_QUEUE_RETENTION_DAYS`; the key is the ticket's stamp — unit, WIB day, service, ticket, event — so a resent file adds nothing),
//! what each day measured per service (`queue_days`, kept for good), and each unit's feed
//! credentials (a token for its machine and the secret Qminder signs with).
use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("queue_events")
                .col(integer("unit_id"))
                .col(date("day"))
                .col(string_len("ticket", 100))
                .col(string_len("event", 10))
                .col(string_len("service", 100))
                .col(timestamp_with_time_zone("at"))
                .col(string_len_null("counter", 100))
                .col(timestamp_with_time_zone("received_at"))
                .primary_key(
                    Index::create()
                        .col("unit_id")
                        .col("day")
                        .col("service")
                        .col("ticket")
                        .col("event"),
                )
                .foreign_key(&mut fk(
                    "queue_events",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_queue_events_day")
                .table("queue_events")
                .col("day")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("queue_days")
                .col(integer("unit_id"))
                .col(date("day"))
                .col(string_len("service", 100))
                .col(big_integer("tickets"))
                .col(big_integer("no_shows"))
                .col(big_integer("waited"))
                .col(double("wait_sum"))
                .col(double("wait_sumsq"))
                .col(big_integer("judged"))
                .col(big_integer("over_standard"))
                .col(big_integer("served"))
                .col(double("service_sum"))
                .col(double("service_sumsq"))
                .col(text("wait_hist"))
                .col(text("service_hist"))
                .primary_key(Index::create().col("unit_id").col("day").col("service"))
                .foreign_key(&mut fk(
                    "queue_days",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("queue_feeds")
                .col(integer("unit_id").primary_key())
                .col(string_len("token_hash", 64).unique_key())
                .col(string_len("prefix", 16))
                .col(string_len("secret", 100))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "queue_feeds",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["queue_feeds", "queue_days", "queue_events"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
