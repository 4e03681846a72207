//! What every request handler shares in a process: the use cases' context (database handles,
//! settings, outbox, caches), plus what only the edge needs: the page templates, all settings
//! and the abuse limits. Derefs to the context, so a handler hands `&state` to a use case.
use std::sync::Arc;

use crate::bootstrap::configuration::Settings;
use crate::service::context::{ServiceContext, TrainingWindow, UseCaseSettings};
use crate::web::ratelimit::limiters::{LoginThrottle, PublicLimiter};

pub struct AppState {
    pub cx: ServiceContext,
    pub tera: Arc<tera::Tera>,
    pub settings: Settings,
    pub public_limiter: Option<PublicLimiter>,
    pub login_throttle: LoginThrottle,
}

impl std::ops::Deref for AppState {
    type Target = ServiceContext;

    fn deref(&self) -> &ServiceContext {
        &self.cx
    }
}

impl AppState {
    pub fn shared(self) -> Arc<Self> {
        Arc::new(self)
    }
}

/// The part of the settings use cases read.
pub fn use_case_settings(s: &Settings) -> UseCaseSettings {
    UseCaseSettings {
        base_url: s.base_url.clone(),
        min_cell: s.min_cell,
        min_rank_n: s.min_rank_n,
        digest_hour: s.digest_hour,
        attachments_dir: s.attachments_dir.clone(),
        training: TrainingWindow {
            before_days: s.training.before_days,
            after_days: s.training.after_days,
        },
        news: crate::domain::citizen_news::Configured {
            whatsapp: s.whatsapp.can_send(),
            sms: s.sms_send_url.is_some(),
        },
        whatsapp_status_template: s.whatsapp.status_template.clone(),
        queue_retention_days: s.queue_retention_days,
    }
}
