use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Submission keys (the `Idempotency-Key` header and the forms' one-time keys): a retry, a
/// double tap or a reload finds the first result here instead of storing twice.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("idempotency_keys")
                .col(string_len("scope", 64))
                .col(string_len("key", 255))
                .col(string_len("request_hash", 64))
                .col(string_len_null("resource", 64))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("scope").col("key"))
                .to_owned(),
        )
        .await?;
        m.create_index(crate::index(
            "idempotency_keys",
            "idx_idempotency_keys_created",
            &["created_at"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("idempotency_keys").to_owned())
            .await
    }
}
