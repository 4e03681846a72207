//! Needs rounds, their personal links and what was said in them.
use chrono::{DateTime, Utc};
use entity::{need, need_link, need_round};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

pub async fn round(
    db: &impl ConnectionTrait,
    unit_id: i32,
    year: i32,
) -> Result<Option<need_round::Model>, DbErr> {
    need_round::Entity::find()
        .filter(need_round::Column::UnitId.eq(unit_id))
        .filter(need_round::Column::Year.eq(year))
        .one(db)
        .await
}

pub async fn round_by_id(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<need_round::Model>, DbErr> {
    need_round::Entity::find_by_id(id).one(db).await
}

pub async fn insert_round(
    db: &impl ConnectionTrait,
    unit_id: i32,
    year: i32,
) -> Result<need_round::Model, DbErr> {
    need_round::ActiveModel {
        unit_id: Set(unit_id),
        year: Set(year),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Replaces the unanswered links in the round for the employee's needs from `author` (`self`,
/// `colleague`) by a new one.
pub async fn new_link(
    db: &impl ConnectionTrait,
    (round_id, employee_id, author): (i32, i32, &str),
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    need_link::Entity::delete_many()
        .filter(need_link::Column::RoundId.eq(round_id))
        .filter(need_link::Column::EmployeeId.eq(employee_id))
        .filter(need_link::Column::Author.eq(author))
        .filter(need_link::Column::AnsweredAt.is_null())
        .exec(db)
        .await?;
    need_link::ActiveModel {
        round_id: Set(round_id),
        employee_id: Set(employee_id),
        author: Set(author.to_string()),
        token_hash: Set(token_hash.to_string()),
        expires_at: Set(expires_at),
        answered_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn link(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<need_link::Model>, DbErr> {
    need_link::Entity::find()
        .filter(need_link::Column::TokenHash.eq(token_hash))
        .one(db)
        .await
}

/// Marks the link answered; `false` when it already was (a double tap, a second answer).
pub async fn close_link(db: &impl ConnectionTrait, id: i32) -> Result<bool, DbErr> {
    let r = need_link::Entity::update_many()
        .col_expr(
            need_link::Column::AnsweredAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(need_link::Column::Id.eq(id))
        .filter(need_link::Column::AnsweredAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn needs(db: &impl ConnectionTrait, round_id: i32) -> Result<Vec<need::Model>, DbErr> {
    need::Entity::find()
        .filter(need::Column::RoundId.eq(round_id))
        .all(db)
        .await
}

/// Stores what `author` says of the employee in the round, replacing what they said before.
pub async fn save_need(
    db: &impl ConnectionTrait,
    (round, employee, author): (i32, i32, &str),
    mut m: need::ActiveModel,
) -> Result<(), DbErr> {
    m.round_id = Set(round);
    m.employee_id = Set(employee);
    m.author = Set(author.to_string());
    need::Entity::delete_many()
        .filter(need::Column::RoundId.eq(round))
        .filter(need::Column::EmployeeId.eq(employee))
        .filter(need::Column::Author.eq(author))
        .exec(db)
        .await?;
    m.insert(db).await?;
    Ok(())
}

/// Confirmed JP per employee of rounds of `year` (the supervisors' confirmations).
pub async fn confirmed_jp(
    db: &impl ConnectionTrait,
    unit_id: i32,
    year: i32,
) -> Result<Vec<(i32, i32)>, DbErr> {
    let Some(r) = round(db, unit_id, year).await? else {
        return Ok(vec![]);
    };
    Ok(needs(db, r.id)
        .await?
        .into_iter()
        .filter(|n| n.author == "supervisor")
        .filter_map(|n| Some((n.employee_id, n.jp?)))
        .collect())
}
