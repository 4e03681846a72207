//! Who is short of the 20 JP a year: per unit, the share of its people at 20 JP planned and
//! done; the list of everyone below, for the planner who has to find them a course.
use serde::Serialize;

use super::{EmployeeOut, MIN_JP, list};
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::store;

#[derive(Debug, Serialize)]
pub struct UnitCoverage {
    pub slug: String,
    pub name: String,
    pub employees: usize,
    pub planned_20: usize,
    pub done_20: usize,
    /// Shares of the unit's people (0–1).
    pub planned_share: Option<f64>,
    pub done_share: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Short {
    pub unit: String,
    pub person: EmployeeOut,
}

#[derive(Debug, Serialize)]
pub struct Coverage {
    pub year: i32,
    pub units: Vec<UnitCoverage>,
    /// Everyone below 20 JP done, least first.
    pub short: Vec<Short>,
}

/// Coverage of every unit the user sees that has people.
pub async fn coverage(
    state: &ServiceContext,
    user: &CurrentUser,
    year: i32,
) -> Result<Coverage, ServiceError> {
    let mut units = vec![];
    let mut short = vec![];
    for u in store::units::list(&state.read, false).await? {
        if !user.sees_unit(u.id) {
            continue;
        }
        let people = list(state, user, &u.slug, Some(year)).await?;
        if people.is_empty() {
            continue;
        }
        let n = people.len();
        let planned = people.iter().filter(|p| p.jp_planned >= MIN_JP).count();
        let done = people.iter().filter(|p| p.jp_done >= MIN_JP).count();
        let share = |k: usize| Some(k as f64 / n as f64);
        units.push(UnitCoverage {
            slug: u.slug.clone(),
            name: u.name.clone(),
            employees: n,
            planned_20: planned,
            done_20: done,
            planned_share: share(planned),
            done_share: share(done),
        });
        short.extend(
            people
                .into_iter()
                .filter(|p| !p.meets_minimum)
                .map(|person| Short {
                    unit: u.name.clone(),
                    person,
                }),
        );
    }
    short.sort_by(|a, b| {
        a.person
            .jp_done
            .cmp(&b.person.jp_done)
            .then(a.person.name.cmp(&b.person.name))
    });
    Ok(Coverage { year, units, short })
}
