pub use sea_orm_migration::prelude::*;

mod m20261122_000001_foundation;
mod m20261122_000002_surveys;
mod m20261122_000003_complaints;
mod m20261122_000004_rollup_month;
mod m20261122_000010_training;
mod m20261202_000001_idempotency;
mod m20261202_000002_withdrawn;
mod m20261202_000003_chat;
mod m20261202_000004_complaint_channel;
mod m20261202_000005_reply_templates;
mod m20261202_000006_response_partitions;
mod m20261202_000007_response_channel_cells;
mod m20261205_000001_doors;
mod m20261205_000002_retention;
mod m20261205_000003_citizen_news;
mod m20261205_000004_held_uploads;
mod m20261205_000005_agency_logo;
mod m20261205_000006_follow_ups;
mod m20261205_000007_publication_media;
mod m20261205_000008_queue;
mod m20261205_000009_employees;
mod m20261205_000010_needs;
mod m20261205_000011_people_loop;
mod m20261205_000012_summaries;
mod m20261205_000013_kept_since;
pub mod partitions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_surveys::Migration),
            Box::new(m20261122_000003_complaints::Migration),
            Box::new(m20261122_000004_rollup_month::Migration),
            Box::new(m20261122_000010_training::Migration),
            Box::new(m20261202_000001_idempotency::Migration),
            Box::new(m20261202_000002_withdrawn::Migration),
            Box::new(m20261202_000003_chat::Migration),
            Box::new(m20261202_000004_complaint_channel::Migration),
            Box::new(m20261202_000005_reply_templates::Migration),
            Box::new(m20261202_000006_response_partitions::Migration),
            Box::new(m20261202_000007_response_channel_cells::Migration),
            Box::new(m20261205_000001_doors::Migration),
            Box::new(m20261205_000002_retention::Migration),
            Box::new(m20261205_000003_citizen_news::Migration),
            Box::new(m20261205_000004_held_uploads::Migration),
            Box::new(m20261205_000005_agency_logo::Migration),
            Box::new(m20261205_000006_follow_ups::Migration),
            Box::new(m20261205_000007_publication_media::Migration),
            Box::new(m20261205_000008_queue::Migration),
            Box::new(m20261205_000009_employees::Migration),
            Box::new(m20261205_000010_needs::Migration),
            Box::new(m20261205_000011_people_loop::Migration),
            Box::new(m20261205_000012_summaries::Migration),
            Box::new(m20261205_000013_kept_since::Migration),
        ]
    }
}

/// Foreign key from `table.column` to `target.id`, named after both so the name is unique.
pub(crate) fn fk(
    table: &'static str,
    column: &'static str,
    target: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(on_delete)
        .to_owned()
}

pub(crate) fn index(
    table: &'static str,
    name: &str,
    columns: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for c in columns {
        stmt.col(*c);
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}
