//! Reply templates: short texts a unit's supervisors keep for replying to citizens, for the whole
//! unit or for one complaint category.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("reply_templates")
                .col(pk_auto("id"))
                .col(integer("unit_id"))
                .col(integer_null("category_id"))
                .col(string_len("title", 80))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut crate::fk(
                    "reply_templates",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut crate::fk(
                    "reply_templates",
                    "category_id",
                    "complaint_categories",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(crate::index(
            "reply_templates",
            "idx_reply_templates_unit",
            &["unit_id"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("reply_templates").to_owned())
            .await
    }
}
