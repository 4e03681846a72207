//! The complaints an Open311 GeoReport client may read: never a `rahasia` one.
use chrono::{DateTime, Utc};
use entity::complaint;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// What to list; `None` means "any". An empty list matches nothing.
#[derive(Debug, Default)]
pub struct Filter {
    pub tracking_ids: Option<Vec<String>>,
    pub category_ids: Option<Vec<i32>>,
    /// Filed at or after.
    pub from: Option<DateTime<Utc>>,
    /// Filed before.
    pub to: Option<DateTime<Utc>>,
    pub statuses: Option<Vec<&'static str>>,
    pub limit: u64,
}

/// Newest first, at most `limit`, never a `rahasia` complaint.
pub async fn public_requests(
    db: &impl ConnectionTrait,
    f: &Filter,
) -> Result<Vec<complaint::Model>, DbErr> {
    let empty = |v: &Option<Vec<_>>| v.as_ref().is_some_and(Vec::is_empty);
    if empty(&f.tracking_ids)
        || f.category_ids.as_ref().is_some_and(Vec::is_empty)
        || f.statuses.as_ref().is_some_and(Vec::is_empty)
    {
        return Ok(vec![]);
    }
    let mut q = complaint::Entity::find().filter(complaint::Column::Rahasia.eq(false));
    if let Some(ids) = &f.tracking_ids {
        q = q.filter(complaint::Column::TrackingId.is_in(ids.clone()));
    }
    if let Some(ids) = &f.category_ids {
        q = q.filter(complaint::Column::CategoryId.is_in(ids.clone()));
    }
    if let Some(from) = f.from {
        q = q.filter(complaint::Column::CreatedAt.gte(from));
    }
    if let Some(to) = f.to {
        q = q.filter(complaint::Column::CreatedAt.lt(to));
    }
    if let Some(s) = &f.statuses {
        q = q.filter(complaint::Column::Status.is_in(s.clone()));
    }
    q.order_by_desc(complaint::Column::CreatedAt)
        .order_by_desc(complaint::Column::Id)
        .limit(f.limit)
        .all(db)
        .await
}

/// One complaint by its (normalised) tracking ID, unless it is `rahasia`.
pub async fn public_request(
    db: &impl ConnectionTrait,
    tracking_id: &str,
) -> Result<Option<complaint::Model>, DbErr> {
    complaint::Entity::find()
        .filter(complaint::Column::TrackingId.eq(tracking_id))
        .filter(complaint::Column::Rahasia.eq(false))
        .one(db)
        .await
}
