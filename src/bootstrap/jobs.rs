//! Background work every process runs on a timer: rate-limit housekeeping, expired sessions,
//! closing resolved complaints nobody reopened, old submission keys, the training engine and
//! the supervisors' daily digest, the monthly partitions of responses (PostgreSQL), and
//! personal data that has expired (outbox addresses and bodies, chat sessions, contacts).
use std::time::Duration;

use actix_web::web;

use crate::bootstrap::state::AppState;
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
                &state.read,
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

/// Every five minutes, queues the daily digests once the digest hour (WIB) has come; a key per
/// supervisor and day keeps several processes (and restarts) from sending one twice.
pub fn spawn_digest(state: web::Data<AppState>) {
    if state.settings.digest_hour.is_none() {
        return;
    }
    actix_web::rt::spawn(async move {
        // The first look a minute after start, then every five minutes.
        let start = actix_web::rt::time::Instant::now() + Duration::from_secs(60);
        let mut tick = actix_web::rt::time::interval_at(start, Duration::from_secs(300));
        loop {
            tick.tick().await;
            let now = chrono::Utc::now() + chrono::Duration::hours(7);
            let hour = chrono::Timelike::hour(&now);
            match crate::service::complaints::send_due(&state, now.date_naive(), hour).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "daily digests queued"),
                Err(e) => tracing::warn!(error = ?e, "queuing the daily digests failed"),
            }
        }
    });
}

/// Once a day, keeps the monthly partitions of `responses` a quarter ahead (PostgreSQL only;
/// start-up did the same). Every process may run it: an advisory lock makes it create each once.
pub fn spawn_partitions(state: web::Data<AppState>) {
    if state.db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return;
    }
    actix_web::rt::spawn(async move {
        let start = actix_web::rt::time::Instant::now() + Duration::from_secs(24 * 3600);
        let mut tick = actix_web::rt::time::interval_at(start, Duration::from_secs(24 * 3600));
        loop {
            tick.tick().await;
            match store::partitions::ensure(&state.db, crate::service::today_wib()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "monthly partitions of responses created"),
                Err(e) => tracing::warn!(error = %e, "creating monthly partitions failed"),
            }
        }
    });
}

pub fn spawn_upkeep(state: web::Data<AppState>) {
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(60));
        let mut minute: u64 = 0;
        loop {
            tick.tick().await;
            if let Some(l) = &state.public_limiter {
                l.housekeep().await;
            }
            state.login_throttle.housekeep().await;
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
            // Photos held for a refused form expire with its key.
            if let Err(e) = crate::service::complaints::expire_held(&state, cutoff).await {
                tracing::warn!(error = ?e, "removing expired held photos failed");
            }
            // Personal data expires: ended chat sessions every minute, the outbox and finished
            // complaints' contacts every hour (the first time at start-up).
            expire_personal_data(&state, minute.is_multiple_of(60)).await;
            if minute.is_multiple_of(60) {
                // Raw queue stamps are kept as long as configured; their daily cells stay.
                let cutoff = crate::service::today_wib()
                    - chrono::Duration::days(i64::from(state.settings.queue_retention_days));
                match store::queue::purge_before(&state.db, cutoff).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(n, "old queue stamps removed"),
                    Err(e) => tracing::warn!(error = %e, "removing old queue stamps failed"),
                }
                if let Some(r) = state.settings.response_retention {
                    let today = crate::service::today_wib();
                    match crate::service::retention::expire_responses(&state.db, today, r).await {
                        Ok(x) if x.partitions.is_empty() && x.rows == 0 => {}
                        Ok(x) => tracing::info!(
                            partitions = ?x.partitions,
                            rows = x.rows,
                            detached_only = r.detach_only,
                            "raw responses past retention removed"
                        ),
                        Err(e) => tracing::warn!(error = ?e, "removing old responses failed"),
                    }
                }
            }
            minute += 1;
        }
    });
}

/// One run of `service::retention` by the real clock: everything when `all`, else the chat
/// sessions only.
async fn expire_personal_data(state: &AppState, all: bool) {
    use crate::service::retention;
    let now = chrono::Utc::now();
    if !all {
        if let Err(e) = retention::purge_sessions(&state.db, now).await {
            tracing::warn!(error = ?e, "deleting ended chat sessions failed");
        }
        return;
    }
    let days = state.settings.outbox_retention_days;
    match retention::purge(&state.db, state.outbox.files_dir(), now, days).await {
        Ok(p) if p.is_empty() => {}
        Ok(p) => tracing::info!(
            given_up = p.given_up,
            erased = p.erased.len(),
            mail_files = p.mail_files,
            contacts = p.contacts,
            sessions = p.sessions,
            "personal data expired"
        ),
        Err(e) => tracing::warn!(error = ?e, "expiring personal data failed"),
    }
}
