//! The supervisor's side: who answered, what was said, the confirmation that plans the JP, and a
//! colleague's link.
use std::collections::HashMap;

use chrono::{Duration, Utc};
use sea_orm::Set;
use serde::Deserialize;

use super::input::{
    CompetencyNeed, LINK_DAYS, NeedIn, NeedView, PersonStatus, RoundLink, RoundStatus, check_need,
    competency_codes,
};
use crate::domain::validation::{Problems, short_text};
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::store;

fn view(n: &entity::need::Model) -> NeedView {
    NeedView {
        competencies: serde_json::from_str(&n.competencies).unwrap_or_default(),
        wish: n.wish.clone(),
        method: n.method.clone(),
        programme: n.programme_code.clone(),
        course: n.course.clone(),
        jp: n.jp,
    }
}

async fn round_for(
    state: &ServiceContext,
    user: &CurrentUser,
    id: &str,
) -> Result<(entity::need_round::Model, entity::unit::Model), ServiceError> {
    let round = match id.parse::<i32>() {
        Ok(i) => store::needs::round_by_id(&state.db, i).await?,
        Err(_) => None,
    }
    .ok_or(ServiceError::NotFound)?;
    let unit = store::units::by_id(&state.db, round.unit_id)
        .await?
        .filter(|u| user.sees_unit(u.id))
        .ok_or(ServiceError::NotFound)?;
    Ok((round, unit))
}

/// Whether this user sees round `id` (404 otherwise), without reading its answers: what the
/// web edge asks before it reads a body.
pub async fn seen_round(
    state: &ServiceContext,
    user: &CurrentUser,
    id: &str,
) -> Result<(), ServiceError> {
    round_for(state, user, id).await.map(|_| ())
}

