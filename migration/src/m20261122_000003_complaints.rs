use crate::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("complaint_categories")
                .col(pk_auto("id"))
                .col(string_uniq("code"))
                .col(string("name_id"))
                .col(string("name_en"))
                .col(integer("resolve_days"))
                .col(integer("sort").default(0))
                .col(boolean("active").default(true))
                .to_owned(),
        )
        .await?;

        // National holidays and cuti bersama: working-day deadlines skip them, so they are data.
        m.create_table(
            Table::create()
                .table("holidays")
                .col(pk_auto("id"))
                .col(date_uniq("date"))
                .col(string("name"))
                .col(string("kind"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("complaints")
                .col(pk_auto("id"))
                .col(string_uniq("tracking_id"))
                .col(integer("unit_id"))
                .col(integer_null("service_id"))
                .col(string("kind"))
                .col(integer("category_id"))
                .col(text("description"))
                .col(date_null("incident_date"))
                .col(integer_null("wait_minutes"))
                .col(integer_null("visits"))
                .col(big_integer_null("fee_paid"))
                .col(string_null("contact_name"))
                .col(string_null("contact_email"))
                .col(string_null("contact_phone"))
                .col(boolean("anonim").default(false))
                .col(boolean("rahasia").default(false))
                .col(string("lang"))
                .col(string("status"))
                .col(string("priority"))
                .col(string_null("assignee"))
                .col(integer_null("duplicate_of"))
                .col(integer_null("forwarded_to_unit_id"))
                .col(text_null("reject_reason"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("verified_at"))
                .col(timestamp_with_time_zone_null("first_response_at"))
                .col(timestamp_with_time_zone_null("resolved_at"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .col(integer("reopen_count").default(0))
                .col(date("due_verify"))
                .col(date("due_first_response"))
                .col(date("due_resolve"))
                .foreign_key(&mut fk(
                    "complaints",
                    "unit_id",
                    "units",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "complaints",
                    "category_id",
                    "complaint_categories",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "complaints",
            "idx_complaints_unit_status",
            &["unit_id", "status"],
            false,
        ))
        .await?;
        m.create_index(index(
            "complaints",
            "idx_complaints_created",
            &["created_at"],
            false,
        ))
        .await?;

        // Append-only: every status change, note, reply and assignment, with who and when.
        m.create_table(
            Table::create()
                .table("complaint_events")
                .col(big_pk_auto("id"))
                .col(integer("complaint_id"))
                .col(timestamp_with_time_zone("at"))
                .col(integer_null("actor_user_id"))
                .col(string("actor_label"))
                .col(string("kind"))
                .col(string_null("from_status"))
                .col(string_null("to_status"))
                .col(text_null("body"))
                .col(boolean("public").default(false))
                .foreign_key(&mut fk(
                    "complaint_events",
                    "complaint_id",
                    "complaints",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "complaint_events",
            "idx_complaint_events_complaint",
            &["complaint_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("complaint_attachments")
                .col(pk_auto("id"))
                .col(integer("complaint_id"))
                .col(string("filename"))
                .col(string("content_type"))
                .col(big_integer("size"))
                .col(string("stored_name"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "complaint_attachments",
                    "complaint_id",
                    "complaints",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;

        // Transactional outbox: written in the transaction of the change that causes the message.
        m.create_table(
            Table::create()
                .table("outbox")
                .col(big_pk_auto("id"))
                .col(string("kind"))
                .col(string("to_addr"))
                .col(text("subject"))
                .col(text("body_text"))
                .col(text("body_html"))
                .col(timestamp_with_time_zone("created_at"))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .col(text_null("last_error"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "outbox",
            "idx_outbox_pending",
            &["sent_at", "next_attempt_at"],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "outbox",
            "complaint_attachments",
            "complaint_events",
            "complaints",
            "holidays",
            "complaint_categories",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
