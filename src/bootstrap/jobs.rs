//! Background work every process runs on a timer: rate-limit housekeeping, expired sessions,
//! closing resolved complaints nobody reopened, old submission keys, and the training engine.
use std::time::Duration;

use actix_web::web;

use crate::state::AppState;
use crate::store;

/// Reruns the recommendation engine (and measures finished trainings) on a schedule. Every
/// process may run it: a unique key per open recommendation keeps reruns from duplicating.
pub fn spawn_training(state: web::Data<AppState>) {
    let mins = state.settings.training.interval_mins;
    if mins == 0 {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(mins * 60));
        loop {
            tick.tick().await;
            let s = &state.settings.training;
            match crate::service::training_engine::run(
                &state.db,
                crate::service::today_wib(),
                s.before_days,
                s.after_days,
            )
            .await
            {
                Ok(r) => tracing::info!(?r, "training recommendations recomputed"),
                Err(e) => tracing::warn!(error = %e, "the recommendation run failed"),
            }
        }
    });
}

pub fn spawn_upkeep(state: web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Some(l) = &state.public_limiter {
                l.housekeep();
            }
            if let Err(e) = store::users::purge_expired_sessions(&state.db).await {
                tracing::warn!(error = %e, "purging expired sessions failed");
            }
            if let Err(e) = crate::service::complaints::close_expired(&state).await {
                tracing::warn!(error = ?e, "closing resolved complaints failed");
            }
            // Submission keys are promised for 24 hours; two days covers a phone that queued
            // a form overnight.
            let cutoff = chrono::Utc::now() - chrono::Duration::hours(48);
            if let Err(e) = store::idempotency::purge_before(&state.db, cutoff).await {
                tracing::warn!(error = %e, "purging old submission keys failed");
            }
        }
    });
}
