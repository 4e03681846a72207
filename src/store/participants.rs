//! The people in each scheduled programme, with their reflection and their supervisor's rating.
use chrono::{DateTime, Utc};
use entity::programme_participant as pp;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

pub async fn of(
    db: &impl ConnectionTrait,
    recommendation_id: i32,
) -> Result<Vec<pp::Model>, DbErr> {
    pp::Entity::find()
        .filter(pp::Column::RecommendationId.eq(recommendation_id))
        .order_by_asc(pp::Column::Id)
        .all(db)
        .await
}

/// Every (programme, employee) pair of these programmes.
pub async fn of_many(
    db: &impl ConnectionTrait,
    recommendation_ids: &[i32],
) -> Result<Vec<(i32, i32)>, DbErr> {
    Ok(pp::Entity::find()
        .filter(pp::Column::RecommendationId.is_in(recommendation_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.recommendation_id, p.employee_id))
        .collect())
}

/// Adds these employees to the programme; those already in stay as they are (a race of two
/// lists, or a name given twice, stores each once).
pub async fn add(
    db: &impl ConnectionTrait,
    recommendation_id: i32,
    employee_ids: &[i32],
) -> Result<(), DbErr> {
    let now = Utc::now();
    for chunk in employee_ids.chunks(500) {
        let mut q = Query::insert();
        q.into_table(pp::Entity).columns([
            pp::Column::RecommendationId,
            pp::Column::EmployeeId,
            pp::Column::CreatedAt,
        ]);
        for e in chunk {
            q.values_panic([recommendation_id.into(), (*e).into(), now.into()]);
        }
        q.on_conflict(
            OnConflict::columns([pp::Column::RecommendationId, pp::Column::EmployeeId])
                .do_nothing()
                .to_owned(),
        );
        db.execute(&q).await?;
    }
    Ok(())
}

/// Removes participants not in `keep` (their evaluations with them).
pub async fn remove_others(
    db: &impl ConnectionTrait,
    recommendation_id: i32,
    keep: &[i32],
) -> Result<(), DbErr> {
    pp::Entity::delete_many()
        .filter(pp::Column::RecommendationId.eq(recommendation_id))
        .filter(pp::Column::EmployeeId.is_not_in(keep.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives participant `id` a new reflection link (replacing an unused one).
pub async fn set_link(
    db: &impl ConnectionTrait,
    id: i32,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    pp::Entity::update_many()
        .col_expr(pp::Column::TokenHash, Expr::value(token_hash))
        .col_expr(pp::Column::ExpiresAt, Expr::value(expires_at))
        .filter(pp::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn by_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<pp::Model>, DbErr> {
    pp::Entity::find()
        .filter(pp::Column::TokenHash.eq(token_hash))
        .one(db)
        .await
}

/// Stores the participant's reflection unless one is there; whether it stored.
pub async fn reflect(
    db: &impl ConnectionTrait,
    id: i32,
    reaction: i32,
    reflection: Option<String>,
) -> Result<bool, DbErr> {
    Ok(pp::Entity::update_many()
        .col_expr(pp::Column::Reaction, Expr::value(reaction))
        .col_expr(pp::Column::Reflection, Expr::value(reflection))
        .col_expr(pp::Column::ReflectedAt, Expr::value(Some(Utc::now())))
        .filter(pp::Column::Id.eq(id))
        .filter(pp::Column::ReflectedAt.is_null())
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// The supervisor's rating of the change at work (replacing an earlier one: they may revise).
pub async fn rate(
    db: &impl ConnectionTrait,
    id: i32,
    behaviour: i32,
    note: Option<String>,
) -> Result<(), DbErr> {
    pp::Entity::update_many()
        .col_expr(pp::Column::Behaviour, Expr::value(behaviour))
        .col_expr(pp::Column::BehaviourNote, Expr::value(note))
        .col_expr(pp::Column::RatedAt, Expr::value(Some(Utc::now())))
        .filter(pp::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
