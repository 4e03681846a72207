use crate::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("agencies")
                .col(pk_auto("id"))
                .col(string_uniq("slug"))
                .col(string("name"))
                .col(timestamp_with_time_zone_null("archived_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("units")
                .col(pk_auto("id"))
                .col(integer("agency_id"))
                .col(string_uniq("slug"))
                .col(string("name"))
                .col(string("kind"))
                .col(text_null("address"))
                .col(integer_null("staff_count"))
                .col(integer_null("monthly_visitors"))
                .col(timestamp_with_time_zone_null("archived_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "units",
                    "agency_id",
                    "agencies",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("units", "idx_units_agency", &["agency_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("services")
                .col(pk_auto("id"))
                .col(integer("unit_id"))
                .col(string("slug"))
                .col(string("name"))
                // The Standar Pelayanan declares completion either in minutes (at the counter)
                // or in working days (documents issued later); both may be set.
                .col(integer_null("standard_minutes"))
                .col(integer_null("standard_days"))
                .col(big_integer("fee_rupiah").default(0))
                .col(timestamp_with_time_zone_null("archived_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "services",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "services",
            "idx_services_unit_slug",
            &["unit_id", "slug"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("users")
                .col(pk_auto("id"))
                .col(string_uniq("email"))
                .col(string("name"))
                .col(string("password_hash"))
                .col(string("role"))
                .col(boolean("active").default(true))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("last_login_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("user_units")
                .col(integer("user_id"))
                .col(integer("unit_id"))
                .primary_key(Index::create().col("user_id").col("unit_id"))
                .foreign_key(&mut fk(
                    "user_units",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "user_units",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        // Sessions live in the database so that any of several stateless processes can serve a user.
        m.create_table(
            Table::create()
                .table("sessions")
                .col(string("id").primary_key())
                .col(integer("user_id"))
                .col(string("csrf_token"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(&mut fk(
                    "sessions",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("api_tokens")
                .col(pk_auto("id"))
                .col(integer("user_id"))
                .col(string("name"))
                .col(string_uniq("token_hash"))
                .col(string("prefix"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(&mut fk(
                    "api_tokens",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "api_tokens",
            "sessions",
            "user_units",
            "users",
            "services",
            "units",
            "agencies",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
