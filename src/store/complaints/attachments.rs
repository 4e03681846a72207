//! The files a citizen attached to a complaint (the bytes live on disk under `stored_name`).
use chrono::Utc;
use entity::complaint_attachment;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

pub async fn add_attachment(
    db: &impl ConnectionTrait,
    complaint_id: i32,
    filename: &str,
    content_type: &str,
    size: i64,
    stored_name: &str,
) -> Result<(), DbErr> {
    complaint_attachment::ActiveModel {
        complaint_id: Set(complaint_id),
        filename: Set(filename.to_string()),
        content_type: Set(content_type.to_string()),
        size: Set(size),
        stored_name: Set(stored_name.to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn attachments(
    db: &impl ConnectionTrait,
    complaint_id: i32,
) -> Result<Vec<complaint_attachment::Model>, DbErr> {
    complaint_attachment::Entity::find()
        .filter(complaint_attachment::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(complaint_attachment::Column::Id)
        .all(db)
        .await
}
