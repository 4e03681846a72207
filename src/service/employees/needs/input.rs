//! What a needs round takes and answers: the shapes, the check of a need against the catalogue.
use serde::{Deserialize, Serialize};

use crate::domain::validation::{Problems, short_text};
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::store;

/// Days a personal link stays open.
pub(super) const LINK_DAYS: i64 = 30;
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

pub(super) async fn competency_codes(state: &ServiceContext) -> Result<Vec<String>, ServiceError> {
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
