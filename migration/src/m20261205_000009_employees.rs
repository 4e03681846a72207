//! The people of a unit (ASN, by NIP) and what they learned: completed courses from SIASN-shaped
//! files, Moodle's completion export and xAPI statements, each counted once by its key; a
//! record whose NIP or activity Suara does not know is kept for a planner to map.
use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("employees")
                .col(pk_auto("id"))
                .col(integer("unit_id"))
                .col(string_len("nip", 18).unique_key())
                .col(string_len("name", 120))
                .col(string_len("position", 120))
                .col(string_len("competency_kind", 20))
                .col(string_len_null("email", 254))
                .col(timestamp_with_time_zone_null("archived_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "employees",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("learning_records")
                .col(pk_auto("id"))
                .col(string_len("record_key", 200).unique_key())
                .col(string_len("nip", 40))
                .col(integer_null("employee_id"))
                .col(string_len("course", 300))
                .col(string_len_null("programme_code", 60))
                .col(integer_null("jp"))
                .col(date("completed_on"))
                .col(string_len("source", 20))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "learning_records",
                    "employee_id",
                    "employees",
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_learning_records_employee")
                .table("learning_records")
                .col("employee_id")
                .col("completed_on")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["learning_records", "employees"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
