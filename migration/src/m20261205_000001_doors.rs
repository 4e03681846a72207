//! The doors, hardened: a server key (the reopen codes of complaints are derived from it, so
//! every node and every restart gives the same code), and the shared abuse limits of several
//! nodes on PostgreSQL — the public rate limit's buckets and the login throttle's failures.
//! Those two hold only short-lived counters, so on PostgreSQL they are UNLOGGED (no WAL; a
//! crash empties them, which only forgives a few requests). SQLite runs one node, which keeps
//! its limits in memory; the tables exist there too so the schema is the same.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("server_keys")
                .col(
                    ColumnDef::new("name")
                        .string_len(64)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new("value").string_len(128).not_null())
                .to_owned(),
        )
        .await?;
        let unlogged = if m.get_database_backend() == DbBackend::Postgres {
            "UNLOGGED "
        } else {
            ""
        };
        let db = m.get_connection();
        // Times are seconds since the epoch by the database's clock, which every node shares.
        db.execute_unprepared(&format!(
            "CREATE {unlogged}TABLE rate_buckets (\
               key VARCHAR(160) NOT NULL PRIMARY KEY, \
               tat DOUBLE PRECISION NOT NULL, \
               granted INTEGER NOT NULL DEFAULT 0)"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "CREATE {unlogged}TABLE login_failures (\
               key VARCHAR(400) NOT NULL PRIMARY KEY, \
               failures INTEGER NOT NULL, \
               last_at DOUBLE PRECISION NOT NULL)"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["login_failures", "rate_buckets", "server_keys"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
