//! Recommendations: the engine's findings kept with their lifecycle and audit log.
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Utc};
use entity::{training_event as event, training_recommendation as rec};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set,
};
use serde::Serialize;

use super::catalogue::{self, ProgrammeView};
use crate::domain::calendar::fmt_wib;
use crate::domain::training::engine::level_id;
use crate::domain::training::impact::impact_windows;
use crate::domain::training::lifecycle::{Status, actions};
use crate::domain::training::{Finding, Impact, RuleDef, evaluate_impact};
use crate::store;
use crate::store::units::UnitView;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecView {
    pub id: i32,
    pub unit: String,
    pub unit_name: String,
    pub agency: String,
    pub staff_count: Option<i32>,
    pub rule: String,
    pub rule_name: String,
    pub programme: ProgrammeView,
    /// `proposed`, `accepted`, `dismissed`, `scheduled` or `completed`.
    pub status: String,
    pub priority: f64,
    /// `high`, `medium` or `low`.
    pub level: String,
    pub level_label: String,
    pub finding: Finding,
    pub dismiss_reason: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub participants: Option<i32>,
    pub jp: Option<i32>,
    pub completed_on: Option<NaiveDate>,
    /// When the after-training window closes and the impact is measured.
    pub evaluation_due: Option<NaiveDate>,
    pub impact: Option<Impact>,
    pub impact_label: Option<String>,
    /// What may be done next (for planners and administrators).
    pub actions: Vec<String>,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub at: chrono::DateTime<Utc>,
    /// `at` in WIB, for people.
    pub when: String,
    pub actor: String,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub body: Option<String>,
}

/// Everything needed to turn rows into views, read once per request.
pub struct Lookup {
    pub units: HashMap<i32, UnitView>,
    pub rules: HashMap<i32, entity::training_rule::Model>,
    pub programmes: HashMap<i32, entity::training_programme::Model>,
}

impl Lookup {
    pub async fn load(db: &impl ConnectionTrait) -> Result<Lookup, DbErr> {
        Ok(Lookup {
            units: store::units::list(db, true)
                .await?
                .into_iter()
                .map(|u| (u.id, u))
                .collect(),
            rules: catalogue::rules(db)
                .await?
                .into_iter()
                .map(|r| (r.id, r))
                .collect(),
            programmes: catalogue::programmes(db)
                .await?
                .into_iter()
                .map(|p| (p.id, p))
                .collect(),
        })
    }

