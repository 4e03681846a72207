//! E-mail: rendering from tera templates (one folder per message: subject, text, HTML), the
//! transports (file, log, SMTP through lettre) and the outbox worker with retries and backoff,
//! which also hands chat replies to [`crate::outbox::sms`] (transport `sms`) and [`crate::outbox::whatsapp`].
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

use crate::bootstrap::configuration::{MailTransportKind, Settings};
use crate::i18n::Lang;
use crate::store;

pub enum Transport {
    File(PathBuf),
    Log,
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Transport {
    pub fn from_settings(s: &Settings) -> anyhow::Result<Self> {
        Ok(match &s.mail.transport {
            MailTransportKind::File => Transport::File(s.data_dir.join("mail")),
            MailTransportKind::Log => Transport::Log,
            // lettre's timeout only bounds the connect; the whole send is bounded in deliver_due.
            MailTransportKind::Smtp(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
                    .timeout(Some(send_budget(s).min(Duration::from_secs(20))))
                    .build(),
            ),
        })
    }

    async fn send(&self, id: i64, message: Message) -> anyhow::Result<()> {
        match self {
            Transport::File(dir) => {
                tokio::fs::create_dir_all(dir).await?;
                tokio::fs::write(file_of(dir, id), message.formatted()).await?;
            }
            Transport::Log => tracing::info!(id, "e-mail (log transport, not sent)"),
            Transport::Smtp(t) => {
                t.send(message).await?;
            }
        }
        Ok(())
    }
}

/// Where the `file` transport writes outbox row `id`.
pub fn file_of(dir: &std::path::Path, id: i64) -> PathBuf {
    dir.join(format!("{id:08}.eml"))
}

/// How long one message's send may take: half the lease, so the lease cannot expire while a
/// message is still being handed to the relay and another process take it again.
fn send_budget(s: &Settings) -> Duration {
    Duration::from_secs(s.mail.lease_secs) / 2
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    retry_base: Duration,
    lease: Duration,
    send_budget: Duration,
    sms: crate::outbox::sms::Gateway,
    whatsapp: crate::outbox::whatsapp::Cloud,
    wake: Arc<Notify>,
}

impl Mailer {
    pub fn new(settings: &Settings) -> anyhow::Result<Self> {
        Ok(Mailer {
            transport: Transport::from_settings(settings)?,
            from: settings
                .mail
                .from
                .parse()
                .map_err(|e| anyhow::anyhow!("SUARA_MAIL_FROM: {e}"))?,
            retry_base: Duration::from_millis(settings.mail_retry_ms),
            lease: Duration::from_secs(settings.mail.lease_secs),
            send_budget: send_budget(settings),
            sms: crate::outbox::sms::Gateway::new(settings.sms_send_url.clone()),
            whatsapp: crate::outbox::whatsapp::Cloud::new(settings.whatsapp.clone()),
            wake: Arc::new(Notify::new()),
        })
    }

    /// A mailer that logs each message and drops it, with no chat gateways: for running use
    /// cases outside the server (their tests, one-off commands).
    pub fn logging() -> Self {
        Mailer {
            transport: Transport::Log,
            from: "Suara <noreply@suara.local>"
                .parse()
                .expect("a valid mailbox literal"),
            retry_base: Duration::from_secs(1),
            lease: Duration::from_secs(60),
            send_budget: Duration::from_secs(30),
            sms: crate::outbox::sms::Gateway::new(None),
            whatsapp: crate::outbox::whatsapp::Cloud::new(Default::default()),
            wake: Arc::new(Notify::new()),
        }
    }

    /// A citizen's WhatsApp photo or document (see [`crate::outbox::whatsapp::Cloud::fetch_media`]).
    pub async fn fetch_whatsapp_media(
        &self,
        id: &str,
        max_bytes: usize,
    ) -> anyhow::Result<Vec<u8>> {
        self.whatsapp.fetch_media(id, max_bytes).await
    }

