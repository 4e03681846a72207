//! Registry use cases: create, change and archive agencies, units and services, with their
//! validation. The admin JSON API and the admin pages both call these and render the outcome.
use entity::{agency, service, unit};
use sea_orm::{DatabaseConnection, DbErr};
use validator::Validate;

use crate::domain::registry::{AgencyInput, ServiceInput, UnitInput};
use crate::domain::validation::{Problems, from_validator};
use crate::service::error::ServiceError;
use crate::store::{self, is_unique_violation};

pub type Result<T> = std::result::Result<T, ServiceError>;

/// What a change must carry: a create, and the pages' forms (which post every field), need the
/// fields a new record cannot do without; a JSON PATCH only checks the fields it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    All,
    Named,
}

fn invalid_if_any(problems: Problems) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Problems(problems))
    }
}

/// A write refused by a unique index: the slug is someone else's.
fn taken(e: DbErr) -> ServiceError {
    if is_unique_violation(&e) {
        ServiceError::Problems(Problems::from([("slug".to_string(), "v_taken")]))
    } else {
        ServiceError::from(e)
    }
}

fn check_agency(i: &AgencyInput) -> Result<()> {
    let mut p = Problems::new();
    if i.slug.is_none() {
        p.insert("slug".into(), "v_required");
    }
    if i.name.is_none() {
        p.insert("name".into(), "v_required");
    }
    if let Err(e) = i.validate() {
        p.extend(from_validator(&e));
    }
    invalid_if_any(p)
}

pub async fn create_agency(db: &DatabaseConnection, i: &AgencyInput) -> Result<agency::Model> {
    check_agency(i)?;
    store::units::create_agency(
        db,
        i.slug.as_deref().unwrap_or_default(),
        i.name.as_deref().unwrap_or_default(),
    )
    .await
    .map_err(taken)
}

