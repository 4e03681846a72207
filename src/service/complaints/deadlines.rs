//! Deadlines over many complaints: the dashboard's counts, and the holiday calendar, whose
//! changes move the working-day deadlines of every complaint still running.
use chrono::{NaiveDate, Utc};
use sea_orm::{ConnectionTrait, IntoActiveModel, Set};
use serde::Serialize;

use super::*;
use crate::domain::deadline_shift::{describe, recount};
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::{CurrentUser, Role};
use crate::service::today_wib;
use crate::store;
use crate::store::complaints::Event;

/// What the supervisor's dashboard counts, within the caller's units.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DashboardCounts {
    /// Received and not yet verified.
    pub new: i64,
    /// Running complaints whose next deadline is today (WIB).
    pub due_today: i64,
    /// Running complaints whose next deadline has passed.
    pub overdue: i64,
}

pub async fn dashboard_counts(
    state: &ServiceContext,
    user: &CurrentUser,
) -> Result<DashboardCounts, ServiceError> {
    let scope = (user.role == Role::Supervisor).then(|| user.unit_ids.clone());
    let (new, due_today, overdue) =
        store::complaint_deadlines::deadline_counts(&state.db, scope.as_deref(), today_wib())
            .await?;
    Ok(DashboardCounts {
        new,
        due_today,
        overdue,
    })
}

/// Adds (or renames) a holiday and moves the deadlines it reaches, in one transaction.
/// Returns how many complaints' deadlines moved.
pub async fn set_holiday(
    state: &ServiceContext,
    user: &CurrentUser,
    day: NaiveDate,
    name: &str,
    kind: &str,
) -> Result<usize, ServiceError> {
    user.require_admin()?;
    let txn = crate::store::begin_write(&state.db).await?;
    store::complaints::set_holiday(&txn, day, name, kind).await?;
    let n = recount_across(&txn, user, day, true).await?;
    txn.commit().await?;
    Ok(n)
}

/// Removes a holiday and moves the deadlines it held back, in one transaction. `None`: there
/// was no such holiday.
pub async fn remove_holiday(
    state: &ServiceContext,
    user: &CurrentUser,
    day: NaiveDate,
) -> Result<Option<usize>, ServiceError> {
    user.require_admin()?;
    let txn = crate::store::begin_write(&state.db).await?;
    if !store::complaints::delete_holiday(&txn, day).await? {
        return Ok(None);
    }
    let n = recount_across(&txn, user, day, false).await?;
    txn.commit().await?;
    Ok(Some(n))
}

/// Counts again, under the calendar as it now stands in `txn`, the deadlines of the running
/// complaints filed before `day` whose deadlines reach it, and records each move in the
/// complaint's history (an internal entry: the citizen sees the new next deadline itself).
/// Overdue flags are derived from these dates (`next_deadline`), so they follow.
async fn recount_across(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    day: NaiveDate,
    added: bool,
) -> Result<usize, ServiceError> {
    let cal = store::complaints::calendar(txn).await?;
    let cats = store::complaints::all_categories(txn).await?;
    let mut n = 0;
    for c in store::complaint_deadlines::running_across(txn, day).await? {
        let Some(cat) = cats.get(&c.category_id) else {
            continue;
        };
        let received_on = wib_date(c.created_at);
        let days = cat.resolve_days.max(1) as u32;
        let Some((new, moved)) = recount(&cal, received_on, days, &dl(&c)) else {
            continue;
        };
        let mut m = c.clone().into_active_model();
        m.due_verify = Set(new.verify);
        m.due_first_response = Set(new.first_response);
        m.due_resolve = Set(new.resolve);
        m.updated_at = Set(Utc::now());
        store::complaints::save(txn, m).await?;
        store::complaints::add_event(
            txn,
            Event {
                complaint_id: c.id,
                actor_user_id: Some(user.id),
                actor_label: &user.name,
                kind: "deadline",
                from_status: None,
                to_status: None,
                body: Some(&describe(day, added, &moved)),
                public: false,
            },
        )
        .await?;
        n += 1;
    }
    Ok(n)
}
