//! `GET /metrics` (Prometheus text, behind `SUARA_METRICS_TOKEN`) and the middleware that times
//! every request by its matched route. The names live in [`crate::meters`].
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, get};

use crate::web::state::State;

/// Records the request's duration under its route pattern (`/u/{slug}`, not the path a client
/// chose: the label set stays bounded), method and final status.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let res = next.call(req).await;
    let (route, status) = match &res {
        Ok(r) => (r.request().match_pattern(), r.status()),
        Err(e) => (None, e.as_response_error().status_code()),
    };
    crate::meters::http_request(
        route.unwrap_or_else(|| "unmatched".to_string()),
        method.as_str(),
        status.as_u16(),
        started.elapsed(),
    );
    res
}

/// The Prometheus exposition. 404 unless `SUARA_METRICS_TOKEN` is set; 401 without it as
/// `Authorization: Bearer …`. Gauges read from the database (outbox) and the pool are refreshed
/// here, at scrape time.
#[get("/metrics")]
pub async fn metrics(state: State, req: HttpRequest) -> HttpResponse {
    let Some(token) = state.settings.metrics_token.as_deref() else {
        return HttpResponse::NotFound().finish();
    };
    if !crate::web::auth::presents_secret(&req, &["Bearer"], token) {
        return HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\""))
            .finish();
    }
    let (open, idle, max) = crate::bootstrap::db::pool_usage(&state.db);
    let outbox = match crate::store::outbox::queue(&state.db).await {
        Ok(rows) => {
            let now = chrono::Utc::now();
            Some(
                rows.into_iter()
                    .map(|(t, n, oldest)| (t, n, (now - oldest).to_std().unwrap_or_default()))
                    .collect(),
            )
        }
        // The rest is still worth scraping; the missing outbox series say the database is away.
        Err(e) => {
            tracing::warn!(error = %e, "reading the outbox for /metrics failed");
            None
        }
    };
    let snap = crate::meters::Snapshot {
        outbox,
        pool: (open.saturating_sub(idle), idle, max),
    };
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(crate::meters::render(&snap))
}
