//! Reply templates of a unit, for the whole unit or one complaint category.
use entity::reply_template;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

/// The unit's templates, by title.
pub async fn for_unit(
    db: &impl ConnectionTrait,
    unit_id: i32,
) -> Result<Vec<reply_template::Model>, DbErr> {
    reply_template::Entity::find()
        .filter(reply_template::Column::UnitId.eq(unit_id))
        .order_by_asc(reply_template::Column::Title)
        .order_by_asc(reply_template::Column::Id)
        .all(db)
        .await
}

/// The unit's templates for this category or for none, by title.
pub async fn for_complaint(
    db: &impl ConnectionTrait,
    unit_id: i32,
    category_id: i32,
) -> Result<Vec<reply_template::Model>, DbErr> {
    Ok(for_unit(db, unit_id)
        .await?
        .into_iter()
        .filter(|t| t.category_id.is_none_or(|c| c == category_id))
        .collect())
}

pub async fn create(
    db: &impl ConnectionTrait,
    unit_id: i32,
    category_id: Option<i32>,
    title: &str,
    body: &str,
) -> Result<reply_template::Model, DbErr> {
    reply_template::ActiveModel {
        unit_id: Set(unit_id),
        category_id: Set(category_id),
        title: Set(title.to_string()),
        body: Set(body.to_string()),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Deletes the unit's template `id`; false when the unit has none by that id.
pub async fn delete(db: &impl ConnectionTrait, unit_id: i32, id: i32) -> Result<bool, DbErr> {
    let r = reply_template::Entity::delete_many()
        .filter(reply_template::Column::Id.eq(id))
        .filter(reply_template::Column::UnitId.eq(unit_id))
        .exec(db)
        .await?;
    Ok(r.rows_affected > 0)
}
