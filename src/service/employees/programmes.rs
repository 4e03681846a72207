//! Who takes part in a scheduled programme, and what people say after it: the participant's own
//! reflection through a one-time link (Kirkpatrick level 1) and their supervisor's rating of
//! the change at work (level 3), summed up beside the citizens' signal. Until a list is set, a
//! programme's participants are the unit's (active) employees.
use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::training::people::{PeopleEvaluation, summarise};
use crate::domain::validation::{Problems, short_text};
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::service::training::{decides, seen};
use crate::store;

/// Days a reflection link stays open.
const LINK_DAYS: i64 = 30;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParticipantOut {
    pub employee_id: i32,
    pub name: String,
    pub position: String,
    /// 1 (not useful) – 4 (very useful), from the participant.
    pub reaction: Option<i32>,
    pub reflection: Option<String>,
    /// 1 (no change) – 4 (clear change at work), from their supervisor.
    pub behaviour: Option<i32>,
    pub behaviour_note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParticipantsOut {
    pub recommendation_id: i32,
    /// True while no list was set: everyone in the unit counts as taking part.
    pub whole_unit: bool,
    pub participants: Vec<ParticipantOut>,
    pub evaluation: PeopleEvaluation,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ParticipantsIn {
    /// The unit's employees taking part (ids from `GET /api/v1/units/{slug}/employees`).
    #[schema(required = true, nullable = false)]
    pub employee_ids: Option<Vec<i32>>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct RatingIn {
    /// 1 no change · 2 a little · 3 a clear change · 4 a lasting change at work.
    #[schema(required = true, nullable = false)]
    pub behaviour: Option<i32>,
    pub note: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ReflectionIn {
    pub reaction: Option<String>,
    pub reflection: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReflectionLink {
    pub employee_id: i32,
    pub name: String,
    /// The personal link (shown once; share it by WhatsApp or print it).
    pub url: String,
    /// Also sent to the employee's e-mail address.
    pub emailed: bool,
}

/// The programme for someone who may set its people: planners and administrators, and the
/// unit's supervisors; 404 for anyone who does not see it.
async fn kept(
    state: &ServiceContext,
    user: &CurrentUser,
    id: i32,
) -> Result<entity::training_recommendation::Model, ServiceError> {
    let r = seen(state, user, id).await?;
    if decides(user) || user.acts_on_unit(r.unit_id) {
        Ok(r)
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// The participants, written down from the unit's employees when no list was set.
async fn materialise(
    db: &impl sea_orm::ConnectionTrait,
    r: &entity::training_recommendation::Model,
) -> Result<Vec<entity::programme_participant::Model>, ServiceError> {
    let rows = store::participants::of(db, r.id).await?;
    if !rows.is_empty() {
        return Ok(rows);
    }
    let everyone: Vec<i32> = store::employees::by_unit(db, r.unit_id, false)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    store::participants::add(db, r.id, &everyone).await?;
    Ok(store::participants::of(db, r.id).await?)
}

/// The programme's participants and what they and their supervisors said.
pub async fn participants(
    state: &ServiceContext,
    user: &CurrentUser,
    id: i32,
) -> Result<ParticipantsOut, ServiceError> {
    let r = seen(state, user, id).await?;
    let rows = store::participants::of(&state.read, r.id).await?;
    let people = store::employees::by_unit(&state.read, r.unit_id, true).await?;
    let whole_unit = rows.is_empty();
    let list: Vec<ParticipantOut> = if whole_unit {
        people
            .into_iter()
            .filter(|e| e.archived_at.is_none())
            .map(|e| ParticipantOut {
                employee_id: e.id,
                name: e.name,
                position: e.position,
                reaction: None,
                reflection: None,
                behaviour: None,
                behaviour_note: None,
            })
            .collect()
    } else {
        rows.into_iter()
            .filter_map(|p| {
                let e = people.iter().find(|e| e.id == p.employee_id)?;
                Some(ParticipantOut {
                    employee_id: e.id,
                    name: e.name.clone(),
                    position: e.position.clone(),
                    reaction: p.reaction,
                    reflection: p.reflection,
                    behaviour: p.behaviour,
                    behaviour_note: p.behaviour_note,
                })
            })
            .collect()
    };
    let scores: Vec<_> = list.iter().map(|p| (p.reaction, p.behaviour)).collect();
    Ok(ParticipantsOut {
        recommendation_id: r.id,
        whole_unit,
        evaluation: summarise(&scores),
        participants: list,
    })
}

/// Sets who takes part: the unit's active employees named (others are refused by field). Those
/// dropped lose what they had said about the programme.
pub async fn set_participants(
    state: &ServiceContext,
    user: &CurrentUser,
    id: i32,
    p: &ParticipantsIn,
) -> Result<ParticipantsOut, ServiceError> {
    let r = kept(state, user, id).await?;
    let Some(ids) = &p.employee_ids else {
        return Err(ServiceError::invalid("employee_ids", "v_required"));
    };
    let unit_people: Vec<i32> = store::employees::by_unit(&state.db, r.unit_id, false)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    if ids.is_empty() || ids.len() > 1000 || ids.iter().any(|i| !unit_people.contains(i)) {
        return Err(ServiceError::invalid("employee_ids", "v_participants"));
    }
    let txn = store::begin_write(&state.db).await?;
    store::participants::remove_others(&txn, r.id, ids).await?;
    store::participants::add(&txn, r.id, ids).await?;
    txn.commit().await?;
    participants(state, user, id).await
}

/// The programme's unit and name, as people read them.
async fn names(
    state: &ServiceContext,
    r: &entity::training_recommendation::Model,
) -> Result<(String, String), ServiceError> {
    let unit = store::units::by_id(&state.db, r.unit_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let programme = store::training::catalogue::programme_by_id(&state.db, r.programme_id)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    Ok((unit.name, programme))
}

fn completed(r: &entity::training_recommendation::Model) -> Result<(), ServiceError> {
    if r.status == "completed" {
        Ok(())
    } else {
        Err(ServiceError::Conflict(
            "The programme is not completed yet: people evaluate it afterwards.".into(),
        ))
    }
}

/// One personal reflection link per participant who has not reflected yet (earlier unused
/// links stop working). Only once the programme is completed.
pub async fn reflection_links(
    state: &ServiceContext,
    user: &CurrentUser,
    id: i32,
) -> Result<Vec<ReflectionLink>, ServiceError> {
    let r = kept(state, user, id).await?;
    completed(&r)?;
    let base = state.settings.base_url.trim_end_matches('/').to_string();
    let (unit, programme) = names(state, &r).await?;
    let txn = store::begin_write(&state.db).await?;
    let rows = materialise(&txn, &r).await?;
    let people = store::employees::by_unit(&txn, r.unit_id, true).await?;
    let mut links = vec![];
    for p in rows.into_iter().filter(|p| p.reflected_at.is_none()) {
        let Some(e) = people.iter().find(|e| e.id == p.employee_id) else {
            continue;
        };
        let token = crate::security::random_token(16);
        let expires = Utc::now() + Duration::days(LINK_DAYS);
        store::participants::set_link(&txn, p.id, &crate::security::sha256_hex(&token), expires)
            .await?;
        let url = format!("{base}/k/{token}");
        // With an address, the link also goes by e-mail (written with the link, sent after).
        let mut ctx = tera::Context::new();
        ctx.insert("programme", &programme);
        let link = super::PersonalLink {
            kind: "reflection_link",
            name: &e.name,
            unit: &unit,
            url: &url,
            expires,
        };
        let emailed = super::mail_link(state, &txn, e.email.as_deref(), &link, ctx).await?;
        links.push(ReflectionLink {
            employee_id: e.id,
            name: e.name.clone(),
            url,
            emailed,
        });
    }
    txn.commit().await?;
    state.outbox.wake();
    Ok(links)
}

/// The supervisor's rating of the change at work for one participant (they may revise it).
pub async fn rate(
    state: &ServiceContext,
    user: &CurrentUser,
    id: i32,
    employee_id: &str,
    rating: &RatingIn,
) -> Result<ParticipantsOut, ServiceError> {
    let r = seen(state, user, id).await?;
    // The change at work is the supervisor's to see: the unit's supervisors and admins.
    if !user.acts_on_unit(r.unit_id) {
        return Err(ServiceError::Forbidden);
    }
    let mut p = Problems::new();
    match rating.behaviour {
        Some(1..=4) => {}
        Some(_) => {
            p.insert("behaviour".into(), "v_range");
        }
        None => {
            p.insert("behaviour".into(), "v_required");
        }
    }
    let note = short_text("note", &rating.note, 2000, false, &mut p);
    if !p.is_empty() {
        return Err(ServiceError::Problems(p));
    }
    completed(&r)?;
    let txn = store::begin_write(&state.db).await?;
    let rows = materialise(&txn, &r).await?;
    let row = employee_id
        .parse::<i32>()
        .ok()
        .and_then(|e| rows.iter().find(|p| p.employee_id == e))
        .ok_or(ServiceError::NotFound)?;
    store::participants::rate(&txn, row.id, rating.behaviour.unwrap_or(1), note).await?;
    txn.commit().await?;
    participants(state, user, id).await
}

/// What the participant's page shows.
pub struct ReflectionView {
    pub name: String,
    pub programme: String,
    pub unit: String,
    pub open: bool,
}

async fn by_link(
    state: &ServiceContext,
    token: &str,
) -> Result<entity::programme_participant::Model, ServiceError> {
    store::participants::by_token(&state.db, &crate::security::sha256_hex(token))
        .await?
        .ok_or(ServiceError::NotFound)
}

pub async fn reflection_view(
    state: &ServiceContext,
    token: &str,
) -> Result<ReflectionView, ServiceError> {
    let p = by_link(state, token).await?;
    let r = store::training::recommendations::by_id(&state.db, p.recommendation_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let e = store::employees::by_id(&state.db, p.employee_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (unit, programme) = names(state, &r).await?;
    Ok(ReflectionView {
        name: e.name,
        programme,
        unit,
        open: p.reflected_at.is_none() && p.expires_at.is_some_and(|x| x > Utc::now()),
    })
}

/// The participant's reflection through their link: once. `Ok(false)` when it was already
/// given (a double tap lands on the same thanks); problems per field otherwise.
pub async fn reflect(
    state: &ServiceContext,
    token: &str,
    f: &ReflectionIn,
) -> Result<bool, ServiceError> {
    let p = by_link(state, token).await?;
    if p.reflected_at.is_some() {
        return Ok(false);
    }
    if p.expires_at.is_none_or(|x| x <= Utc::now()) {
        return Err(ServiceError::NotFound);
    }
    let mut problems = Problems::new();
    let reaction = match f.reaction.as_deref().map(str::trim) {
        Some(v @ ("1" | "2" | "3" | "4")) => v.parse().unwrap_or(1),
        Some("") | None => {
            problems.insert("reaction".into(), "v_required");
            0
        }
        Some(_) => {
            problems.insert("reaction".into(), "v_choice");
            0
        }
    };
    let reflection = short_text("reflection", &f.reflection, 2000, false, &mut problems);
    if !problems.is_empty() {
        return Err(ServiceError::Problems(problems));
    }
    let txn = store::begin_write(&state.db).await?;
    let stored = store::participants::reflect(&txn, p.id, reaction, reflection).await?;
    txn.commit().await?;
    Ok(stored)
}
