//! Staff accounts, their units, sessions and personal API tokens (stored hashed).
use chrono::{Duration, Utc};
use entity::{api_token, session, user, user_unit};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Set,
};

use crate::security::{hash_password, random_token, sha256_hex};

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    user::Entity::find().count(db).await
}

pub async fn create(
    db: &impl ConnectionTrait,
    email: &str,
    name: &str,
    password: &str,
    role: &str,
    unit_ids: &[i32],
) -> Result<user::Model, DbErr> {
    let hash = hash_password(password).map_err(|e| DbErr::Custom(e.to_string()))?;
    let u = user::ActiveModel {
        email: Set(email.trim().to_lowercase()),
        name: Set(name.to_string()),
        password_hash: Set(hash),
        role: Set(role.to_string()),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for unit_id in unit_ids {
        user_unit::ActiveModel {
            user_id: Set(u.id),
            unit_id: Set(*unit_id),
        }
        .insert(db)
        .await?;
    }
    Ok(u)
}

/// Active supervisors, each with the units they look after.
pub async fn active_supervisors(
    db: &impl ConnectionTrait,
) -> Result<Vec<(user::Model, Vec<i32>)>, DbErr> {
    let users = user::Entity::find()
        .filter(user::Column::Role.eq("supervisor"))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(users.len());
    for u in users {
        let units = unit_ids(db, u.id).await?;
        out.push((u, units));
    }
    Ok(out)
}

pub async fn unit_ids(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<i32>, DbErr> {
    user_unit::Entity::find()
        .select_only()
        .column(user_unit::Column::UnitId)
        .filter(user_unit::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await
}

pub async fn touch_login(db: &impl ConnectionTrait, user_id: i32) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(
            user::Column::LastLoginAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Returns the cookie value; only its hash is stored.
pub async fn create_session(
    db: &impl ConnectionTrait,
    user_id: i32,
    ttl_hours: i64,
) -> Result<String, DbErr> {
    let token = random_token(32);
    let now = Utc::now();
    session::ActiveModel {
        id: Set(sha256_hex(&token)),
        user_id: Set(user_id),
        csrf_token: Set(random_token(24)),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(ttl_hours)),
    }
    .insert(db)
    .await?;
    Ok(token)
}

pub async fn session_user(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<(user::Model, String)>, DbErr> {
    let Some(s) = session::Entity::find_by_id(sha256_hex(token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if s.expires_at < Utc::now() {
        return Ok(None);
    }
    let u = user::Entity::find_by_id(s.user_id).one(db).await?;
    Ok(u.filter(|u| u.active).map(|u| (u, s.csrf_token)))
}

pub async fn delete_session(db: &impl ConnectionTrait, token: &str) -> Result<(), DbErr> {
    session::Entity::delete_by_id(sha256_hex(token))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn purge_expired_sessions(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(Utc::now()))
        .exec(db)
        .await?
        .rows_affected)
}

/// A new personal API token; the plain value is returned once and only its hash is kept.
pub async fn create_token(
    db: &impl ConnectionTrait,
    user_id: i32,
    name: &str,
) -> Result<String, DbErr> {
    let token = format!("sua_{}", random_token(20));
    api_token::ActiveModel {
        user_id: Set(user_id),
        name: Set(name.to_string()),
        token_hash: Set(sha256_hex(&token)),
        prefix: Set(token[..8].to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

pub async fn token_user(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<user::Model>, DbErr> {
    let Some(t) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(sha256_hex(token)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let u = user::Entity::find_by_id(t.user_id).one(db).await?;
    Ok(u.filter(|u| u.active))
}
