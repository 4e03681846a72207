//! Survey definitions, as administrators manage them: create a survey, add a draft version
//! (published versions are never edited), publish a draft, assign a survey to a unit. The admin
//! JSON API and the admin pages both call these, so both keep the same rules.
use entity::{survey, survey_version};
use sea_orm::DatabaseConnection;

use crate::domain::survey::{Definition, check_definition};
use crate::i18n::Lang;
use crate::service::error::{FieldErrors, ServiceError};
use crate::store::{self, is_unique_violation};

/// A survey's name: 3 to 200 characters once trimmed.
const NAME_CHARS: std::ops::RangeInclusive<usize> = 3..=200;

/// What is wrong with a new survey, every field at once. `definition` is `None` when the caller
/// could not parse one (and has said why under `definition` itself).
pub async fn check_new(
    db: &DatabaseConnection,
    lang: Lang,
    code: &str,
    name: &str,
    definition: Option<&Definition>,
) -> Result<FieldErrors, ServiceError> {
    let mut errors = FieldErrors::new();
    if crate::domain::registry::validate_slug(code).is_err() {
        errors.insert("code".into(), lang.t("v_slug").into());
    } else if store::surveys::by_code(db, code).await?.is_some() {
        errors.insert("code".into(), lang.t("v_taken").into());
    }
    if !NAME_CHARS.contains(&name.trim().chars().count()) {
        errors.insert("name".into(), lang.t("v_length").into());
    }
    if let Some(Err(m)) = definition.map(check_definition) {
        errors.insert("definition".into(), m);
    }
    Ok(errors)
}

/// Creates survey `code` with its first version, published at once when `publish`.
pub async fn create(
    db: &DatabaseConnection,
    lang: Lang,
    code: &str,
    name: &str,
    definition: &Definition,
    publish: bool,
) -> Result<survey::Model, ServiceError> {
    let errors = check_new(db, lang, code, name, Some(definition)).await?;
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let txn = store::begin_write(db).await?;
    // A twin request may have taken the code since the check: the same answer as the check's.
    let s = match store::surveys::create(&txn, code, name.trim()).await {
        Err(e) if is_unique_violation(&e) => {
            return Err(ServiceError::field("code", lang.t("v_taken")));
        }
        other => other?,
    };
    let v = store::surveys::add_version(&txn, s.id, definition).await?;
    if publish {
        store::surveys::publish(&txn, &v).await?;
    }
    txn.commit().await?;
    Ok(s)
}

/// Adds a draft version to survey `code`.
pub async fn add_version(
    db: &DatabaseConnection,
    code: &str,
    definition: &Definition,
) -> Result<survey_version::Model, ServiceError> {
    let s = store::surveys::by_code(db, code)
        .await?
        .ok_or(ServiceError::NotFound)?;
    check_definition(definition).map_err(|m| ServiceError::field("definition", m))?;
    Ok(store::surveys::add_version(db, s.id, definition).await?)
}

/// Publishes draft `version` of survey `code` (retiring the version it replaces). A version
/// that is not a draft any more is a conflict, not something missing.
pub async fn publish(
    db: &DatabaseConnection,
    code: &str,
    version: i32,
) -> Result<(), ServiceError> {
    let s = store::surveys::by_code(db, code)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let v = store::surveys::versions(db, s.id)
        .await?
        .into_iter()
        .find(|v| v.version == version)
        .ok_or(ServiceError::NotFound)?;
    if v.status != store::surveys::DRAFT {
        return Err(ServiceError::Conflict(format!(
            "version {} is {}, only a draft can be published",
            v.version, v.status
        )));
    }
    let txn = store::begin_write(db).await?;
    store::surveys::publish(&txn, &v).await?;
    txn.commit().await?;
    Ok(())
}

/// Assigns survey `survey_code` to unit `unit_slug`. An unknown unit is `NotFound`; an unknown
/// survey is a field problem on `survey`.
pub async fn assign(
    db: &DatabaseConnection,
    lang: Lang,
    unit_slug: &str,
    survey_code: &str,
    require_code: bool,
) -> Result<(), ServiceError> {
    let unit = store::units::by_slug(db, unit_slug)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let s = store::surveys::by_code(db, survey_code)
        .await?
        .ok_or_else(|| ServiceError::field("survey", lang.t("v_choice")))?;
    store::surveys::assign(db, unit.id, s.id, require_code).await?;
    Ok(())
}
