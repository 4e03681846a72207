//! The triage queue: filtered, sorted by next deadline and paged by the database.
use std::collections::HashMap;

use chrono::NaiveDate;
use entity::complaint;

use super::*;
use crate::domain::complaint::{is_overdue, next_deadline};
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::{CurrentUser, Role};
use crate::service::today_wib;
use crate::store;

/// The queue for a user, sorted by next deadline (overdue first), with counts per status.
pub struct QueueRow {
    pub c: complaint::Model,
    pub next: Option<NaiveDate>,
    pub overdue: bool,
}

pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    /// Complaints matching the filter, on every page.
    pub total: u64,
    /// Complaints per status within the caller's units.
    pub counts: HashMap<String, i64>,
}

pub async fn queue(
    state: &ServiceContext,
    user: &CurrentUser,
    f: store::complaints::QueueFilter,
    overdue_only: bool,
    page: u64,
    size: u64,
) -> Result<QueuePage, ServiceError> {
    let f = scoped_filter(user, f, overdue_only);
    let (rows, total) = queue_rows(state, &f, page, size).await?;
    let scope = (user.role == Role::Supervisor).then(|| user.unit_ids.clone());
    let counts = store::complaints::counts(&state.db, scope.as_deref())
        .await?
        .into_iter()
        .map(|(s, n)| (s.as_str().to_string(), n))
        .collect();
    Ok(QueuePage {
        rows,
        total,
        counts,
    })
}

/// The filter narrowed to the units the user may see, with the overdue cut-off of today.
pub fn scoped_filter(
    user: &CurrentUser,
    mut f: store::complaints::QueueFilter,
    overdue_only: bool,
) -> store::complaints::QueueFilter {
    let scope = match user.role {
        Role::Supervisor => Some(user.unit_ids.clone()),
        _ => None,
    };
    f.units = match (f.units.take(), &scope) {
        (Some(asked), Some(mine)) => Some(asked.into_iter().filter(|u| mine.contains(u)).collect()),
        (Some(asked), None) => Some(asked),
        (None, s) => s.clone(),
    };
    f.overdue_on = overdue_only.then_some(today_wib());
    f
}

/// One page of a filter already scoped by [`scoped_filter`], and how many match in all: the
/// queue's page, or a page of its CSV export.
pub async fn queue_rows(
    state: &ServiceContext,
    f: &store::complaints::QueueFilter,
    page: u64,
    size: u64,
) -> Result<(Vec<QueueRow>, u64), ServiceError> {
    let today = today_wib();
    let (models, total) = store::complaints::queue(&state.db, f, page, size).await?;
    let rows = models
        .into_iter()
        .map(|c| {
            let next = next_deadline(status_of(&c)?, &dl(&c), c.first_response_at.is_some());
            Ok(QueueRow {
                overdue: is_overdue(next, today),
                next,
                c,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()?;
    Ok((rows, total))
}