    /// Where the `file` transport keeps sent messages (their copies expire with the rows).
    pub fn files_dir(&self) -> Option<&std::path::Path> {
        match &self.transport {
            Transport::File(dir) => Some(dir),
            _ => None,
        }
    }

    /// Tells the worker new messages are waiting (after the transaction that wrote them commits).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// The wait before attempt `attempts + 1`: doubling from the base, capped at an hour.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let factor = 1u32 << attempts.clamp(0, 16);
        (self.retry_base * factor).min(Duration::from_secs(3600))
    }

    fn build(&self, m: &entity::outbox::Model) -> anyhow::Result<Message> {
        Ok(Message::builder()
            .from(self.from.clone())
            .to(m.to_addr.parse()?)
            .subject(&m.subject)
            .multipart(MultiPart::alternative_plain_html(
                m.body_text.clone(),
                m.body_html.clone(),
            ))?)
    }

    /// The e-mail of an `email` row; `None` for a chat reply (transport `sms` or `whatsapp`).
    fn build_for(&self, m: &entity::outbox::Model) -> anyhow::Result<Option<Message>> {
        match m.transport.as_str() {
            "sms" | "whatsapp" => Ok(None),
            _ => self.build(m).map(Some),
        }
    }

    /// Sends every due message once; returns how many went out. Each message is claimed just
    /// before its own send and the send is cut off at half the lease, however slow the relay.
    pub async fn deliver_due(&self, db: &DatabaseConnection) -> anyhow::Result<usize> {
        let mut sent = 0;
        while let Some(m) = store::outbox::claim_next(db, self.lease).await? {
            let result = match self.build_for(&m) {
                // A chat reply: the gateway's own client, bounded by the same budget.
                Ok(None) if m.transport == "whatsapp" => {
                    self.whatsapp.send(&m, self.send_budget).await
                }
                Ok(None) => self.sms.send(&m, self.send_budget).await,
                Ok(Some(msg)) => {
                    match tokio::time::timeout(self.send_budget, self.transport.send(m.id, msg))
                        .await
                    {
                        Ok(r) => r,
                        Err(_) => Err(anyhow::anyhow!(
                            "the send took longer than {:?}",
                            self.send_budget
                        )),
                    }
                }
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    store::outbox::mark_sent(db, m.id).await?;
                    crate::meters::outbox_sent(&m.transport);
                    sent += 1;
                }
                Err(e) => {
                    crate::meters::outbox_failed(&m.transport);
                    let wait = self.backoff(m.attempts);
                    tracing::warn!(id = m.id, attempts = m.attempts + 1, error = %e, retry_in = ?wait, "message not sent; will retry");
                    let at =
                        chrono::Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
                    store::outbox::mark_failed(db, &m, at, &e.to_string()).await?;
                }
            }
        }
        Ok(sent)
    }

    /// The outbox worker: runs when woken and at least every few seconds (retries come due).
    pub fn spawn_worker(self: Arc<Self>, db: DatabaseConnection) {
        let poll = self
            .retry_base
            .clamp(Duration::from_millis(100), Duration::from_secs(5));
        actix_web::rt::spawn(async move {
            loop {
                tokio::select! {
                    _ = self.wake.notified() => {}
                    _ = tokio::time::sleep(poll) => {}
                }
                if let Err(e) = self.deliver_due(&db).await {
                    tracing::error!(error = ?e, "outbox delivery failed");
                }
            }
        });
    }
}

/// (subject, text, html) of message `name` in `lang`, from `templates/emails/<name>/`.
pub fn compose(
    tera: &tera::Tera,
    name: &str,
    lang: Lang,
    ctx: &mut tera::Context,
) -> Result<(String, String, String), tera::Error> {
    ctx.insert("lang", lang.code());
    let subject = tera
        .render(&format!("emails/{name}/subject.txt"), ctx)?
        .trim()
        .replace(['\r', '\n'], " ");
    let text = tera.render(&format!("emails/{name}/body.txt"), ctx)?;
    let html = tera.render(&format!("emails/{name}/body.html"), ctx)?;
    Ok((subject, text, html))
}
