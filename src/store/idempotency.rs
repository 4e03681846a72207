//! Submission keys: the `Idempotency-Key` header of the API and the one-time key of every
//! rendered form. A key is claimed in the same transaction as what it creates, so a retry, a
//! double tap or a reload finds the first result instead of storing twice.
use chrono::{DateTime, Utc};
use entity::idempotency_key::{self, Column};
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

/// A key as a request used it: where, which, and a digest of what the request asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub scope: String,
    pub key: String,
    pub hash: String,
}

impl Key {
    /// `parts` are what makes two requests "the same" (the body's meaning, not its bytes).
    pub fn new(scope: impl Into<String>, key: &str, parts: &[&[u8]]) -> Key {
        let mut h = Sha256::new();
        for p in parts {
            // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
            h.update((p.len() as u64).to_le_bytes());
            h.update(p);
        }
        Key {
            scope: scope.into(),
            key: key.to_string(),
            hash: crate::security::hex(&h.finalize()),
        }
    }
}

/// What a key's first use left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// Never used (or its first request was refused and let go of it).
    New,
    /// Used by the same request, which created this id or tracking ID.
    Same(String),
    /// Used by a different request.
    Different,
}

pub async fn seen(db: &impl ConnectionTrait, k: &Key) -> Result<Seen, DbErr> {
    let row = idempotency_key::Entity::find()
        .filter(Column::Scope.eq(k.scope.as_str()))
        .filter(Column::Key.eq(k.key.as_str()))
        .one(db)
        .await?;
    Ok(match row {
        None => Seen::New,
        Some(r) if r.request_hash != k.hash => Seen::Different,
        Some(r) => match r.resource {
            Some(res) => Seen::Same(res),
            None => Seen::New,
        },
    })
}

/// Takes the key inside the caller's write transaction; `false` when it is already taken (on
/// PostgreSQL a concurrent claim waits here until the other transaction ends).
pub async fn claim(
    db: &impl ConnectionTrait,
    k: &Key,
    resource: Option<&str>,
) -> Result<bool, DbErr> {
    let mut q = Query::insert();
    q.into_table(Alias::new("idempotency_keys"))
        .columns(["scope", "key", "request_hash", "resource", "created_at"].map(Alias::new))
        .values_panic([
            k.scope.as_str().into(),
            k.key.as_str().into(),
            k.hash.as_str().into(),
            resource.map(str::to_string).into(),
            Utc::now().into(),
        ])
        .on_conflict(
            OnConflict::columns(["scope", "key"].map(Alias::new))
                .do_nothing()
                .to_owned(),
        );
    Ok(db.execute(&q).await?.rows_affected() == 1)
}

/// Records what the key's request created (after a claim without it).
pub async fn settle(db: &impl ConnectionTrait, k: &Key, resource: &str) -> Result<(), DbErr> {
    idempotency_key::Entity::update_many()
        .col_expr(Column::Resource, Expr::value(resource))
        .filter(Column::Scope.eq(k.scope.as_str()))
        .filter(Column::Key.eq(k.key.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Lets go of a claimed key whose request was refused, so a corrected retry may use it.
pub async fn release(db: &impl ConnectionTrait, k: &Key) -> Result<(), DbErr> {
    idempotency_key::Entity::delete_many()
        .filter(Column::Scope.eq(k.scope.as_str()))
        .filter(Column::Key.eq(k.key.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets keys claimed before `cutoff`.
pub async fn purge_before(db: &impl ConnectionTrait, cutoff: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(idempotency_key::Entity::delete_many()
        .filter(Column::CreatedAt.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_follows_the_meaning_and_the_boundaries() {
        let a = Key::new("complaints", "k1", &[b"ab", b"c"]);
        assert_eq!(a, Key::new("complaints", "k1", &[b"ab", b"c"]));
        assert_ne!(a.hash, Key::new("complaints", "k1", &[b"a", b"bc"]).hash);
        assert_eq!(a.hash.len(), 64);
    }
}
