//! The holiday calendar that working-day deadlines are counted on.
use chrono::NaiveDate;
use entity::holiday;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::domain::calendar::{Calendar, SEED_HOLIDAYS};

/// The holidays Suara ships with, while the table is empty (a first start).
pub(super) async fn seed_if_empty(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if holiday::Entity::find().count(db).await? == 0 {
        for (date, name, kind) in SEED_HOLIDAYS {
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|e| DbErr::Custom(e.to_string()))?;
            new_holiday(date, name, kind).insert(db).await?;
        }
    }
    Ok(())
}

/// A holiday row to insert.
fn new_holiday(date: NaiveDate, name: &str, kind: &str) -> holiday::ActiveModel {
    holiday::ActiveModel {
        date: Set(date),
        name: Set(name.to_string()),
        kind: Set(kind.to_string()),
        ..Default::default()
    }
}

pub async fn calendar(db: &impl ConnectionTrait) -> Result<Calendar, DbErr> {
    Ok(Calendar::new(
        holidays(db).await?.into_iter().map(|h| h.date),
    ))
}

pub async fn holidays(db: &impl ConnectionTrait) -> Result<Vec<holiday::Model>, DbErr> {
    holiday::Entity::find()
        .order_by_asc(holiday::Column::Date)
        .all(db)
        .await
}

pub async fn set_holiday(
    db: &impl ConnectionTrait,
    date: NaiveDate,
    name: &str,
    kind: &str,
) -> Result<(), DbErr> {
    match holiday::Entity::find()
        .filter(holiday::Column::Date.eq(date))
        .one(db)
        .await?
    {
        Some(h) => {
            let mut m = h.into_active_model();
            m.name = Set(name.to_string());
            m.kind = Set(kind.to_string());
            m.update(db).await?;
        }
        None => {
            new_holiday(date, name, kind).insert(db).await?;
        }
    }
    Ok(())
}

pub async fn delete_holiday(db: &impl ConnectionTrait, date: NaiveDate) -> Result<bool, DbErr> {
    Ok(holiday::Entity::delete_many()
        .filter(holiday::Column::Date.eq(date))
        .exec(db)
        .await?
        .rows_affected
        > 0)
}
