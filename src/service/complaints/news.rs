//! A complaint's news to its citizen, on the channel they chose: an e-mail, an SMS, or a
//! WhatsApp message — free text within 24 hours of the citizen's last message, else the
//! approved status template (`SUARA_WHATSAPP_TEMPLATE_STATUS`). The message is an outbox row
//! written in the caller's transaction and tied to the history entry it tells of, so the desk
//! sees how the news went out and whether it arrived.
use chrono::Utc;
use entity::complaint;
use sea_orm::ConnectionTrait;
use serde_json::json;

use super::intake;
use super::views::{news_channel, public_view};
use crate::domain::citizen_news::{NewsChannel, wa_id, whatsapp_window_open};
use crate::i18n::Lang;
use crate::security::sha256_hex;
use crate::service::chat_text;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::store;
use crate::store::outbox::Carries;

/// Queues the news of history entry `event_id` (the complaint's new status, with `message`)
/// and records on the entry how it went; the channel used, `None` when the citizen left no way
/// to reach them.
pub async fn notify_citizen(
    state: &ServiceContext,
    txn: &impl ConnectionTrait,
    c: &complaint::Model,
    message: Option<&str>,
    event_id: i64,
) -> Result<Option<NewsChannel>, ServiceError> {
    let lang = Lang::parse(&c.lang).unwrap_or_default();
    let Some(mut via) = news_channel(c) else {
        return Ok(None);
    };
    let carries = |template: Option<String>| Carries {
        complaint_event_id: Some(event_id),
        template,
    };
    if via == NewsChannel::Email {
        let Some(to) = &c.contact_email else {
            return Ok(None);
        };
        let view = public_view(txn, c, lang).await?;
        let mut ctx = tera::Context::new();
        ctx.insert("c", &view);
        ctx.insert("message", &message);
        // The citizen's own link: it opens the tracking page with the reopen code filled in.
        ctx.insert("track_url", &intake::own_link(state, &c.tracking_id));
        let (s, t, h) = state
            .outbox
            .compose("status_update", lang, &mut ctx)
            .map_err(|e| ServiceError::Internal(e.into()))?;
        store::outbox::enqueue_news(
            txn,
            "email",
            "status_update",
            to,
            (&s, &t, &h),
            carries(None),
        )
        .await?;
    } else {
        let Some(number) = c.reply_to.clone().or_else(|| c.contact_phone.clone()) else {
            return Ok(None);
        };
        let mut text = chat_text::status_news(lang, &c.tracking_id, &c.status, message);
        // Resolved: the moment the citizen may want to reopen, so the code comes with the news.
        if c.status == "resolved" {
            text.push(' ');
            text.push_str(&chat_text::reopen_hint(
                lang,
                &intake::reopen_code(state, &c.tracking_id),
            ));
        }
        let mut template = None;
        let mut to = number.clone();
        if via == NewsChannel::WhatsApp {
            to = wa_id(&number).unwrap_or(number.clone());
            let last = store::chat_windows::last_inbound(txn, "whatsapp", &sha256_hex(&to)).await?;
            if !whatsapp_window_open(last, Utc::now()) {
                match &state.settings.whatsapp_status_template {
                    Some(name) => {
                        template = Some(status_template(name, c, message).to_string());
                    }
                    // No template registered: SMS still reaches the phone, when there is SMS.
                    None if state.settings.news.sms => {
                        via = NewsChannel::Sms;
                        to = number;
                    }
                    // Neither: the text is tried and the Cloud API's refusal shows in the history.
                    None => {}
                }
            }
        }
        store::outbox::enqueue_news(
            txn,
            via.as_str(),
            "status_update",
            &to,
            ("", &text, ""),
            carries(template),
        )
        .await?;
    }
    store::complaints::set_notified_via(txn, event_id, via.as_str()).await?;
    Ok(Some(via))
}

/// The status template's body parameters: the tracking ID, the status in words (Indonesian,
/// the template's language) and a short note. WhatsApp refuses an empty parameter, line breaks
/// and long runs of spaces in one, so the note is one line, cut, or `-`.
fn status_template(name: &str, c: &complaint::Model, message: Option<&str>) -> serde_json::Value {
    let status = Lang::Id.t(&format!("status_{}", c.status)).to_string();
    let note: String = message
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(200)
        .collect();
    let note = if note.is_empty() {
        "-".to_string()
    } else {
        note
    };
    json!({"name": name, "language": "id", "params": [c.tracking_id, status, note]})
}
