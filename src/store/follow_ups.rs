//! Follow-up items (RTL) and their history of changes.
use chrono::{NaiveDate, Utc};
use entity::{follow_up, follow_up_event};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

pub async fn insert(
    db: &impl ConnectionTrait,
    m: follow_up::ActiveModel,
) -> Result<follow_up::Model, DbErr> {
    m.insert(db).await
}

pub async fn save(
    db: &impl ConnectionTrait,
    m: follow_up::ActiveModel,
) -> Result<follow_up::Model, DbErr> {
    m.update(db).await
}

pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<follow_up::Model>, DbErr> {
    follow_up::Entity::find_by_id(id).one(db).await
}

/// A unit's items drafted under `key`, if any.
pub async fn by_draft_key(
    db: &impl ConnectionTrait,
    unit_id: i32,
    key: &str,
) -> Result<Option<follow_up::Model>, DbErr> {
    follow_up::Entity::find()
        .filter(follow_up::Column::UnitId.eq(unit_id))
        .filter(follow_up::Column::DraftKey.eq(key))
        .one(db)
        .await
}

/// A unit's items whose period ends within `[from, to]` (when given) and in `status`, by period
/// then id.
pub async fn for_unit(
    db: &impl ConnectionTrait,
    unit_id: i32,
    ends_within: Option<(NaiveDate, NaiveDate)>,
    status: Option<&str>,
) -> Result<Vec<follow_up::Model>, DbErr> {
    let mut q = follow_up::Entity::find().filter(follow_up::Column::UnitId.eq(unit_id));
    if let Some((from, to)) = ends_within {
        q = q
            .filter(follow_up::Column::PeriodTo.gte(from))
            .filter(follow_up::Column::PeriodTo.lte(to));
    }
    if let Some(s) = status {
        q = q.filter(follow_up::Column::Status.eq(s));
    }
    q.order_by_asc(follow_up::Column::PeriodTo)
        .order_by_asc(follow_up::Column::Id)
        .all(db)
        .await
}

pub async fn add_event(
    db: &impl ConnectionTrait,
    follow_up_id: i32,
    actor_user_id: Option<i32>,
    actor_label: &str,
    changes: &str,
) -> Result<(), DbErr> {
    follow_up_event::ActiveModel {
        follow_up_id: Set(follow_up_id),
        at: Set(Utc::now()),
        actor_user_id: Set(actor_user_id),
        actor_label: Set(actor_label.to_string()),
        changes: Set(changes.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn events(
    db: &impl ConnectionTrait,
    follow_up_id: i32,
) -> Result<Vec<follow_up_event::Model>, DbErr> {
    follow_up_event::Entity::find()
        .filter(follow_up_event::Column::FollowUpId.eq(follow_up_id))
        .order_by_asc(follow_up_event::Column::Id)
        .all(db)
        .await
}
