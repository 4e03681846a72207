use crate::fk;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Monthly rollups beside the daily ones: a province overview for a quarter then reads three
/// rows per unit and code instead of ninety.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("rollup_unit_month")
                .col(integer("unit_id"))
                .col(string("month"))
                .col(string("code"))
                .col(big_integer("n"))
                .col(double("sum"))
                .col(double("sumsq"))
                .primary_key(Index::create().col("unit_id").col("month").col("code"))
                .foreign_key(&mut fk(
                    "rollup_unit_month",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_rollup_unit_month_month")
                .table("rollup_unit_month")
                .col("month")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_complaints_unit_created")
                .table("complaints")
                .col("unit_id")
                .col("created_at")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("rollup_unit_month").to_owned())
            .await
    }
}
