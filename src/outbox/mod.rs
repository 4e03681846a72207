//! The outbox: every message Suara sends (e-mail, SMS, WhatsApp) is a row first, delivered by
//! one worker with retries; `mail` holds the worker and the e-mail transport, `sms` and
//! `whatsapp` the chat gateways it hands replies to.
pub mod mail;
pub mod sms;
pub mod whatsapp;

use std::sync::Arc;

use crate::i18n::Lang;

/// What a use case needs of the outbox: the e-mail templates to compose a message with, and a
/// nudge for the worker once the message's row is committed.
#[derive(Clone)]
pub struct Outbox {
    mailer: Arc<mail::Mailer>,
    templates: Arc<tera::Tera>,
}

impl Outbox {
    pub fn new(mailer: Arc<mail::Mailer>, templates: Arc<tera::Tera>) -> Self {
        Outbox { mailer, templates }
    }

    /// (subject, text, html) of message `name` in `lang`; see [`mail::compose`].
    pub fn compose(
        &self,
        name: &str,
        lang: Lang,
        ctx: &mut tera::Context,
    ) -> Result<(String, String, String), tera::Error> {
        mail::compose(&self.templates, name, lang, ctx)
    }

    /// Wakes the delivery worker: a message was just committed.
    pub fn wake(&self) {
        self.mailer.wake();
    }

    /// A citizen's WhatsApp photo or document, fetched from the Graph API (at most `max_bytes`).
    pub async fn fetch_whatsapp_media(
        &self,
        id: &str,
        max_bytes: usize,
    ) -> anyhow::Result<Vec<u8>> {
        self.mailer.fetch_whatsapp_media(id, max_bytes).await
    }

    /// Where the file transport writes messages (none for SMTP or the log).
    pub fn files_dir(&self) -> Option<&std::path::Path> {
        self.mailer.files_dir()
    }
}
