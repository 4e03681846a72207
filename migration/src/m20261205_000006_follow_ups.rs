//! Follow-up items (rencana tindak lanjut, RTL) per unit and SKM period, with their history of
//! changes. An item drafted from the evidence carries a draft key (the element or category and
//! the period), unique per unit, so drafting the same period again adds nothing.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("follow_ups")
                .col(
                    ColumnDef::new("id")
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new("unit_id").integer().not_null())
                .col(ColumnDef::new("period_from").date().not_null())
                .col(ColumnDef::new("period_to").date().not_null())
                .col(ColumnDef::new("title").string_len(200).not_null())
                .col(ColumnDef::new("kind").string_len(20).not_null())
                .col(ColumnDef::new("elements").text().not_null())
                .col(ColumnDef::new("categories").text().not_null())
                .col(ColumnDef::new("owner_name").string_len(100).null())
                .col(ColumnDef::new("owner_position").string_len(100).null())
                .col(ColumnDef::new("due_on").date().null())
                .col(ColumnDef::new("status").string_len(20).not_null())
                .col(ColumnDef::new("progress").integer().not_null())
                .col(ColumnDef::new("evidence").text().null())
                .col(ColumnDef::new("evidence_link").string_len(500).null())
                .col(ColumnDef::new("evidence_file").string_len(100).null())
                .col(ColumnDef::new("evidence_file_name").string_len(255).null())
                .col(ColumnDef::new("evidence_file_type").string_len(100).null())
                .col(ColumnDef::new("done_on").date().null())
                .col(ColumnDef::new("report_on").date().null())
                .col(ColumnDef::new("recommendation_id").integer().null())
                .col(ColumnDef::new("justification").text().null())
                .col(ColumnDef::new("draft_key").string_len(120).null())
                .col(
                    ColumnDef::new("created_at")
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new("updated_at")
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut crate::fk(
                    "follow_ups",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(crate::index(
            "follow_ups",
            "idx_follow_ups_unit_period",
            &["unit_id", "period_to"],
            false,
        ))
        .await?;
        m.create_index(crate::index(
            "follow_ups",
            "idx_follow_ups_draft_key",
            &["unit_id", "draft_key"],
            true,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("follow_up_events")
                .col(
                    ColumnDef::new("id")
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new("follow_up_id").integer().not_null())
                .col(ColumnDef::new("at").timestamp_with_time_zone().not_null())
                .col(ColumnDef::new("actor_user_id").integer().null())
                .col(ColumnDef::new("actor_label").string_len(100).not_null())
                .col(ColumnDef::new("changes").text().not_null())
                .foreign_key(&mut crate::fk(
                    "follow_up_events",
                    "follow_up_id",
                    "follow_ups",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(crate::index(
            "follow_up_events",
            "idx_follow_up_events_item",
            &["follow_up_id"],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["follow_up_events", "follow_ups"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
