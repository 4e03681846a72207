//! Per unit and period summaries: one row per unit and quarter or year holding all of its
//! rollup cells but the respondent profile (n, Σx, Σx² by code, encoded by
//! `domain::summary_cells`), so an overview of a quarter or a year reads one row a unit. Filled
//! for existing data at start-up (`store::summaries::backfill_if_missing`).
use crate::fk;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("rollup_unit_period")
                .col(ColumnDef::new("period").string_len(7).not_null())
                .col(ColumnDef::new("unit_id").integer().not_null())
                .col(ColumnDef::new("cells").blob().not_null())
                // The overview reads one period for many units: the period leads.
                .primary_key(Index::create().col("period").col("unit_id"))
                .foreign_key(&mut fk(
                    "rollup_unit_period",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("rollup_unit_period").to_owned())
            .await
    }
}
