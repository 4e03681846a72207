use crate::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("surveys")
                .col(pk_auto("id"))
                .col(string_uniq("code"))
                .col(string("name"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("archived_at"))
                .to_owned(),
        )
        .await?;

        // A version's questions are one JSON document: it is written once when the version is
        // created and never changed after publication, so it needs no relational shape.
        m.create_table(
            Table::create()
                .table("survey_versions")
                .col(pk_auto("id"))
                .col(integer("survey_id"))
                .col(integer("version"))
                .col(string("status"))
                .col(text("definition"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .foreign_key(&mut fk(
                    "survey_versions",
                    "survey_id",
                    "surveys",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "survey_versions",
            "idx_survey_versions_survey_version",
            &["survey_id", "version"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("unit_surveys")
                .col(integer("unit_id").primary_key())
                .col(integer("survey_id"))
                .col(boolean("require_code").default(false))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "unit_surveys",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "unit_surveys",
                    "survey_id",
                    "surveys",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("responses")
                .col(big_pk_auto("id"))
                .col(integer("unit_id"))
                .col(integer("survey_version_id"))
                .col(integer_null("service_id"))
                .col(string("channel"))
                .col(timestamp_with_time_zone("created_at"))
                // Day in Jambi time (WIB): what planners mean by "a day" in reports.
                .col(date("local_date"))
                .col(text("answers"))
                .col(text("respondent"))
                .col(text_null("comment"))
                .col(integer_null("wait_minutes"))
                .col(integer_null("visits"))
                .col(big_integer_null("fee_paid"))
                .col(integer_null("code_id"))
                .foreign_key(&mut fk(
                    "responses",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "responses",
                    "survey_version_id",
                    "survey_versions",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "responses",
            "idx_responses_unit_date",
            &["unit_id", "local_date"],
            false,
        ))
        .await?;

        // Sufficient statistics per unit, day and answer code (n, Σx, Σx²): any mean, NRR, IKM
        // or confidence interval over any range is a sum of these rows. The code `*` counts responses.
        m.create_table(
            Table::create()
                .table("rollup_unit_day")
                .col(integer("unit_id"))
                .col(date("local_date"))
                .col(string("code"))
                .col(big_integer("n"))
                .col(double("sum"))
                .col(double("sumsq"))
                .primary_key(Index::create().col("unit_id").col("local_date").col("code"))
                .foreign_key(&mut fk(
                    "rollup_unit_day",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("survey_codes")
                .col(pk_auto("id"))
                .col(integer("unit_id"))
                .col(string_uniq("code"))
                .col(string("batch"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .col(big_integer_null("response_id"))
                .foreign_key(&mut fk(
                    "survey_codes",
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
        for t in [
            "survey_codes",
            "rollup_unit_day",
            "responses",
            "unit_surveys",
            "survey_versions",
            "surveys",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
