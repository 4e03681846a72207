//! A complaint's history: every status change, reply, note and deadline move, with who did it.
use chrono::Utc;
use entity::complaint_event;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::domain::complaint::Status;

pub struct Event<'a> {
    pub complaint_id: i32,
    pub actor_user_id: Option<i32>,
    pub actor_label: &'a str,
    pub kind: &'a str,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub body: Option<&'a str>,
    pub public: bool,
}

/// Writes the entry; its id.
pub async fn add_event(db: &impl ConnectionTrait, e: Event<'_>) -> Result<i64, DbErr> {
    let m = complaint_event::ActiveModel {
        complaint_id: Set(e.complaint_id),
        at: Set(Utc::now()),
        actor_user_id: Set(e.actor_user_id),
        actor_label: Set(e.actor_label.to_string()),
        kind: Set(e.kind.to_string()),
        from_status: Set(e.from_status.map(|s| s.as_str().to_string())),
        to_status: Set(e.to_status.map(|s| s.as_str().to_string())),
        body: Set(e.body.map(str::to_string)),
        public: Set(e.public),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(m.id)
}

/// Records how the news of entry `id` went out to the citizen.
pub async fn set_notified_via(db: &impl ConnectionTrait, id: i64, via: &str) -> Result<(), DbErr> {
    complaint_event::Entity::update_many()
        .col_expr(
            complaint_event::Column::NotifiedVia,
            sea_orm::sea_query::Expr::value(via),
        )
        .filter(complaint_event::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn events(
    db: &impl ConnectionTrait,
    complaint_id: i32,
) -> Result<Vec<complaint_event::Model>, DbErr> {
    complaint_event::Entity::find()
        .filter(complaint_event::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(complaint_event::Column::Id)
        .all(db)
        .await
}
