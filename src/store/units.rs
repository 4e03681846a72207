//! Agencies → service units → services.
use std::collections::HashMap;

use chrono::Utc;
use entity::{agency, service, unit};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set,
};
use serde::Serialize;

use crate::domain::registry::{ServiceInput, UnitInput};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgencyView {
    pub slug: String,
    pub name: String,
    pub archived: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServiceView {
    pub slug: String,
    pub name: String,
    pub standard_minutes: Option<i32>,
    pub standard_days: Option<i32>,
    pub fee_rupiah: i64,
    pub archived: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitView {
    #[serde(skip)]
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub agency: AgencyView,
    pub address: Option<String>,
    pub staff_count: Option<i32>,
    pub monthly_visitors: Option<i32>,
    pub archived: bool,
    pub services: Vec<ServiceView>,
}

impl From<&agency::Model> for AgencyView {
    fn from(a: &agency::Model) -> Self {
        AgencyView {
            slug: a.slug.clone(),
            name: a.name.clone(),
            archived: a.archived_at.is_some(),
        }
    }
}

impl From<&service::Model> for ServiceView {
    fn from(s: &service::Model) -> Self {
        ServiceView {
            slug: s.slug.clone(),
            name: s.name.clone(),
            standard_minutes: s.standard_minutes,
            standard_days: s.standard_days,
            fee_rupiah: s.fee_rupiah,
            archived: s.archived_at.is_some(),
        }
    }
}

pub fn view(u: &unit::Model, a: &agency::Model, services: &[service::Model]) -> UnitView {
    UnitView {
        id: u.id,
        slug: u.slug.clone(),
        name: u.name.clone(),
        kind: u.kind.clone(),
        agency: a.into(),
        address: u.address.clone(),
        staff_count: u.staff_count,
        monthly_visitors: u.monthly_visitors,
        archived: u.archived_at.is_some(),
        services: services.iter().map(ServiceView::from).collect(),
    }
}

pub async fn agencies(
    db: &impl ConnectionTrait,
    include_archived: bool,
) -> Result<Vec<agency::Model>, DbErr> {
    let mut q = agency::Entity::find().order_by_asc(agency::Column::Name);
    if !include_archived {
        q = q.filter(agency::Column::ArchivedAt.is_null());
    }
    q.all(db).await
}

pub async fn agency_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<agency::Model>, DbErr> {
    agency::Entity::find()
        .filter(agency::Column::Slug.eq(slug))
        .one(db)
        .await
}

pub async fn create_agency(
    db: &impl ConnectionTrait,
    slug: &str,
    name: &str,
) -> Result<agency::Model, DbErr> {
    let now = Utc::now();
    agency::ActiveModel {
        slug: Set(slug.to_string()),
        name: Set(name.trim().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn update_agency(
    db: &impl ConnectionTrait,
    a: agency::Model,
    slug: Option<&str>,
    name: Option<&str>,
) -> Result<agency::Model, DbErr> {
    let mut m = a.into_active_model();
    if let Some(s) = slug {
        m.slug = Set(s.to_string());
    }
    if let Some(n) = name {
        m.name = Set(n.trim().to_string());
    }
    m.updated_at = Set(Utc::now());
    m.update(db).await
}

pub async fn set_agency_archived(
    db: &impl ConnectionTrait,
    a: agency::Model,
    archived: bool,
) -> Result<(), DbErr> {
    let mut m = a.into_active_model();
    m.archived_at = Set(archived.then(Utc::now));
    m.updated_at = Set(Utc::now());
    m.update(db).await.map(|_| ())
}

/// All units with their agency and (non-archived unless asked) services, ordered by name.
pub async fn list(
    db: &impl ConnectionTrait,
    include_archived: bool,
) -> Result<Vec<UnitView>, DbErr> {
    let mut q = unit::Entity::find().order_by_asc(unit::Column::Name);
    if !include_archived {
        q = q.filter(unit::Column::ArchivedAt.is_null());
    }
    let units = q.all(db).await?;
    let agencies: HashMap<i32, agency::Model> = agency::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut sq = service::Entity::find().order_by_asc(service::Column::Name);
    if !include_archived {
        sq = sq.filter(service::Column::ArchivedAt.is_null());
    }
    let mut services: HashMap<i32, Vec<service::Model>> = HashMap::new();
    for s in sq.all(db).await? {
        services.entry(s.unit_id).or_default().push(s);
    }
    Ok(units
        .iter()
        .filter_map(|u| {
            let a = agencies.get(&u.agency_id)?;
            Some(view(
                u,
                a,
                services.get(&u.id).map(Vec::as_slice).unwrap_or(&[]),
            ))
        })
        .collect())
}

pub async fn by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<Option<unit::Model>, DbErr> {
    unit::Entity::find()
        .filter(unit::Column::Slug.eq(slug))
        .one(db)
        .await
}

pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<unit::Model>, DbErr> {
    unit::Entity::find_by_id(id).one(db).await
}

/// The unit's full view (agency and services), or `None` if there is no such unit.
pub async fn view_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
    include_archived: bool,
) -> Result<Option<(unit::Model, UnitView)>, DbErr> {
    let Some(u) = by_slug(db, slug).await? else {
        return Ok(None);
    };
    let Some(a) = agency::Entity::find_by_id(u.agency_id).one(db).await? else {
        return Ok(None);
    };
    let services = services(db, u.id, include_archived).await?;
    let v = view(&u, &a, &services);
    Ok(Some((u, v)))
}

pub async fn create(
    db: &impl ConnectionTrait,
    agency_id: i32,
    i: &UnitInput,
) -> Result<unit::Model, DbErr> {
    let now = Utc::now();
    unit::ActiveModel {
        agency_id: Set(agency_id),
        slug: Set(i.slug.clone().unwrap_or_default()),
        name: Set(i.name.clone().unwrap_or_default().trim().to_string()),
        kind: Set(i.kind.clone().unwrap_or_default()),
        address: Set(i.address.clone().filter(|s| !s.trim().is_empty())),
        staff_count: Set(i.staff_count),
        monthly_visitors: Set(i.monthly_visitors),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn update(
    db: &impl ConnectionTrait,
    u: unit::Model,
    agency_id: Option<i32>,
    i: &UnitInput,
) -> Result<unit::Model, DbErr> {
    let mut m = u.into_active_model();
    if let Some(a) = agency_id {
        m.agency_id = Set(a);
    }
    if let Some(s) = &i.slug {
        m.slug = Set(s.clone());
    }
    if let Some(n) = &i.name {
        m.name = Set(n.trim().to_string());
    }
    if let Some(k) = &i.kind {
        m.kind = Set(k.clone());
    }
    if let Some(a) = &i.address {
        m.address = Set(Some(a.trim().to_string()).filter(|s| !s.is_empty()));
    }
    if i.staff_count.is_some() {
        m.staff_count = Set(i.staff_count);
    }
    if i.monthly_visitors.is_some() {
        m.monthly_visitors = Set(i.monthly_visitors);
    }
    m.updated_at = Set(Utc::now());
    m.update(db).await
}

pub async fn set_archived(
    db: &impl ConnectionTrait,
    u: unit::Model,
    archived: bool,
) -> Result<(), DbErr> {
    let mut m = u.into_active_model();
    m.archived_at = Set(archived.then(Utc::now));
    m.updated_at = Set(Utc::now());
    m.update(db).await.map(|_| ())
}

pub async fn services(
    db: &impl ConnectionTrait,
    unit_id: i32,
    include_archived: bool,
) -> Result<Vec<service::Model>, DbErr> {
    let mut q = service::Entity::find()
        .filter(service::Column::UnitId.eq(unit_id))
        .order_by_asc(service::Column::Name);
    if !include_archived {
        q = q.filter(service::Column::ArchivedAt.is_null());
    }
    q.all(db).await
}

pub async fn service_by_slug(
    db: &impl ConnectionTrait,
    unit_id: i32,
    slug: &str,
) -> Result<Option<service::Model>, DbErr> {
    service::Entity::find()
        .filter(service::Column::UnitId.eq(unit_id))
        .filter(service::Column::Slug.eq(slug))
        .one(db)
        .await
}

pub async fn create_service(
    db: &impl ConnectionTrait,
    unit_id: i32,
    i: &ServiceInput,
) -> Result<service::Model, DbErr> {
    let now = Utc::now();
    service::ActiveModel {
        unit_id: Set(unit_id),
        slug: Set(i.slug.clone().unwrap_or_default()),
        name: Set(i.name.clone().unwrap_or_default().trim().to_string()),
        standard_minutes: Set(i.standard_minutes),
        standard_days: Set(i.standard_days),
        fee_rupiah: Set(i.fee_rupiah.unwrap_or(0)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn update_service(
    db: &impl ConnectionTrait,
    s: service::Model,
    i: &ServiceInput,
) -> Result<service::Model, DbErr> {
    let mut m = s.into_active_model();
    if let Some(v) = &i.slug {
        m.slug = Set(v.clone());
    }
    if let Some(v) = &i.name {
        m.name = Set(v.trim().to_string());
    }
    if i.standard_minutes.is_some() {
        m.standard_minutes = Set(i.standard_minutes);
    }
    if i.standard_days.is_some() {
        m.standard_days = Set(i.standard_days);
    }
    if let Some(f) = i.fee_rupiah {
        m.fee_rupiah = Set(f);
    }
    m.updated_at = Set(Utc::now());
    m.update(db).await
}

pub async fn set_service_archived(
    db: &impl ConnectionTrait,
    s: service::Model,
    archived: bool,
) -> Result<(), DbErr> {
    let mut m = s.into_active_model();
    m.archived_at = Set(archived.then(Utc::now));
    m.updated_at = Set(Utc::now());
    m.update(db).await.map(|_| ())
}
