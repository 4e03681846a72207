//! Agencies' logos, one row each, replaced on upload.
use chrono::Utc;
use entity::agency_logo::{ActiveModel, Column, Entity, Model};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};

pub async fn put(
    db: &impl ConnectionTrait,
    agency_id: i32,
    content_type: &str,
    bytes: Vec<u8>,
) -> Result<(), DbErr> {
    Entity::insert(ActiveModel {
        agency_id: Set(agency_id),
        content_type: Set(content_type.to_string()),
        bytes: Set(bytes),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(Column::AgencyId)
            .update_columns([Column::ContentType, Column::Bytes, Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, agency_id: i32) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(agency_id).one(db).await
}

pub async fn remove(db: &impl ConnectionTrait, agency_id: i32) -> Result<(), DbErr> {
    Entity::delete_by_id(agency_id).exec(db).await?;
    Ok(())
}
