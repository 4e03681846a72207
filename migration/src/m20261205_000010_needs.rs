//! What each civil servant says they need: a needs round per unit and year, a one-time personal
//! link per employee (stored hashed, expiring), their answer, and the supervisor's confirmation
//! (the programme or course and its JP that then count as planned for that person).
use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("need_rounds")
                .col(pk_auto("id"))
                .col(integer("unit_id"))
                .col(integer("year"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "need_rounds",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_need_rounds_unit_year")
                .table("need_rounds")
                .col("unit_id")
                .col("year")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("need_links")
                .col(pk_auto("id"))
                .col(integer("round_id"))
                .col(integer("employee_id"))
                .col(string_len("author", 12))
                .col(string_len("token_hash", 64).unique_key())
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("answered_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "need_links",
                    "round_id",
                    "need_rounds",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "need_links",
                    "employee_id",
                    "employees",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("needs")
                .col(pk_auto("id"))
                .col(integer("round_id"))
                .col(integer("employee_id"))
                .col(string_len("author", 12))
                .col(text("competencies"))
                .col(text_null("wish"))
                .col(string_len_null("method", 20))
                .col(string_len_null("programme_code", 60))
                .col(string_len_null("course", 200))
                .col(integer_null("jp"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "needs",
                    "round_id",
                    "need_rounds",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "needs",
                    "employee_id",
                    "employees",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_needs_round_employee_author")
                .table("needs")
                .col("round_id")
                .col("employee_id")
                .col("author")
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["needs", "need_links", "need_rounds"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
