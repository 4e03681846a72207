//! Builds the application: connect, migrate, seed, bind, and the background upkeep.
use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

use crate::bootstrap::configuration::Settings;
use crate::bootstrap::db;
use crate::bootstrap::state::{AppState, use_case_settings};
use crate::outbox::Outbox;
use crate::seed::first_start as seed;
use crate::service::context::ServiceContext;
use crate::store;
use crate::store::responses::ResponseWriter;
use crate::store::unit_cache::UnitCache;
use crate::web::ratelimit::limiters::{LoginThrottle, PublicLimiter};
use crate::web::{self as routes, render};

/// Everything a page loads comes from this site: no inline script or style (templates use
/// classes and `/static/suara.js`), `data:` images only, no framing, forms post only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
    style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'";

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
}

/// Connects, migrates and seeds what must exist (the SKM survey; demo units when asked).
pub async fn prepare_database(settings: &Settings) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let conn = db::connect(&settings.database_url, settings.db_max_connections)
        .await
        .with_context(|| {
            format!(
                "cannot open the database at {}",
                redact(&settings.database_url)
            )
        })?;
    db::migrate(&conn)
        .await
        .context("database migration failed")?;
    store::surveys::ensure_skm(&conn)
        .await
        .context("seeding the SKM survey failed")?;
    store::complaints::ensure_defaults(&conn)
        .await
        .context("seeding complaint categories and holidays failed")?;
    let n = store::complaint_rollups::backfill_if_missing(&conn)
        .await
        .context("adding complaint cells to the rollups failed")?;
    if n > 0 {
        tracing::info!(complaints = n, "complaint cells added to the rollups");
    }
    let n = store::summaries::backfill_if_missing(&conn)
        .await
        .context("building the per unit and period summaries failed")?;
    if n > 0 {
        tracing::info!(
            units = n,
            "quarter and year summaries built from the monthly cells"
        );
    }
    if settings.seed_demo
        && seed::demo(&conn)
            .await
            .context("seeding demo units failed")?
    {
        tracing::info!("seeded demo agencies and service units");
    }
    let catalogue = crate::seed::training_catalogue::defaults()
        .context("reading the default training catalogue failed")?;
    store::training::catalogue::ensure_defaults(&conn, &catalogue)
        .await
        .context("seeding the training catalogue failed")?;
    if settings.seed_demo
        && settings.seed_demo_history
        && crate::seed::demo_history::wanted(&conn).await?
    {
        crate::seed::demo_history::seed(&conn, crate::service::today_wib())
            .await
            .context("seeding demo history failed")?;
        // The first start shows the loop at once rather than after the first scheduled run.
        let s = &settings.training;
        let r = crate::service::training_engine::run(
            &conn,
            &conn,
            crate::service::today_wib(),
            s.before_days,
            s.after_days,
        )
        .await
        .context("the first recommendation run failed")?;
        tracing::info!(?r, "training recommendations computed");
    }
    // Last, so rows a first start seeded into months without a partition move into theirs.
    let n = store::partitions::ensure(&conn, crate::service::today_wib())
        .await
        .context("creating the monthly partitions of responses failed")?;
    if n > 0 {
        tracing::info!(partitions = n, "monthly partitions of responses created");
    }
    Ok(conn)
}

/// Hides a password in a database URL before it is logged.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let addr = format!("{}:{}", settings.addr, settings.port);
        let listener =
            TcpListener::bind(&addr).with_context(|| format!("cannot listen on {addr}"))?;
        Self::build_with_listener(settings, listener).await
    }

    pub async fn build_with_listener(
        settings: Settings,
        listener: TcpListener,
    ) -> anyhow::Result<Self> {
        crate::meters::install();
        let conn = prepare_database(&settings).await?;
        let read = match &settings.database_read_url {
            Some(url) => db::connect(url, settings.db_max_connections)
                .await
                .with_context(|| format!("cannot open the read database at {}", redact(url)))?,
            None => conn.clone(),
        };
        let tera =
            std::sync::Arc::new(render::load_templates().context("templates failed to load")?);
        let mailer = std::sync::Arc::new(
            crate::outbox::mail::Mailer::new(&settings).context("mail settings")?,
        );
        mailer.clone().spawn_worker(conn.clone());
        // Several nodes serve one PostgreSQL database: their limits are counted there. SQLite is
        // one node, which counts in memory.
        let shared_limits =
            (conn.get_database_backend() == sea_orm::DbBackend::Postgres).then(|| conn.clone());
        let reopen_key = crate::store::server_keys::get_or_create(&conn, "reopen")
            .await
            .context("cannot read the server key")?;
        let cx = ServiceContext {
            responses: ResponseWriter::start(conn.clone()),
            db: conn,
            read,
            settings: use_case_settings(&settings),
            outbox: Outbox::new(mailer, tera.clone()),
            unit_cache: UnitCache::new(Duration::from_secs(settings.cache_ttl_secs)),
            reopen_key,
            chat_senders: crate::service::sender_lock::SenderLocks::new(
                settings.db_max_connections,
            ),
        };
        let state = web::Data::new(AppState {
            cx,
            tera,
            public_limiter: PublicLimiter::new(
                settings.public_rate_per_min,
                settings.public_rate_burst,
                shared_limits.clone(),
            ),
            login_throttle: LoginThrottle::new(shared_limits),
            settings,
        });
        crate::bootstrap::jobs::spawn_upkeep(state.clone());
        crate::bootstrap::jobs::spawn_training(state.clone());
        crate::bootstrap::jobs::spawn_digest(state.clone());
        crate::bootstrap::jobs::spawn_partitions(state.clone());
        let port = listener.local_addr()?.port();
        let body_limit = state.settings.body_limit_bytes;
        let data = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(routes::request_checks::reject_control_chars))
                .wrap(from_fn(render::error_pages))
                .wrap(Compress::default())
                .wrap(
                    DefaultHeaders::new()
                        .add(("x-content-type-options", "nosniff"))
                        .add(("referrer-policy", "same-origin"))
                        .add(("x-frame-options", "DENY"))
                        .add(("content-security-policy", CONTENT_SECURITY_POLICY)),
                )
                .wrap(from_fn(request_id_header))
                .wrap(from_fn(staff_writes_clear_cache))
                .wrap(from_fn(routes::prometheus::record))
                .wrap(TracingLogger::default())
                .app_data(data.clone())
                .configure(|cfg| routes::configure(cfg, body_limit))
        })
        .listen(listener)?
        .shutdown_timeout(10)
        .run();
        Ok(Application {
            port,
            server,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Runs until SIGINT/SIGTERM (actix handles both), then finishes in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    pub fn into_server(self) -> Server {
        self.server
    }
}

/// Echoes the request id so a user can quote it and an operator can find the log lines.
async fn request_id_header(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::HttpMessage;
    let id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|r| r.to_string());
    let mut res = next.call(req).await?;
    if let Some(id) = id
        && let Ok(v) = actix_web::http::header::HeaderValue::from_str(&id)
    {
        res.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("x-request-id"),
            v,
        );
    }
    Ok(res)
}

/// Any state-changing staff request may touch units, services or surveys: drop the cached
/// intake contexts so this process serves the change at once.
async fn staff_writes_clear_cache(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let p = req.path();
    let staff_write = req.method() != actix_web::http::Method::GET
        && (p.starts_with("/api/v1/admin") || p.starts_with("/admin") || p.starts_with("/staff"));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let res = next.call(req).await?;
    if staff_write && let Some(s) = state {
        s.unit_cache.clear();
    }
    Ok(res)
}
