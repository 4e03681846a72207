//! The daily digest: each active supervisor gets, once a day from the configured WIB hour, one
//! e-mail of their units' overdue complaints and those due today or tomorrow. Nothing due, no
//! e-mail. A submission key (scope `digest`, key `{user_id}:{date}`) is claimed in the same
//! transaction as the outbox row, so several processes running the timer send it once.
use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::*;
use crate::domain::complaint::{next_deadline, next_step};
use crate::domain::format::long_date;
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::store;

/// One complaint in a digest, as the template shows it.
#[derive(Debug, Serialize)]
pub struct DigestItem {
    pub tracking_id: String,
    pub unit_name: String,
    pub category_label: String,
    /// What the deadline is for ("Batas verifikasi", …).
    pub step_label: String,
    /// The deadline in words ("Senin, 7 Desember 2026").
    pub due_words: String,
    pub staff_url: String,
}

/// The submission key that makes a supervisor's digest of `day` once-only.
pub fn digest_key(user_id: i32, day: NaiveDate) -> store::idempotency::Key {
    store::idempotency::Key::new("digest", &format!("{user_id}:{day}"), &[])
}

/// Sends the digests of `today` if the digest hour (WIB) has come (`now_hour` is the WIB hour
/// now); returns how many were queued by this call. Safe to call again and from every process.
pub async fn send_due(
    state: &ServiceContext,
    today: NaiveDate,
    now_hour: u32,
) -> Result<usize, ServiceError> {
    let Some(hour) = state.settings.digest_hour else {
        return Ok(0);
    };
    if now_hour < hour {
        return Ok(0);
    }
    let tomorrow = today.succ_opt().unwrap_or(today);
    let cats = store::complaints::all_categories(&state.db).await?;
    let mut unit_names: HashMap<i32, String> = HashMap::new();
    let mut sent = 0;
    for (user, units) in store::users::active_supervisors(&state.db).await? {
        let key = digest_key(user.id, today);
        if store::idempotency::seen(&state.db, &key).await? != store::idempotency::Seen::New {
            continue;
        }
        let rows = store::complaints::due_by(&state.db, &units, tomorrow).await?;
        let (mut overdue, mut due_today, mut due_tomorrow) = (vec![], vec![], vec![]);
        for c in rows {
            let status = status_of(&c)?;
            let given = c.first_response_at.is_some();
            let (Some(due), Some(step)) = (
                next_deadline(status, &dl(&c), given),
                next_step(status, &dl(&c), given),
            ) else {
                continue;
            };
            if let std::collections::hash_map::Entry::Vacant(e) = unit_names.entry(c.unit_id) {
                let name = store::units::by_id(&state.db, c.unit_id)
                    .await?
                    .map(|u| u.name)
                    .unwrap_or_default();
                e.insert(name);
            }
            let item = DigestItem {
                unit_name: unit_names.get(&c.unit_id).cloned().unwrap_or_default(),
                category_label: cats
                    .get(&c.category_id)
                    .map(|k| k.name_id.clone())
                    .unwrap_or_default(),
                step_label: label(Lang::Id, &format!("c_due_{step}")),
                due_words: long_date(due, true),
                staff_url: format!(
                    "{}/staff/complaints/{}",
                    state.settings.base_url, c.tracking_id
                ),
                tracking_id: c.tracking_id,
            };
            if due < today {
                overdue.push(item);
            } else if due == today {
                due_today.push(item);
            } else if due == tomorrow {
                due_tomorrow.push(item);
            }
        }
        let total = overdue.len() + due_today.len() + due_tomorrow.len();
        if total == 0 {
            continue;
        }
        let mut ctx = tera::Context::new();
        ctx.insert("name", &user.name);
        ctx.insert("today", &long_date(today, true));
        ctx.insert("total", &total);
        ctx.insert("overdue", &overdue);
        ctx.insert("due_today", &due_today);
        ctx.insert("due_tomorrow", &due_tomorrow);
        ctx.insert(
            "queue_url",
            &format!("{}/staff/complaints", state.settings.base_url),
        );
        let (s, t, h) = state
            .outbox
            .compose("digest", Lang::Id, &mut ctx)
            .map_err(|e| ServiceError::Internal(e.into()))?;
        let txn = crate::store::begin_write(&state.db).await?;
        if !store::idempotency::claim(&txn, &key, Some(&total.to_string())).await? {
            // Another process sent this supervisor's digest of today first.
            txn.rollback().await?;
            continue;
        }
        store::outbox::enqueue(&txn, "digest", &user.email, &s, &t, &h).await?;
        txn.commit().await?;
        sent += 1;
    }
    if sent > 0 {
        state.outbox.wake();
    }
    Ok(sent)
}