    pub fn view(&self, m: &rec::Model, after_days: u32) -> Option<RecView> {
        let u = self.units.get(&m.unit_id)?;
        let r = self.rules.get(&m.rule_id)?;
        let p = self.programmes.get(&m.programme_id)?;
        let status = Status::parse(&m.status)?;
        Some(RecView {
            id: m.id,
            unit: u.slug.clone(),
            unit_name: u.name.clone(),
            agency: u.agency.name.clone(),
            staff_count: u.staff_count,
            rule: r.code.clone(),
            rule_name: r.name.clone(),
            programme: p.into(),
            status: m.status.clone(),
            priority: m.priority,
            level: m.level.clone(),
            level_label: level_id(&m.level).into(),
            finding: serde_json::from_str(&m.finding).ok()?,
            dismiss_reason: m.dismiss_reason.clone(),
            start_date: m.start_date,
            end_date: m.end_date,
            participants: m.participants,
            jp: m.jp,
            completed_on: m.completed_on,
            evaluation_due: m
                .completed_on
                .map(|c| c + chrono::Duration::days(after_days as i64 + 1)),
            impact: m
                .impact
                .as_deref()
                .and_then(|i| serde_json::from_str(i).ok()),
            impact_label: m.impact_label.clone(),
            actions: actions(status)
                .iter()
                .map(|a| a.as_str().to_string())
                .collect(),
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

#[derive(Debug, Default)]
pub struct Filter {
    pub status: Option<String>,
    pub unit_ids: Option<Vec<i32>>,
    pub level: Option<String>,
}

/// Highest priority first, then newest.
pub async fn list(db: &impl ConnectionTrait, f: &Filter) -> Result<Vec<rec::Model>, DbErr> {
    let mut q = rec::Entity::find()
        .order_by_desc(rec::Column::Priority)
        .order_by_desc(rec::Column::Id);
    if let Some(s) = &f.status {
        q = q.filter(rec::Column::Status.eq(s.clone()));
    }
    if let Some(ids) = &f.unit_ids {
        q = q.filter(rec::Column::UnitId.is_in(ids.clone()));
    }
    if let Some(l) = &f.level {
        q = q.filter(rec::Column::Level.eq(l.clone()));
    }
    q.all(db).await
}

pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<rec::Model>, DbErr> {
    rec::Entity::find_by_id(id).one(db).await
}

pub struct NewEvent<'a> {
    pub recommendation_id: i32,
    pub actor_user_id: Option<i32>,
    pub actor_label: &'a str,
    pub kind: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub body: Option<String>,
}

pub async fn add_event(db: &impl ConnectionTrait, e: NewEvent<'_>) -> Result<(), DbErr> {
    event::ActiveModel {
        recommendation_id: Set(e.recommendation_id),
        at: Set(Utc::now()),
        actor_user_id: Set(e.actor_user_id),
        actor_label: Set(e.actor_label.to_string()),
        kind: Set(e.kind.to_string()),
        from_status: Set(e.from_status.map(str::to_string)),
        to_status: Set(e.to_status.map(str::to_string)),
        body: Set(e.body),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn events(db: &impl ConnectionTrait, id: i32) -> Result<Vec<EventView>, DbErr> {
    Ok(event::Entity::find()
        .filter(event::Column::RecommendationId.eq(id))
        .order_by_asc(event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| EventView {
            when: fmt_wib(e.at),
            at: e.at,
            actor: e.actor_label,
            kind: e.kind,
            from_status: e.from_status,
            to_status: e.to_status,
            body: e.body,
        })
        .collect())
}

pub async fn save(db: &impl ConnectionTrait, m: rec::ActiveModel) -> Result<rec::Model, DbErr> {
    m.update(db).await
}

/// The key that keeps one open recommendation per unit and rule.
pub fn open_key(unit_id: i32, rule_id: i32) -> String {
    format!("{unit_id}:{rule_id}")
}

/// What a withdrawn recommendation says to its readers.
const WITHDRAWN: &str = "Sinyal tidak lagi memenuhi syarat (ditarik otomatis)";

/// Every recommendation, open or closed.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<rec::Model>, DbErr> {
    rec::Entity::find().all(db).await
}

/// Brings an open proposal's evidence up to date (an audit entry when its level changed).
pub async fn refresh(
    db: &impl ConnectionTrait,
    existing: &rec::Model,
    f: &Finding,
) -> Result<(), DbErr> {
    let level_changed = existing.level != f.level;
    let mut m = existing.clone().into_active_model();
    m.priority = Set(f.priority);
    m.level = Set(f.level.clone());
    m.finding = Set(serde_json::to_string(f).map_err(|e| DbErr::Custom(e.to_string()))?);
    m.updated_at = Set(Utc::now());
    m.update(db).await?;
    if level_changed {
        add_event(
            db,
            NewEvent {
                recommendation_id: existing.id,
                actor_user_id: None,
                actor_label: "Suara",
                kind: "refreshed",
                from_status: None,
                to_status: None,
                body: Some(f.explanation_id.clone()),
            },
        )
        .await?;
    }
    Ok(())
}

/// Proposes a programme for a unit; `false` when another process proposed it a moment ago.
pub async fn propose(
    db: &sea_orm::DatabaseConnection,
    unit_id: i32,
    r: &entity::training_rule::Model,
    programme_id: i32,
    def: &RuleDef,
    f: &Finding,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let txn = crate::store::begin_write(db).await?;
    let res = rec::ActiveModel {
        unit_id: Set(unit_id),
        rule_id: Set(r.id),
        programme_id: Set(programme_id),
        status: Set("proposed".into()),
        open_key: Set(Some(open_key(unit_id, r.id))),
        priority: Set(f.priority),
        level: Set(f.level.clone()),
        finding: Set(serde_json::to_string(f).map_err(|e| DbErr::Custom(e.to_string()))?),
        rule_snapshot: Set(serde_json::to_string(def).map_err(|e| DbErr::Custom(e.to_string()))?),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let m = match res {
        Ok(m) => m,
        // Another process proposed it a moment ago.
        Err(e) if store::is_unique_violation(&e) => return Ok(false),
        Err(e) => return Err(e),
    };
    add_event(
        &txn,
        NewEvent {
            recommendation_id: m.id,
            actor_user_id: None,
            actor_label: "Suara",
            kind: "proposed",
            from_status: None,
            to_status: Some("proposed"),
            body: Some(f.explanation_id.clone()),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Dismisses a proposal whose signal went away, marked as the engine's doing.
pub async fn withdraw(db: &impl ConnectionTrait, existing: &rec::Model) -> Result<(), DbErr> {
    let mut m = existing.clone().into_active_model();
    m.status = Set("dismissed".into());
    m.open_key = Set(None);
    m.dismiss_reason = Set(Some(WITHDRAWN.into()));
    m.withdrawn = Set(true);
    m.updated_at = Set(Utc::now());
    m.update(db).await?;
    add_event(
        db,
        NewEvent {
            recommendation_id: existing.id,
            actor_user_id: None,
            actor_label: "Suara",
            kind: "withdrawn",
            from_status: Some("proposed"),
            to_status: Some("dismissed"),
            body: Some(WITHDRAWN.into()),
        },
    )
    .await
}

/// Measures every completed training whose after-window has closed and that has no impact yet.
/// Signals are read through `read` (a replica may serve them); the verdicts are written to `db`.
pub async fn evaluate_due(
    db: &impl ConnectionTrait,
    read: &impl ConnectionTrait,
    today: NaiveDate,
    before_days: u32,
    after_days: u32,
) -> Result<u32, DbErr> {
    let due = rec::Entity::find()
        .filter(rec::Column::Status.eq("completed"))
        .filter(rec::Column::Impact.is_null())
        .all(db)
        .await?;
    let mut n = 0;
    let names = super::signals::category_names(db).await?;
    for r in due {
        let Some(done) = r.completed_on else { continue };
        let start = r.start_date.unwrap_or(done);
        let ((bf, bt), (af, at)) = impact_windows(start, done, before_days, after_days);
        if at >= today {
            continue;
        }
        let Some(unit) = store::units::by_id(db, r.unit_id).await? else {
            continue;
        };
        let def: RuleDef = serde_json::from_str(&r.rule_snapshot)
            .map_err(|e| DbErr::Custom(format!("recommendation {}: {e}", r.id)))?;
        let before = super::signals::window(read, r.unit_id, bf, bt, today).await?;
        let after = super::signals::window(read, r.unit_id, af, at, today).await?;
        let mv = unit.monthly_visitors.filter(|v| *v > 0).map(|v| v as u64);
        let impact = evaluate_impact(&def, &before, &after, mv, &names);
        let mut m = r.clone().into_active_model();
        m.impact = Set(Some(
            serde_json::to_string(&impact).map_err(|e| DbErr::Custom(e.to_string()))?,
        ));
        m.impact_label = Set(Some(impact.label.as_str().into()));
        m.evaluated_at = Set(Some(Utc::now()));
        m.updated_at = Set(Utc::now());
        m.update(db).await?;
        add_event(
            db,
            NewEvent {
                recommendation_id: r.id,
                actor_user_id: None,
                actor_label: "Suara",
                kind: "evaluated",
                from_status: None,
                to_status: None,
                body: Some(impact.text_id.clone()),
            },
        )
        .await?;
        n += 1;
    }
    Ok(n)
}

/// How often each programme was judged not effective: a prompt to review its content and method.
pub async fn programme_reviews(db: &impl ConnectionTrait) -> Result<HashMap<i32, u32>, DbErr> {
    let mut out = HashMap::new();
    for r in rec::Entity::find()
        .filter(rec::Column::ImpactLabel.is_in(["no_significant_change", "worse"]))
        .all(db)
        .await?
    {
        *out.entry(r.programme_id).or_default() += 1;
    }
    Ok(out)
}

/// Accepted, scheduled and completed recommendations that belong to `year`'s plan: by their
/// start date, or (accepted, not yet dated) the year they were accepted in.
pub async fn for_plan(db: &impl ConnectionTrait, year: i32) -> Result<Vec<rec::Model>, DbErr> {
    Ok(rec::Entity::find()
        .filter(rec::Column::Status.is_in(["accepted", "scheduled", "completed"]))
        .order_by_asc(rec::Column::StartDate)
        .all(db)
        .await?
        .into_iter()
        .filter(|r| match r.start_date {
            Some(d) => d.year() == year,
            None => r.updated_at.year() == year,
        })
        .collect())
}
