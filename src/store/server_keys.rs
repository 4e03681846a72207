//! Keys the server derives things from, kept in the database so that every node and every
//! restart uses the same (and a backup restores them with the data they belong to).
use sea_orm::sea_query::{Alias, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr, Statement};

/// The key called `name`, made (random, 32 bytes) on first use; nodes starting together agree
/// on whichever was written first.
pub async fn get_or_create(db: &impl ConnectionTrait, name: &str) -> Result<Vec<u8>, DbErr> {
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("server_keys"))
        .columns(["name", "value"].map(Alias::new))
        .values_panic([name.into(), crate::security::random_token(32).into()])
        .on_conflict(
            OnConflict::column(Alias::new("name"))
                .do_nothing()
                .to_owned(),
        );
    db.execute(&insert).await?;
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => "SELECT value FROM server_keys WHERE name = $1",
                _ => "SELECT value FROM server_keys WHERE name = ?",
            },
            [name.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("server key {name}")))?;
    let value: String = row.try_get("", "value")?;
    Ok(value.into_bytes())
}
