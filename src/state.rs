//! What every request handler and use case shares in a process: the database pool, templates,
//! settings, the response writer, caches, the mailer and the abuse limits.
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::bootstrap::configuration::Settings;
use crate::limits::{LoginThrottle, PublicLimiter};
use crate::store::responses::ResponseWriter;
use crate::store::unit_cache::UnitCache;

pub struct AppState {
    pub db: DatabaseConnection,
    pub tera: tera::Tera,
    pub settings: Settings,
    pub public_limiter: Option<PublicLimiter>,
    pub login_throttle: LoginThrottle,
    pub responses: ResponseWriter,
    pub unit_cache: UnitCache,
    pub mailer: Arc<crate::mail::Mailer>,
}

pub type State = actix_web::web::Data<AppState>;

impl AppState {
    pub fn shared(self) -> Arc<Self> {
        Arc::new(self)
    }
}
