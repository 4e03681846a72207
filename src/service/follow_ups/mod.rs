//! Follow-up plans (rencana tindak lanjut, RTL): a unit's items per SKM period, created by hand
//! or drafted from the evidence (the two lowest-NRR elements of a closed period), tracked to
//! done with a history of changes. Supervisors of the unit, planners and administrators; a 404
//! for anyone else, whatever the reason.
mod access;
mod draft;
mod effect;
mod from_training;
mod input;
mod pekppp;

pub use draft::*;
pub use effect::{Effect, effect as effect_of};
pub use from_training::item_for_recommendation;
pub use input::*;
pub use pekppp::*;

use chrono::{Datelike, NaiveDate, Utc};
use entity::follow_up;
use sea_orm::{IntoActiveModel, Set};
use serde::Serialize;

use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::service::today_wib;
use crate::store;
pub use access::seen_unit;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Owner {
    pub name: Option<String>,
    pub position: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Evidence {
    pub text: Option<String>,
    pub link: Option<String>,
    /// A file of evidence, when one was uploaded: its name, kind and size in words, and where
    /// staff who see the unit open it.
    pub file: Option<EvidenceFile>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EvidenceFile {
    pub name: String,
    pub content_type: String,
    pub url: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    pub at: chrono::DateTime<Utc>,
    pub actor: String,
    /// The fields that changed, with their new values.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
}

/// A follow-up item as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FollowUpOut {
    pub id: i32,
    /// The unit's slug.
    pub unit: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub title: String,
    pub kind: String,
    pub elements: Vec<String>,
    pub categories: Vec<String>,
    pub owner: Owner,
    pub due_on: Option<NaiveDate>,
    pub status: String,
    pub progress: i32,
    pub evidence: Evidence,
    pub done_on: Option<NaiveDate>,
    /// The day the period's SKM report was signed, when recorded (else the day after the period).
    pub report_on: Option<NaiveDate>,
    /// The training recommendation a `training` item carries out, if any.
    pub recommendation_id: Option<i32>,
    /// For a drafted item: the numbers that justify it.
    pub justification: Option<String>,
    /// Past its due date and neither done nor cancelled.
    pub late: bool,
    /// For a done item answering elements: whether it moved them (before and after it was done).
    pub effect: Option<effect::Effect>,
    pub history: Vec<HistoryEntry>,
}

fn codes(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

async fn out(
    state: &ServiceContext,
    m: follow_up::Model,
    unit_slug: &str,
    lang: Lang,
) -> Result<FollowUpOut, ServiceError> {
    let effect = effect::effect(state, &m, lang).await?;
    let history = store::follow_ups::events(&state.db, m.id)
        .await?
        .into_iter()
        .map(|e| HistoryEntry {
            at: e.at,
            actor: e.actor_label,
            changes: serde_json::from_str(&e.changes).unwrap_or_default(),
        })
        .collect();
    let open = !matches!(m.status.as_str(), "done" | "cancelled");
    Ok(FollowUpOut {
        id: m.id,
        unit: unit_slug.to_string(),
        period_from: m.period_from,
        period_to: m.period_to,
        late: open && m.due_on.is_some_and(|d| d < today_wib()),
        effect,
        elements: codes(&m.elements),
        categories: codes(&m.categories),
        owner: Owner {
            name: m.owner_name,
            position: m.owner_position,
        },
        evidence: Evidence {
            text: m.evidence,
            link: m.evidence_link,
            file: m.evidence_file.as_ref().map(|_| EvidenceFile {
                name: m.evidence_file_name.clone().unwrap_or_default(),
                content_type: m.evidence_file_type.clone().unwrap_or_default(),
                url: format!("/staff/follow-ups/{}/evidence", m.id),
            }),
        },
        title: m.title,
        kind: m.kind,
        due_on: m.due_on,
        status: m.status,
        progress: m.progress,
        done_on: m.done_on,
        report_on: m.report_on,
        recommendation_id: m.recommendation_id,
        justification: m.justification,
        history,
    })
}

/// A unit's items, optionally those of periods ending in `year` and in `status`.
pub async fn list(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    year: Option<i32>,
    status: Option<&str>,
    lang: Lang,
) -> Result<Vec<FollowUpOut>, ServiceError> {
    let unit = seen_unit(state, user, slug).await?;
    if let Some(s) = status
        && !crate::domain::follow_up::STATUSES.contains(&s)
    {
        return Err(ServiceError::field("status", lang.t("v_choice")));
    }
    let within = match year {
        None => None,
        Some(y) => match (
            NaiveDate::from_ymd_opt(y, 1, 1),
            NaiveDate::from_ymd_opt(y, 12, 31),
        ) {
            (Some(a), Some(b)) if (2000..=2100).contains(&y) => Some((a, b)),
            _ => return Err(ServiceError::field("year", lang.t("v_range"))),
        },
    };
    let mut items = vec![];
    for m in store::follow_ups::for_unit(&state.db, unit.id, within, status).await? {
        items.push(out(state, m, &unit.slug, lang).await?);
    }
    Ok(items)
}

/// Creates an item by hand.
pub async fn create(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    input: &FollowUpIn,
    lang: Lang,
) -> Result<FollowUpOut, ServiceError> {
    let unit = seen_unit(state, user, slug).await?;
    let cats = category_codes(state).await?;
    let v = input.check(None, &cats, today_wib())?;
    let now = Utc::now();
    let txn = crate::store::begin_write(&state.db).await?;
    let mut m = follow_up::ActiveModel {
        unit_id: Set(unit.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    v.apply(&mut m);
    let saved = store::follow_ups::insert(&txn, m).await?;
    store::follow_ups::add_event(
        &txn,
        saved.id,
        Some(user.id),
        &user.name,
        &v.changes().to_string(),
    )
    .await?;
    txn.commit().await?;
    out(state, saved, &unit.slug, lang).await
}

/// An item the user may see, with its unit's slug; 404 otherwise.
pub async fn seen_item(
    state: &ServiceContext,
    user: &CurrentUser,
    id: &str,
) -> Result<(follow_up::Model, String), ServiceError> {
    let id: i32 = id.parse().map_err(|_| ServiceError::NotFound)?;
    let m = store::follow_ups::by_id(&state.db, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !user.sees_unit(m.unit_id) {
        return Err(ServiceError::NotFound);
    }
    let unit = store::units::by_id(&state.db, m.unit_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok((m, unit.slug))
}

pub async fn get(
    state: &ServiceContext,
    user: &CurrentUser,
    id: &str,
    lang: Lang,
) -> Result<FollowUpOut, ServiceError> {
    let (m, slug) = seen_item(state, user, id).await?;
    out(state, m, &slug, lang).await
}

/// Changes the fields given; the history records which became what.
pub async fn update(
    state: &ServiceContext,
    user: &CurrentUser,
    id: &str,
    input: &FollowUpIn,
    lang: Lang,
) -> Result<FollowUpOut, ServiceError> {
    let (m, slug) = seen_item(state, user, id).await?;
    let cats = category_codes(state).await?;
    let v = input.check(Some(&m), &cats, today_wib())?;
    let changes = v.changes();
    if changes.as_object().is_some_and(|o| o.is_empty()) {
        return out(state, m, &slug, lang).await;
    }
    let txn = crate::store::begin_write(&state.db).await?;
    let mut a = m.into_active_model();
    v.apply(&mut a);
    a.updated_at = Set(Utc::now());
    let saved = store::follow_ups::save(&txn, a).await?;
    store::follow_ups::add_event(
        &txn,
        saved.id,
        Some(user.id),
        &user.name,
        &changes.to_string(),
    )
    .await?;
    txn.commit().await?;
    out(state, saved, &slug, lang).await
}

async fn category_codes(state: &ServiceContext) -> Result<Vec<String>, ServiceError> {
    Ok(store::complaints::all_categories(&state.db)
        .await?
        .into_values()
        .map(|c| c.code)
        .collect())
}

/// The year a period counts for: the year its end date falls in.
pub fn period_year(period_to: NaiveDate) -> i32 {
    period_to.year()
}

/// Keeps `file` (already checked by content and written) as item `id`'s evidence file, replacing
/// any earlier one (whose file is removed).
pub async fn set_evidence_file(
    state: &ServiceContext,
    user: &CurrentUser,
    id: &str,
    file: &crate::service::complaints::StoredFile,
) -> Result<(), ServiceError> {
    let (m, _) = seen_item(state, user, id).await?;
    let old = m.evidence_file.clone();
    let txn = crate::store::begin_write(&state.db).await?;
    let mut a = m.clone().into_active_model();
    a.evidence_file = Set(Some(file.stored_name.clone()));
    a.evidence_file_name = Set(Some(file.filename.clone()));
    a.evidence_file_type = Set(Some(file.content_type.clone()));
    a.updated_at = Set(Utc::now());
    store::follow_ups::save(&txn, a).await?;
    let changes = serde_json::json!({"evidence_file": file.filename});
    store::follow_ups::add_event(&txn, m.id, Some(user.id), &user.name, &changes.to_string())
        .await?;
    txn.commit().await?;
    if let Some(old) = old {
        let _ = tokio::fs::remove_file(state.settings.attachments_dir.join(old)).await;
    }
    Ok(())
}

/// Item `id`'s evidence file (name, type, path on disk), for staff who see its unit.
pub async fn evidence_file(
    state: &ServiceContext,
    user: &CurrentUser,
    id: &str,
) -> Result<(String, String, std::path::PathBuf), ServiceError> {
    let (m, _) = seen_item(state, user, id).await?;
    let stored = m.evidence_file.ok_or(ServiceError::NotFound)?;
    Ok((
        m.evidence_file_name.unwrap_or_default(),
        m.evidence_file_type.unwrap_or_default(),
        state.settings.attachments_dir.join(stored),
    ))
}