/// Both fields are required either way (an agency has no others): checked before the lookup.
pub async fn update_agency(
    db: &DatabaseConnection,
    slug: &str,
    i: &AgencyInput,
) -> Result<agency::Model> {
    check_agency(i)?;
    let a = store::units::agency_by_slug(db, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    store::units::update_agency(db, a, i.slug.as_deref(), i.name.as_deref())
        .await
        .map_err(taken)
}

pub async fn archive_agency(db: &DatabaseConnection, slug: &str) -> Result<()> {
    let a = store::units::agency_by_slug(db, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(store::units::set_agency_archived(db, a, true).await?)
}

/// Validates a unit; `parsed` holds what the edge already found wrong reading the input (a
/// number that is not one). Returns the id of the agency named, which must exist unarchived.
async fn check_unit(
    db: &DatabaseConnection,
    i: &UnitInput,
    fields: Fields,
    parsed: Problems,
) -> Result<Option<i32>> {
    let mut problems = Problems::new();
    if fields == Fields::All {
        for f in i.missing_for_create() {
            problems.insert(f.into(), "v_required");
        }
    }
    if let Err(e) = i.validate() {
        problems.extend(from_validator(&e));
    }
    let mut agency_id = None;
    if let Some(a) = &i.agency {
        match store::units::agency_by_slug(db, a).await? {
            Some(a) if a.archived_at.is_none() => agency_id = Some(a.id),
            _ => {
                problems.insert("agency".into(), "v_unknown_agency");
            }
        }
    }
    problems.extend(parsed);
    invalid_if_any(problems)?;
    Ok(agency_id)
}

pub async fn create_unit(
    db: &DatabaseConnection,
    i: &UnitInput,
    parsed: Problems,
) -> Result<unit::Model> {
    let agency_id = check_unit(db, i, Fields::All, parsed)
        .await?
        .ok_or(ServiceError::NotFound)?;
    store::units::create(db, agency_id, i).await.map_err(taken)
}

/// The unit is looked up before the input is checked: an unknown slug is `NotFound` whatever
/// the body says.
pub async fn update_unit(
    db: &DatabaseConnection,
    slug: &str,
    i: &UnitInput,
    fields: Fields,
    parsed: Problems,
) -> Result<unit::Model> {
    let unit = unit_by_slug(db, slug).await?;
    let agency_id = check_unit(db, i, fields, parsed).await?;
    store::units::update(db, unit, agency_id, i)
        .await
        .map_err(taken)
}

pub async fn archive_unit(db: &DatabaseConnection, slug: &str) -> Result<()> {
    let unit = unit_by_slug(db, slug).await?;
    Ok(store::units::set_archived(db, unit, true).await?)
}

async fn unit_by_slug(db: &DatabaseConnection, slug: &str) -> Result<unit::Model> {
    store::units::by_slug(db, slug)
        .await?
        .ok_or(ServiceError::NotFound)
}

async fn service_by_slug(
    db: &DatabaseConnection,
    unit_slug: &str,
    slug: &str,
) -> Result<(unit::Model, service::Model)> {
    let unit = unit_by_slug(db, unit_slug).await?;
    let s = store::units::service_by_slug(db, unit.id, slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok((unit, s))
}

fn check_service(i: &ServiceInput, fields: Fields, parsed: Problems) -> Result<()> {
    let mut problems = Problems::new();
    if fields == Fields::All && i.slug.is_none() {
        problems.insert("slug".into(), "v_required");
    }
    if fields == Fields::All && i.name.is_none() {
        problems.insert("name".into(), "v_required");
    }
    if let Err(e) = i.validate() {
        problems.extend(from_validator(&e));
    }
    problems.extend(parsed);
    invalid_if_any(problems)
}

/// A new service of the unit `unit_slug` (looked up first).
pub async fn create_service(
    db: &DatabaseConnection,
    unit_slug: &str,
    i: &ServiceInput,
    parsed: Problems,
) -> Result<service::Model> {
    let unit = unit_by_slug(db, unit_slug).await?;
    check_service(i, Fields::All, parsed)?;
    store::units::create_service(db, unit.id, i)
        .await
        .map_err(taken)
}

/// Returns the unit too: the pages go back to it.
pub async fn update_service(
    db: &DatabaseConnection,
    unit_slug: &str,
    slug: &str,
    i: &ServiceInput,
    fields: Fields,
    parsed: Problems,
) -> Result<(unit::Model, service::Model)> {
    let (unit, s) = service_by_slug(db, unit_slug, slug).await?;
    check_service(i, fields, parsed)?;
    let s = store::units::update_service(db, s, i)
        .await
        .map_err(taken)?;
    Ok((unit, s))
}

/// Returns the unit: the pages go back to it.
pub async fn archive_service(
    db: &DatabaseConnection,
    unit_slug: &str,
    slug: &str,
) -> Result<unit::Model> {
    let (unit, s) = service_by_slug(db, unit_slug, slug).await?;
    store::units::set_service_archived(db, s, true).await?;
    Ok(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agency_needs_both_fields() {
        let Err(ServiceError::Problems(p)) = check_agency(&AgencyInput::default()) else {
            panic!("missing fields pass");
        };
        assert_eq!(p.get("slug"), Some(&"v_required"));
        assert_eq!(p.get("name"), Some(&"v_required"));
    }

    #[test]
    fn a_service_patch_needs_only_what_it_names() {
        let empty = ServiceInput::default();
        assert!(check_service(&empty, Fields::Named, Problems::new()).is_ok());
        let Err(ServiceError::Problems(p)) = check_service(&empty, Fields::All, Problems::new())
        else {
            panic!("a create without slug and name passes");
        };
        assert_eq!(p.len(), 2);
        let parsed = Problems::from([("fee_rupiah".to_string(), "v_number")]);
        let Err(ServiceError::Problems(p)) = check_service(&empty, Fields::Named, parsed) else {
            panic!("a parse problem is dropped");
        };
        assert_eq!(p.get("fee_rupiah"), Some(&"v_number"));
    }
}
