//! How far back the raw rows of a kind still go, once a retention setting has removed older
//! ones (`responses`: the first day still kept). `suara rollup rebuild` recomputes cells from
//! that day on and keeps the older cells, the only record left of what was removed.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("kept_since")
                .col(
                    ColumnDef::new("kind")
                        .string_len(32)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new("since").date().not_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("kept_since").to_owned())
            .await
    }
}
