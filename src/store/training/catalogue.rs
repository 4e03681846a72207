//! Competencies, training programmes and recommendation rules: data, seeded with the defaults in
//! `seed::training_catalogue` (domain.md's signal → training table, the LAN competency types).
use chrono::Utc;
use entity::{competency, training_programme as programme, training_rule as rule};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TryIntoModel,
};
use serde::{Deserialize, Serialize};

use crate::domain::training::RuleDef;

/// The catalogue a new database starts with; `seed::training_catalogue` reads it from data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    pub competencies: Vec<DefaultCompetency>,
    pub programmes: Vec<DefaultProgramme>,
    pub rules: Vec<DefaultRule>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultCompetency {
    pub code: String,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultProgramme {
    pub code: String,
    pub name: String,
    pub competencies: Vec<String>,
    pub form: String,
    pub method: String,
    pub jp: i32,
    pub provider: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultRule {
    pub code: String,
    pub name: String,
    pub definition: RuleDef,
}

/// Seeds each catalogue that is still empty.
pub async fn ensure_defaults(db: &impl ConnectionTrait, defaults: &Defaults) -> Result<(), DbErr> {
    let now = Utc::now();
    if competency::Entity::find().count(db).await? == 0 {
        for c in &defaults.competencies {
            competency::ActiveModel {
                code: Set(c.code.clone()),
                name: Set(c.name.clone()),
                kind: Set(c.kind.clone()),
                description: Set(None),
                archived: Set(false),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    if programme::Entity::find().count(db).await? == 0 {
        for p in &defaults.programmes {
            programme::ActiveModel {
                code: Set(p.code.clone()),
                name: Set(p.name.clone()),
                competencies: Set(
                    serde_json::to_string(&p.competencies).unwrap_or_else(|_| "[]".into())
                ),
                form: Set(p.form.clone()),
                method: Set(p.method.clone()),
                jp: Set(p.jp),
                provider: Set(Some(p.provider.clone())),
                description: Set(None),
                archived: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    if rule::Entity::find().count(db).await? == 0 {
        for r in &defaults.rules {
            rule::ActiveModel {
                code: Set(r.code.clone()),
                name: Set(r.name.clone()),
                definition: Set(serde_json::to_string(&r.definition).unwrap_or_default()),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CompetencyView {
    pub code: String,
    pub name: String,
    /// `teknis`, `manajerial` or `sosial_kultural`.
    pub kind: String,
    pub description: Option<String>,
    /// Default `false`.
    #[serde(default)]
    pub archived: bool,
}

impl From<&competency::Model> for CompetencyView {
    fn from(m: &competency::Model) -> Self {
        CompetencyView {
            code: m.code.clone(),
            name: m.name.clone(),
            kind: m.kind.clone(),
            description: m.description.clone(),
            archived: m.archived,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProgrammeView {
    pub code: String,
    pub name: String,
    pub competencies: Vec<String>,
    /// `klasikal` or `nonklasikal`.
    pub form: String,
    pub method: String,
    /// JP per participant.
    pub jp: i32,
    pub provider: Option<String>,
    pub description: Option<String>,
    /// Default `false`.
    #[serde(default)]
    pub archived: bool,
}

impl From<&programme::Model> for ProgrammeView {
    fn from(m: &programme::Model) -> Self {
        ProgrammeView {
            code: m.code.clone(),
            name: m.name.clone(),
            competencies: serde_json::from_str(&m.competencies).unwrap_or_default(),
            form: m.form.clone(),
            method: m.method.clone(),
            jp: m.jp,
            provider: m.provider.clone(),
            description: m.description.clone(),
            archived: m.archived,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RuleView {
    pub code: String,
    pub name: String,
    pub active: bool,
    pub definition: RuleDef,
}

pub fn rule_view(m: &rule::Model) -> Result<RuleView, DbErr> {
    Ok(RuleView {
        code: m.code.clone(),
        name: m.name.clone(),
        active: m.active,
        definition: parse_rule(m)?,
    })
}

pub fn parse_rule(m: &rule::Model) -> Result<RuleDef, DbErr> {
    serde_json::from_str(&m.definition)
        .map_err(|e| DbErr::Custom(format!("rule {} is not valid JSON: {e}", m.code)))
}

pub async fn competencies(db: &impl ConnectionTrait) -> Result<Vec<competency::Model>, DbErr> {
    competency::Entity::find()
        .order_by_asc(competency::Column::Kind)
        .order_by_asc(competency::Column::Name)
        .all(db)
        .await
}

pub async fn competency_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<competency::Model>, DbErr> {
    competency::Entity::find()
        .filter(competency::Column::Code.eq(code))
        .one(db)
        .await
}

pub async fn save_competency(
    db: &impl ConnectionTrait,
    existing: Option<competency::Model>,
    v: &CompetencyView,
) -> Result<competency::Model, DbErr> {
    let mut m = match existing {
        Some(e) => e.into_active_model(),
        None => competency::ActiveModel {
            code: Set(v.code.clone()),
            ..Default::default()
        },
    };
    m.name = Set(v.name.clone());
    m.kind = Set(v.kind.clone());
    m.description = Set(v.description.clone());
    m.archived = Set(v.archived);
    m.save(db).await?.try_into_model()
}

pub async fn programmes(db: &impl ConnectionTrait) -> Result<Vec<programme::Model>, DbErr> {
    programme::Entity::find()
        .order_by_asc(programme::Column::Name)
        .all(db)
        .await
}

pub async fn programme_by_id(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<programme::Model>, DbErr> {
    programme::Entity::find_by_id(id).one(db).await
}

pub async fn programme_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<programme::Model>, DbErr> {
    programme::Entity::find()
        .filter(programme::Column::Code.eq(code))
        .one(db)
        .await
}

pub async fn save_programme(
    db: &impl ConnectionTrait,
    existing: Option<programme::Model>,
    v: &ProgrammeView,
) -> Result<programme::Model, DbErr> {
    let now = Utc::now();
    let mut m = match existing {
        Some(e) => e.into_active_model(),
        None => programme::ActiveModel {
            code: Set(v.code.clone()),
            created_at: Set(now),
            ..Default::default()
        },
    };
    m.name = Set(v.name.clone());
    m.competencies = Set(serde_json::to_string(&v.competencies).unwrap_or_else(|_| "[]".into()));
    m.form = Set(v.form.clone());
    m.method = Set(v.method.clone());
    m.jp = Set(v.jp);
    m.provider = Set(v.provider.clone());
    m.description = Set(v.description.clone());
    m.archived = Set(v.archived);
    m.updated_at = Set(now);
    m.save(db).await?.try_into_model()
}

pub async fn rules(db: &impl ConnectionTrait) -> Result<Vec<rule::Model>, DbErr> {
    rule::Entity::find()
        .order_by_asc(rule::Column::Code)
        .all(db)
        .await
}

pub async fn rule_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<rule::Model>, DbErr> {
    rule::Entity::find()
        .filter(rule::Column::Code.eq(code))
        .one(db)
        .await
}

pub async fn save_rule(
    db: &impl ConnectionTrait,
    existing: Option<rule::Model>,
    code: &str,
    name: &str,
    active: bool,
    def: &RuleDef,
) -> Result<rule::Model, DbErr> {
    let now = Utc::now();
    let mut m = match existing {
        Some(e) => e.into_active_model(),
        None => rule::ActiveModel {
            code: Set(code.to_string()),
            created_at: Set(now),
            ..Default::default()
        },
    };
    m.name = Set(name.to_string());
    m.active = Set(active);
    m.definition = Set(serde_json::to_string(def).map_err(|e| DbErr::Custom(e.to_string()))?);
    m.updated_at = Set(now);
    m.save(db).await?.try_into_model()
}