/// Who answered the round and what was said and confirmed.
pub async fn status(
    state: &ServiceContext,
    user: &CurrentUser,
    id: &str,
) -> Result<RoundStatus, ServiceError> {
    let (round, unit) = round_for(state, user, id).await?;
    let needs = store::needs::needs(&state.db, round.id).await?;
    let mut by: HashMap<(i32, &str), &entity::need::Model> = HashMap::new();
    for n in &needs {
        by.insert((n.employee_id, n.author.as_str()), n);
    }
    let people: Vec<PersonStatus> = store::employees::by_unit(&state.db, unit.id, false)
        .await?
        .into_iter()
        .map(|e| PersonStatus {
            employee_id: e.id,
            answered: by.contains_key(&(e.id, "self")),
            own: by.get(&(e.id, "self")).map(|n| view(n)),
            colleague: by.get(&(e.id, "colleague")).map(|n| view(n)),
            confirmed: by.get(&(e.id, "supervisor")).map(|n| view(n)),
            name: e.name,
        })
        .collect();
    Ok(RoundStatus {
        id: round.id,
        unit: unit.slug,
        year: round.year,
        answered: people.iter().filter(|p| p.answered).count(),
        people,
    })
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ConfirmIn {
    pub employee_id: Option<i32>,
    /// The supervisor's view of the competencies (kept as the employee's when left out).
    #[serde(default)]
    pub competencies: Vec<CompetencyNeed>,
    pub wish: Option<String>,
    pub method: Option<String>,
    /// A catalogue programme (its JP counts) …
    pub programme: Option<String>,
    /// … or a course named by the supervisor with its JP.
    pub course: Option<String>,
    pub jp: Option<i32>,
}

/// The supervisor confirms (or adds) a person's need with what will answer it.
pub async fn confirm(
    state: &ServiceContext,
    user: &CurrentUser,
    id: &str,
    c: &ConfirmIn,
) -> Result<RoundStatus, ServiceError> {
    let (round, unit) = round_for(state, user, id).await?;
    if !user.acts_on_unit(unit.id) {
        return Err(ServiceError::Forbidden);
    }
    let mut p = Problems::new();
    let employee = match c.employee_id {
        Some(e) => store::employees::by_id(&state.db, e)
            .await?
            .filter(|e| e.unit_id == unit.id),
        None => None,
    };
    if employee.is_none() {
        p.insert("employee_id".into(), "v_choice");
    }
    let programme = match c
        .programme
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => match store::training::catalogue::programme_by_code(&state.db, code).await? {
            Some(pr) => Some(pr),
            None => {
                p.insert("programme".into(), "v_choice");
                None
            }
        },
        None => None,
    };
    let course = short_text("course", &c.course, 200, false, &mut p);
    let jp = match (&programme, c.jp) {
        (_, Some(j)) if !(1..=200).contains(&j) => {
            p.insert("jp".into(), "v_range");
            None
        }
        (_, Some(j)) => Some(j),
        (Some(pr), None) => Some(pr.jp),
        (None, None) => None,
    };
    if programme.is_none() && course.is_none() && p.is_empty() {
        p.insert("programme".into(), "v_required");
    }
    if course.is_some() && programme.is_none() && jp.is_none() {
        p.insert("jp".into(), "v_required");
    }
    let known = competency_codes(state).await?;
    let need = NeedIn {
        competencies: c.competencies.clone(),
        wish: c.wish.clone(),
        method: c.method.clone(),
    };
    let checked = check_need(&need, &known, false);
    if let Err(more) = &checked {
        p.extend(more.iter().map(|(k, v)| (k.clone(), *v)));
    }
    let (Some(employee), Ok((competencies, wish, method)), true) =
        (employee, checked, p.is_empty())
    else {
        return Err(ServiceError::Problems(p));
    };
    let txn = store::begin_write(&state.db).await?;
    store::needs::save_need(
        &txn,
        (round.id, employee.id, "supervisor"),
        entity::need::ActiveModel {
            competencies: Set(competencies),
            wish: Set(wish),
            method: Set(method),
            programme_code: Set(programme.map(|p| p.code)),
            course: Set(course),
            jp: Set(jp),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    status(state, user, id).await
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ColleagueIn {
    /// Whose needs the colleague gives their view of.
    pub employee_id: Option<i32>,
}

/// A one-time link for a colleague to add their view of an employee's needs (shown once).
pub async fn colleague_link(
    state: &ServiceContext,
    user: &CurrentUser,
    id: &str,
    c: &ColleagueIn,
) -> Result<RoundLink, ServiceError> {
    let (round, unit) = round_for(state, user, id).await?;
    if !user.acts_on_unit(unit.id) {
        return Err(ServiceError::Forbidden);
    }
    let employee = match c.employee_id {
        Some(e) => store::employees::by_id(&state.db, e)
            .await?
            .filter(|e| e.unit_id == unit.id && e.archived_at.is_none()),
        None => None,
    }
    .ok_or_else(|| ServiceError::invalid("employee_id", "v_choice"))?;
    let token = crate::security::random_token(16);
    let expires = Utc::now() + Duration::days(LINK_DAYS);
    let txn = store::begin_write(&state.db).await?;
    store::needs::new_link(
        &txn,
        (round.id, employee.id, "colleague"),
        &crate::security::sha256_hex(&token),
        expires,
    )
    .await?;
    txn.commit().await?;
    Ok(RoundLink {
        employee_id: employee.id,
        name: employee.name,
        url: format!(
            "{}/n/{token}",
            state.settings.base_url.trim_end_matches('/')
        ),
        emailed: false,
    })
}

/// Unit `slug`'s round of `year`, if one was opened.
pub async fn round_of(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    year: i32,
) -> Result<Option<RoundStatus>, ServiceError> {
    let unit = crate::service::follow_ups::seen_unit(state, user, slug).await?;
    match store::needs::round(&state.db, unit.id, year).await? {
        Some(r) => Ok(Some(status(state, user, &r.id.to_string()).await?)),
        None => Ok(None),
    }
}
