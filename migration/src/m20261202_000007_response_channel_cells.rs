use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Responses by channel become rollup cells (`_R:<channel>`, n = Σx = Σx² = count), so a
/// unit's trend no longer groups its response rows by channel: at 5 million responses the
/// busiest unit's year was 80,000 rows read per request. The cells of responses already stored
/// are added here; new ones are added by the response writer.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let month = match db.get_database_backend() {
            DbBackend::Postgres => "to_char(local_date, 'YYYY-MM')",
            _ => "substr(local_date, 1, 7)",
        };
        db.execute_unprepared(
            "INSERT INTO rollup_unit_day (unit_id, local_date, code, n, sum, sumsq)
             SELECT unit_id, local_date, '_R:' || channel, count(*), count(*), count(*)
             FROM responses GROUP BY unit_id, local_date, channel",
        )
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO rollup_unit_month (unit_id, month, code, n, sum, sumsq)
             SELECT unit_id, {month}, code, sum(n), sum(sum), sum(sumsq)
             FROM rollup_unit_day WHERE substr(code, 1, 3) = '_R:'
             GROUP BY unit_id, {month}, code"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "DELETE FROM rollup_unit_day WHERE substr(code, 1, 3) = '_R:';
             DELETE FROM rollup_unit_month WHERE substr(code, 1, 3) = '_R:';",
        )
        .await?;
        Ok(())
    }
}
