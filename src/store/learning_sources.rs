//! Learning sources (their tokens) and activities mapped by hand to catalogue programmes.
use std::collections::HashMap;

use chrono::Utc;
use entity::{activity_map, learning_record, learning_source};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

pub async fn insert(
    db: &impl ConnectionTrait,
    (name, kind): (&str, &str),
    token_hash: &str,
    prefix: &str,
) -> Result<learning_source::Model, DbErr> {
    let m = learning_source::ActiveModel {
        name: Set(name.to_string()),
        kind: Set(kind.to_string()),
        token_hash: Set(token_hash.to_string()),
        prefix: Set(prefix.to_string()),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        ..Default::default()
    };
    m.insert(db).await
}

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<learning_source::Model>, DbErr> {
    learning_source::Entity::find()
        .order_by_asc(learning_source::Column::Name)
        .all(db)
        .await
}

/// The source a token belongs to, unless revoked.
pub async fn by_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<learning_source::Model>, DbErr> {
    learning_source::Entity::find()
        .filter(learning_source::Column::TokenHash.eq(token_hash))
        .filter(learning_source::Column::RevokedAt.is_null())
        .one(db)
        .await
}

/// Revokes source `id`; whether it was active.
pub async fn revoke(db: &impl ConnectionTrait, id: i32) -> Result<bool, DbErr> {
    Ok(learning_source::Entity::update_many()
        .col_expr(
            learning_source::Column::RevokedAt,
            Expr::value(Some(Utc::now())),
        )
        .filter(learning_source::Column::Id.eq(id))
        .filter(learning_source::Column::RevokedAt.is_null())
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Activity → programme code, as planners mapped them.
pub async fn maps(db: &impl ConnectionTrait) -> Result<HashMap<String, String>, DbErr> {
    Ok(activity_map::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.activity, m.programme_code))
        .collect())
}

/// Maps `activity` to programme `code` (replacing an earlier mapping) and gives the records
/// waiting under that activity the programme and its JP; how many records it gave them to.
pub async fn map_activity(
    db: &impl ConnectionTrait,
    activity: &str,
    code: &str,
    jp: i32,
) -> Result<u64, DbErr> {
    activity_map::Entity::insert(activity_map::ActiveModel {
        activity: Set(activity.to_string()),
        programme_code: Set(code.to_string()),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(activity_map::Column::Activity)
            .update_column(activity_map::Column::ProgrammeCode)
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(learning_record::Entity::update_many()
        .col_expr(learning_record::Column::ProgrammeCode, Expr::value(code))
        .col_expr(learning_record::Column::Jp, Expr::value(jp))
        .filter(learning_record::Column::Course.eq(activity))
        .filter(learning_record::Column::Jp.is_null())
        .exec(db)
        .await?
        .rows_affected)
}
