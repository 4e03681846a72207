use crate::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The training loop: catalogues (competencies, programmes), rules as data, recommendations
/// with their evidence and lifecycle, and an append-only event log.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("competencies")
                .col(pk_auto("id"))
                .col(string_uniq("code"))
                .col(string("name"))
                .col(string("kind"))
                .col(text_null("description"))
                .col(boolean("archived").default(false))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("training_programmes")
                .col(pk_auto("id"))
                .col(string_uniq("code"))
                .col(string("name"))
                // JSON array of competency codes.
                .col(text("competencies"))
                .col(string("form"))
                .col(string("method"))
                .col(integer("jp"))
                .col(string_null("provider"))
                .col(text_null("description"))
                .col(boolean("archived").default(false))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("training_rules")
                .col(pk_auto("id"))
                .col(string_uniq("code"))
                .col(string("name"))
                // JSON: window, minimum n, conditions, programmes (domain::training::RuleDef).
                .col(text("definition"))
                .col(boolean("active").default(true))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("training_recommendations")
                .col(pk_auto("id"))
                .col(integer("unit_id"))
                .col(integer("rule_id"))
                .col(integer("programme_id"))
                .col(string("status"))
                // `unit:rule` while the recommendation is open, NULL after: a unique index on it
                // keeps a rerun of the engine (in any process) from opening a second one.
                .col(string_null("open_key").unique_key())
                .col(double("priority"))
                .col(string("level"))
                .col(text("finding"))
                .col(text("rule_snapshot"))
                .col(text_null("dismiss_reason"))
                .col(date_null("start_date"))
                .col(date_null("end_date"))
                .col(integer_null("participants"))
                .col(integer_null("jp"))
                .col(date_null("completed_on"))
                .col(text_null("impact"))
                .col(string_null("impact_label"))
                .col(timestamp_with_time_zone_null("evaluated_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "training_recommendations",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "training_recommendations",
                    "rule_id",
                    "training_rules",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "training_recommendations",
                    "programme_id",
                    "training_programmes",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "training_recommendations",
            "idx_training_rec_status",
            &["status", "priority"],
            false,
        ))
        .await?;
        m.create_index(index(
            "training_recommendations",
            "idx_training_rec_unit",
            &["unit_id", "rule_id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("training_events")
                .col(big_pk_auto("id"))
                .col(integer("recommendation_id"))
                .col(timestamp_with_time_zone("at"))
                .col(integer_null("actor_user_id"))
                .col(string("actor_label"))
                .col(string("kind"))
                .col(string_null("from_status"))
                .col(string_null("to_status"))
                .col(text_null("body"))
                .foreign_key(&mut fk(
                    "training_events",
                    "recommendation_id",
                    "training_recommendations",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "training_events",
            "idx_training_events_rec",
            &["recommendation_id"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "training_events",
            "training_recommendations",
            "training_rules",
            "training_programmes",
            "competencies",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
