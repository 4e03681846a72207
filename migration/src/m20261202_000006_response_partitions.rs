use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DbBackend, Statement};

use crate::partitions::{self, Month};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// On PostgreSQL, `responses` becomes a table partitioned by month of `local_date`: a year of a
/// national deployment is about 100 M rows, and monthly partitions keep each index small, let
/// a unit's range read touch only its months, and let old months be detached rather than
/// deleted row by row. The primary key becomes (id, local_date), as PostgreSQL requires the
/// partition key in it; ids still come from one sequence. SQLite is left as it is.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        // PostgreSQL 15 has no identity columns on partitioned tables: a plain sequence instead.
        db.execute_unprepared(
            "ALTER TABLE responses RENAME TO responses_heap;
             ALTER INDEX responses_pkey RENAME TO responses_heap_pkey;
             ALTER INDEX idx_responses_unit_date RENAME TO idx_responses_heap_unit_date;
             CREATE SEQUENCE responses_part_id_seq AS bigint;
             SELECT setval('responses_part_id_seq',
                           (SELECT COALESCE(max(id), 0) + 1 FROM responses_heap), false);
             CREATE TABLE responses (LIKE responses_heap INCLUDING DEFAULTS)
                 PARTITION BY RANGE (local_date);
             ALTER TABLE responses ALTER COLUMN id SET DEFAULT nextval('responses_part_id_seq');
             ALTER TABLE responses ADD PRIMARY KEY (id, local_date);
             ALTER TABLE responses ADD CONSTRAINT fk_responses_unit_id
                 FOREIGN KEY (unit_id) REFERENCES units (id) ON DELETE RESTRICT;
             ALTER TABLE responses ADD CONSTRAINT fk_responses_survey_version_id
                 FOREIGN KEY (survey_version_id) REFERENCES survey_versions (id) ON DELETE RESTRICT;
             CREATE INDEX idx_responses_unit_date ON responses (unit_id, local_date);
             CREATE TABLE responses_default PARTITION OF responses DEFAULT;",
        )
        .await?;
        // The months that hold data get their partitions before the rows are copied over.
        let range = db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT EXTRACT(YEAR FROM min(local_date))::int AS y0,
                        EXTRACT(MONTH FROM min(local_date))::int AS m0,
                        EXTRACT(YEAR FROM max(local_date))::int AS y1,
                        EXTRACT(MONTH FROM max(local_date))::int AS m1
                 FROM responses_heap",
            ))
            .await?;
        if let Some(r) = range
            && let (Ok(Some(y0)), Ok(Some(m0)), Ok(Some(y1)), Ok(Some(m1))) = (
                r.try_get::<Option<i32>>("", "y0"),
                r.try_get::<Option<i32>>("", "m0"),
                r.try_get::<Option<i32>>("", "y1"),
                r.try_get::<Option<i32>>("", "m1"),
            )
        {
            let (from, to): (Month, Month) = ((y0, m0 as u32), (y1, m1 as u32));
            partitions::ensure_months(db, from, to).await?;
        }
        db.execute_unprepared(
            "INSERT INTO responses SELECT * FROM responses_heap;
             DROP TABLE responses_heap;
             ALTER SEQUENCE responses_part_id_seq RENAME TO responses_id_seq;
             ALTER SEQUENCE responses_id_seq OWNED BY responses.id;
             ANALYZE responses;",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        // Going back would copy every row into one table again; restore a backup instead.
        Err(DbErr::Migration(
            "partitioned responses cannot be folded back; restore a backup".into(),
        ))
    }
}
