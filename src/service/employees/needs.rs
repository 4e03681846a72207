//! Needs from the staff themselves: a supervisor opens a round for a year and gets one personal,
//! one-time, expiring link per employee (to share by WhatsApp or print); the employee says on a
//! phone which competencies (up to three, current and needed level 1–4), what training would help
//! and how they would like to learn; the supervisor sees who answered and confirms a programme or
//! course with its JP, which then counts as planned for that person.
use std::collections::HashMap;

use chrono::{Duration, Utc};
use sea_orm::Set;
use serde::{Deserialize, Serialize};

use super::unit_kept;
use crate::domain::validation::{Problems, short_text};
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::store;

/// Days a personal link stays open.
const LINK_DAYS: i64 = 30;
pub const METHODS: [&str; 6] = [
    "elearning",
    "klasikal",
    "coaching",
    "mentoring",
    "workshop",
    "magang",
];

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RoundIn {
    pub year: Option<i32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoundLink {
    pub employee_id: i32,
    pub name: String,
    /// The personal link (shown once; share it by WhatsApp or print it with its QR).
    pub url: String,
    /// Also sent to the employee's e-mail address.
    pub emailed: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoundOut {
    pub id: i32,
    pub year: i32,
    /// New links for everyone who has not answered yet (earlier unanswered links stop working).
    pub links: Vec<RoundLink>,
}

/// One competency need: code from the catalogue, current and needed level (1–4).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CompetencyNeed {
    pub code: String,
    pub current: u8,
    pub needed: u8,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeedView {
    pub competencies: Vec<CompetencyNeed>,
    pub wish: Option<String>,
    pub method: Option<String>,
    pub programme: Option<String>,
    pub course: Option<String>,
    pub jp: Option<i32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonStatus {
    pub employee_id: i32,
    pub name: String,
    pub answered: bool,
    /// What they said.
    pub own: Option<NeedView>,
    /// A colleague's view, when one was asked.
    pub colleague: Option<NeedView>,
    /// What the supervisor confirmed.
    pub confirmed: Option<NeedView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoundStatus {
    pub id: i32,
    pub unit: String,
    pub year: i32,
    pub answered: usize,
    pub people: Vec<PersonStatus>,
}

/// Opens (or reopens) unit `slug`'s round for `year` and links everyone who has not answered.
pub async fn open_round(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    r: &RoundIn,
) -> Result<RoundOut, ServiceError> {
    let unit = unit_kept(state, user, slug).await?;
    let year = r
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&crate::service::today_wib()));
    if !(2000..=2100).contains(&year) {
        return Err(ServiceError::invalid("year", "v_range"));
    }
    let txn = store::begin_write(&state.db).await?;
    let round = match store::needs::round(&txn, unit.id, year).await? {
        Some(r) => r,
        None => store::needs::insert_round(&txn, unit.id, year).await?,
    };
    let answered: Vec<i32> = store::needs::needs(&txn, round.id)
        .await?
        .into_iter()
        .filter(|n| n.author == "self")
        .map(|n| n.employee_id)
        .collect();
    let base = state.settings.base_url.trim_end_matches('/').to_string();
    let mut links = vec![];
    for e in store::employees::by_unit(&txn, unit.id, false).await? {
        if answered.contains(&e.id) {
            continue;
        }
        let token = crate::security::random_token(16);
        let expires = Utc::now() + Duration::days(LINK_DAYS);
        store::needs::new_link(
            &txn,
            (round.id, e.id, "self"),
            &crate::security::sha256_hex(&token),
            expires,
        )
        .await?;
        let url = format!("{base}/n/{token}");
        // With an address, the link also goes by e-mail (written with the link, sent after).
        let emailed = match &e.email {
            Some(to) => {
                let mut ctx = tera::Context::new();
                ctx.insert("name", &e.name);
                ctx.insert("unit", &unit.name);
                ctx.insert("year", &year);
                ctx.insert("url", &url);
                let until = crate::domain::calendar::wib_date(expires);
                ctx.insert("until", &crate::domain::format::long_date(until, true));
                let (s, t, h) = state
                    .outbox
                    .compose("needs_link", crate::i18n::Lang::Id, &mut ctx)
                    .map_err(|e| ServiceError::Internal(e.into()))?;
                store::outbox::enqueue(&txn, "needs_link", to, &s, &t, &h).await?;
                true
            }
            None => false,
        };
        links.push(RoundLink {
            employee_id: e.id,
            name: e.name,
            url,
            emailed,
        });
    }
    txn.commit().await?;
    state.outbox.wake();
    Ok(RoundOut {
        id: round.id,
        year,
        links,
    })
}

/// What the employee's page shows: their name, the unit, the year, and whether the link still
/// takes an answer.
pub struct LinkView {
    /// Whose needs: the employee's own, or a colleague's view of them.
    pub colleague: bool,
    pub name: String,
    pub unit: String,
    pub year: i32,
    pub open: bool,
}

async fn link_of(
    state: &ServiceContext,
    token: &str,
) -> Result<(entity::need_link::Model, entity::need_round::Model), ServiceError> {
    let link = store::needs::link(&state.db, &crate::security::sha256_hex(token))
        .await?
        .ok_or(ServiceError::NotFound)?;
    let round = store::needs::round_by_id(&state.db, link.round_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok((link, round))
}

pub async fn link_view(state: &ServiceContext, token: &str) -> Result<LinkView, ServiceError> {
    let (link, round) = link_of(state, token).await?;
    let e = store::employees::by_id(&state.db, link.employee_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let unit = store::units::by_id(&state.db, round.unit_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(LinkView {
        colleague: link.author == "colleague",
        name: e.name,
        unit: unit.name,
        year: round.year,
        open: link.answered_at.is_none() && link.expires_at > Utc::now(),
    })
}

/// What an employee (or a supervisor) says: up to three competencies with levels, in words what
/// would help, a method.
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
pub struct NeedIn {
    pub competencies: Vec<CompetencyNeed>,
    pub wish: Option<String>,
    pub method: Option<String>,
}

/// A checked need: (competencies as JSON, wish, method).
pub type CheckedNeed = (String, Option<String>, Option<String>);

/// Checks a need against the catalogue's competency codes; an employee must say something
/// (`require_something`), a supervisor's confirmation may carry only the course.
pub fn check_need(
    n: &NeedIn,
    known: &[String],
    require_something: bool,
) -> Result<CheckedNeed, Problems> {
    let mut p = Problems::new();
    if n.competencies.len() > 3 {
        p.insert("competencies".into(), "v_need_three");
    }
    for (i, c) in n.competencies.iter().enumerate() {
        if !known.contains(&c.code) {
            p.insert(format!("competencies.{i}.code"), "v_choice");
        }
        if !(1..=4).contains(&c.current) {
            p.insert(format!("competencies.{i}.current"), "v_range");
        }
        if !(1..=4).contains(&c.needed) {
            p.insert(format!("competencies.{i}.needed"), "v_range");
        }
    }
    let wish = short_text("wish", &n.wish, 2000, false, &mut p);
    let method = short_text("method", &n.method, 20, false, &mut p);
    if method.as_deref().is_some_and(|m| !METHODS.contains(&m)) {
        p.insert("method".into(), "v_choice");
    }
    if require_something && n.competencies.is_empty() && wish.is_none() {
        p.insert("competencies".into(), "v_need_something");
    }
    if p.is_empty() {
        Ok((
            serde_json::to_string(&n.competencies).unwrap_or_else(|_| "[]".into()),
            wish,
            method,
        ))
    } else {
        Err(p)
    }
}

async fn competency_codes(state: &ServiceContext) -> Result<Vec<String>, ServiceError> {
    Ok(store::training::catalogue::competencies(&state.read)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect())
}

/// The catalogue's competencies (code, name) for the employee's page.
pub async fn competencies(state: &ServiceContext) -> Result<Vec<(String, String)>, ServiceError> {
    Ok(store::training::catalogue::competencies(&state.read)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect())
}

/// The employee's answer through their link: once. `Ok(false)` when the link had already been
/// answered (a double tap lands on the same thanks), problems per field otherwise.
pub async fn answer(state: &ServiceContext, token: &str, n: &NeedIn) -> Result<bool, ServiceError> {
    let (link, round) = link_of(state, token).await?;
    if link.expires_at <= Utc::now() && link.answered_at.is_none() {
        return Err(ServiceError::NotFound);
    }
    let known = competency_codes(state).await?;
    let (competencies, wish, method) =
        check_need(n, &known, true).map_err(ServiceError::Problems)?;
    let txn = store::begin_write(&state.db).await?;
    if !store::needs::close_link(&txn, link.id).await? {
        txn.rollback().await?;
        return Ok(false);
    }
    let author = if link.author == "colleague" {
        "colleague"
    } else {
        "self"
    };
    store::needs::save_need(
        &txn,
        (round.id, link.employee_id, author),
        entity::need::ActiveModel {
            competencies: Set(competencies),
            wish: Set(wish),
            method: Set(method),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

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
