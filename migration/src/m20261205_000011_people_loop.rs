//! The people side of the loop, closed: learning sources that deliver completions with a token
//! of their own, activities mapped by hand to a catalogue programme, and each programme's
//! participants with what they and their supervisor say afterwards (Kirkpatrick levels 1 and 3).
use crate::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("learning_sources")
                .col(pk_auto("id"))
                .col(string_len("name", 60).unique_key())
                .col(string_len("kind", 20))
                .col(string_len("token_hash", 64).unique_key())
                .col(string_len("prefix", 12))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("activity_maps")
                .col(string_len("activity", 300).primary_key())
                .col(string_len("programme_code", 60))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("programme_participants")
                .col(pk_auto("id"))
                .col(integer("recommendation_id"))
                .col(integer("employee_id"))
                .col(string_len_null("token_hash", 64).unique_key())
                .col(timestamp_with_time_zone_null("expires_at"))
                .col(integer_null("reaction"))
                .col(text_null("reflection"))
                .col(timestamp_with_time_zone_null("reflected_at"))
                .col(integer_null("behaviour"))
                .col(text_null("behaviour_note"))
                .col(timestamp_with_time_zone_null("rated_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "programme_participants",
                    "recommendation_id",
                    "training_recommendations",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "programme_participants",
                    "employee_id",
                    "employees",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "programme_participants",
            "uq_programme_participants",
            &["recommendation_id", "employee_id"],
            true,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "programme_participants",
            "activity_maps",
            "learning_sources",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
