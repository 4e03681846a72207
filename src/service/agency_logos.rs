//! An agency's logo for the kop: checked by content (`domain::logo`), stored, served, removed.
use sea_orm::ConnectionTrait;

use crate::domain::validation::Problems;
use crate::service::error::ServiceError;
use crate::store;

async fn agency(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<entity::agency::Model, ServiceError> {
    store::units::agency_by_slug(db, slug)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// Keeps `bytes` as the logo of agency `slug`, when they are a PNG or a plain SVG ≤ 200 KB.
pub async fn set_logo(
    db: &impl ConnectionTrait,
    slug: &str,
    bytes: Vec<u8>,
) -> Result<(), ServiceError> {
    let a = agency(db, slug).await?;
    match crate::domain::logo::check(&bytes) {
        Ok(content_type) => Ok(store::agency_logos::put(db, a.id, content_type, bytes).await?),
        Err(key) => {
            let mut p = Problems::new();
            p.insert("logo".into(), key);
            Err(ServiceError::Problems(p))
        }
    }
}

/// The logo of agency `slug`, if it has one.
pub async fn logo(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<entity::agency_logo::Model>, ServiceError> {
    let a = agency(db, slug).await?;
    Ok(store::agency_logos::get(db, a.id).await?)
}

pub async fn remove_logo(db: &impl ConnectionTrait, slug: &str) -> Result<(), ServiceError> {
    let a = agency(db, slug).await?;
    Ok(store::agency_logos::remove(db, a.id).await?)
}
