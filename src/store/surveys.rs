//! Surveys, their immutable versions, and which survey each unit runs.
use chrono::Utc;
use entity::{survey, survey_version, unit_survey};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::domain::skm_survey::{SKM_CODE, skm_definition};
use crate::domain::survey::Definition;

pub const DRAFT: &str = "draft";
pub const PUBLISHED: &str = "published";
pub const RETIRED: &str = "retired";

/// What a unit's survey page and the response API work against.
#[derive(Debug, Clone)]
pub struct Active {
    pub survey: survey::Model,
    pub version: survey_version::Model,
    pub definition: Definition,
    pub require_code: bool,
}

pub fn parse_definition(v: &survey_version::Model) -> Result<Definition, DbErr> {
    serde_json::from_str(&v.definition).map_err(|e| {
        DbErr::Custom(format!(
            "survey version {} has an unreadable definition: {e}",
            v.id
        ))
    })
}

/// The built-in SKM survey, created with a published first version when missing.
pub async fn ensure_skm(db: &impl ConnectionTrait) -> Result<survey::Model, DbErr> {
    if let Some(s) = by_code(db, SKM_CODE).await? {
        return Ok(s);
    }
    let s = create(
        db,
        SKM_CODE,
        "Survei Kepuasan Masyarakat (PermenPANRB 14/2017)",
    )
    .await?;
    let v = add_version(db, s.id, &skm_definition()).await?;
    publish(db, &v).await?;
    Ok(s)
}

pub async fn by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<survey::Model>, DbErr> {
    survey::Entity::find()
        .filter(survey::Column::Code.eq(code))
        .one(db)
        .await
}

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<survey::Model>, DbErr> {
    survey::Entity::find()
        .order_by_asc(survey::Column::Code)
        .all(db)
        .await
}

pub async fn create(
    db: &impl ConnectionTrait,
    code: &str,
    name: &str,
) -> Result<survey::Model, DbErr> {
    survey::ActiveModel {
        code: Set(code.to_string()),
        name: Set(name.to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn versions(
    db: &impl ConnectionTrait,
    survey_id: i32,
) -> Result<Vec<survey_version::Model>, DbErr> {
    survey_version::Entity::find()
        .filter(survey_version::Column::SurveyId.eq(survey_id))
        .order_by_asc(survey_version::Column::Version)
        .all(db)
        .await
}

/// Versions are never edited once published: a changed definition becomes the next version (a draft).
pub async fn add_version(
    db: &impl ConnectionTrait,
    survey_id: i32,
    def: &Definition,
) -> Result<survey_version::Model, DbErr> {
    let next = versions(db, survey_id)
        .await?
        .last()
        .map_or(1, |v| v.version + 1);
    survey_version::ActiveModel {
        survey_id: Set(survey_id),
        version: Set(next),
        status: Set(DRAFT.into()),
        definition: Set(serde_json::to_string(def).map_err(|e| DbErr::Custom(e.to_string()))?),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Publishes `v` and retires the survey's previously published version.
pub async fn publish(db: &impl ConnectionTrait, v: &survey_version::Model) -> Result<(), DbErr> {
    survey_version::Entity::update_many()
        .col_expr(
            survey_version::Column::Status,
            sea_orm::sea_query::Expr::value(RETIRED),
        )
        .filter(survey_version::Column::SurveyId.eq(v.survey_id))
        .filter(survey_version::Column::Status.eq(PUBLISHED))
        .exec(db)
        .await?;
    survey_version::Entity::update_many()
        .col_expr(
            survey_version::Column::Status,
            sea_orm::sea_query::Expr::value(PUBLISHED),
        )
        .col_expr(
            survey_version::Column::PublishedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(survey_version::Column::Id.eq(v.id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn published_version(
    db: &impl ConnectionTrait,
    survey_id: i32,
) -> Result<Option<survey_version::Model>, DbErr> {
    survey_version::Entity::find()
        .filter(survey_version::Column::SurveyId.eq(survey_id))
        .filter(survey_version::Column::Status.eq(PUBLISHED))
        .one(db)
        .await
}

pub async fn assignment(
    db: &impl ConnectionTrait,
    unit_id: i32,
) -> Result<Option<unit_survey::Model>, DbErr> {
    unit_survey::Entity::find_by_id(unit_id).one(db).await
}

pub async fn assign(
    db: &impl ConnectionTrait,
    unit_id: i32,
    survey_id: i32,
    require_code: bool,
) -> Result<(), DbErr> {
    let m = unit_survey::ActiveModel {
        unit_id: Set(unit_id),
        survey_id: Set(survey_id),
        require_code: Set(require_code),
        updated_at: Set(Utc::now()),
    };
    if assignment(db, unit_id).await?.is_some() {
        m.update(db).await?;
    } else {
        m.insert(db).await?;
    }
    Ok(())
}

/// The survey a unit runs now (its assignment, else the built-in SKM) and its published version.
pub async fn active_for_unit(
    db: &impl ConnectionTrait,
    unit_id: i32,
) -> Result<Option<Active>, DbErr> {
    let (survey, require_code) = match assignment(db, unit_id).await? {
        Some(a) => (
            survey::Entity::find_by_id(a.survey_id).one(db).await?,
            a.require_code,
        ),
        None => (by_code(db, SKM_CODE).await?, false),
    };
    let Some(survey) = survey.filter(|s| s.archived_at.is_none()) else {
        return Ok(None);
    };
    let Some(version) = published_version(db, survey.id).await? else {
        return Ok(None);
    };
    let definition = parse_definition(&version)?;
    Ok(Some(Active {
        survey,
        version,
        definition,
        require_code,
    }))
}

/// Stores one-time code `code` of `unit_id`; `false` when that code exists already (the caller
/// draws another).
pub async fn insert_code(
    db: &impl ConnectionTrait,
    unit_id: i32,
    code: &str,
    batch: &str,
) -> Result<bool, DbErr> {
    let res = entity::survey_code::ActiveModel {
        unit_id: Set(unit_id),
        code: Set(code.to_string()),
        batch: Set(batch.to_string()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if super::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}
