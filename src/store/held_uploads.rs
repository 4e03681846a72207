//! Photos of a refused complaint form, held under the form's submission key (hashed) so the
//! citizen need not attach them again; they expire with the key.
use chrono::{DateTime, Utc};
use entity::held_upload::{ActiveModel, Column, Entity, Model};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

pub async fn hold(
    db: &impl ConnectionTrait,
    key_hash: &str,
    stored_name: &str,
    filename: &str,
    content_type: &str,
    size: i64,
) -> Result<Model, DbErr> {
    ActiveModel {
        key_hash: Set(key_hash.to_string()),
        stored_name: Set(stored_name.to_string()),
        filename: Set(filename.to_string()),
        content_type: Set(content_type.to_string()),
        size: Set(size),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// What is held under `key_hash`, oldest first.
pub async fn held(db: &impl ConnectionTrait, key_hash: &str) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::KeyHash.eq(key_hash))
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

/// Forgets these rows (their files are the caller's to keep or remove).
pub async fn release(db: &impl ConnectionTrait, ids: &[i32]) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    Entity::delete_many()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// Rows held since before `cutoff` (their keys have expired), deleted; their stored names, for
/// the caller to remove the files.
pub async fn expire(
    db: &impl ConnectionTrait,
    cutoff: DateTime<Utc>,
) -> Result<Vec<String>, DbErr> {
    let old = Entity::find()
        .filter(Column::CreatedAt.lt(cutoff))
        .all(db)
        .await?;
    let ids: Vec<i32> = old.iter().map(|m| m.id).collect();
    release(db, &ids).await?;
    Ok(old.into_iter().map(|m| m.stored_name).collect())
}
