//! WhatsApp Cloud API webhook: Meta's verification handshake (`GET`) and signed message
//! notifications (`POST`). A notification may carry several messages, or only delivery
//! statuses (ignored); each text message goes to `service::chat` keyed by its `wamid`, so Meta's
//! redelivery after a slow answer changes nothing.
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};

use crate::domain::validation::{
    MAX_MESSAGE_ID, has_control_chars, is_forbidden_char, is_phone_number,
};
use crate::security::{constant_time_eq, hmac_sha256_matches};
use crate::web::error::ApiError;
use crate::web::request_checks::LimitedBody;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(verify).service(notify);
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Handshake {
    #[serde(rename = "hub.mode")]
    #[param(rename = "hub.mode")]
    pub mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    #[param(rename = "hub.verify_token")]
    pub verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    #[param(rename = "hub.challenge")]
    pub challenge: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/channels/whatsapp", tag = "channels", params(Handshake),
    responses((status = 200, body = String, content_type = "text/plain", description = "The challenge, echoed"),
        (status = 403, body = crate::web::error::ErrorBody, description = "Wrong verify token"),
        (status = 404, body = crate::web::error::ErrorBody, description = "The WhatsApp channel is not configured")))]
#[get("/api/v1/channels/whatsapp")]
pub async fn verify(state: State, q: web::Query<Handshake>) -> Result<HttpResponse, ApiError> {
    if !state.settings.whatsapp_on() {
        return Err(ApiError::NotFound);
    }
    let expected = state
        .settings
        .whatsapp
        .verify_token
        .as_deref()
        .unwrap_or("");
    let token_ok = q
        .verify_token
        .as_deref()
        .is_some_and(|t| constant_time_eq(t.as_bytes(), expected.as_bytes()));
    match (q.mode.as_deref(), &q.challenge) {
        (Some("subscribe"), Some(challenge)) if token_ok => Ok(HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body(challenge.clone())),
        _ => Err(ApiError::Forbidden),
    }
}

/// The parts of a Cloud API notification Suara reads; everything else is ignored.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct Notification {
    #[serde(default)]
    pub entry: Vec<WaEntry>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct WaEntry {
    #[serde(default)]
    pub changes: Vec<WaChange>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct WaChange {
    #[serde(default)]
    pub value: WaChangeValue,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct WaChangeValue {
    /// Absent on delivery-status notifications.
    #[serde(default)]
    pub messages: Vec<WaMessage>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct WaMessage {
    /// The citizen's WhatsApp number (wa_id).
    pub from: String,
    /// The `wamid`, unique per message: the de-duplication key.
    pub id: String,
    pub text: Option<WaText>,
    /// A quick-reply button's text.
    pub button: Option<WaButton>,
    /// When the citizen sent it: seconds since the epoch, as a string.
    pub timestamp: Option<String>,
    /// A photo: its media id (fetched from the Graph API) and caption.
    pub image: Option<WaMedia>,
    /// A document (a PDF of a receipt, say).
    pub document: Option<WaMedia>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct WaMedia {
    pub id: String,
    pub caption: Option<String>,
    pub filename: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct WaText {
    pub body: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct WaButton {
    pub text: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Handled {
    /// Messages handed to the conversation (delivery statuses are not counted).
    pub messages: usize,
}

/// What the citizen said: the text, a button's caption, or nothing Suara can read (a photo, a
/// voice note), which the conversation answers with its help.
fn said(m: &WaMessage) -> String {
    let raw = match (&m.text, &m.button) {
        (Some(t), _) => t.body.as_str(),
        (None, Some(b)) => b.text.as_str(),
        (None, None) => "BANTUAN",
    };
    // Control and text-direction characters never reach the session or the intake (PostgreSQL
    // refuses NUL; an override makes stored text read otherwise); a citizen's message is not
    // refused for them, they are dropped.
    raw.chars()
        .filter(|&c| !is_forbidden_char(c) && c != '\r')
        .collect()
}

#[utoipa::path(post, path = "/api/v1/channels/whatsapp", tag = "channels", request_body = Notification,
    params(("X-Hub-Signature-256" = String, Header, description = "sha256=<hex HMAC-SHA256 of the body keyed by the app secret>")),
    responses((status = 200, body = Handled, description = "Handled; the replies are queued (a message without a valid sender number or with an id over 255 characters is skipped)"),
        (status = 400, body = crate::web::error::ErrorBody, description = "Not a Cloud API notification"),
        (status = 401, body = crate::web::error::ErrorBody, description = "No signature"),
        (status = 403, body = crate::web::error::ErrorBody, description = "Wrong signature"),
        (status = 404, body = crate::web::error::ErrorBody, description = "The WhatsApp channel is not configured"),
        (status = 413, body = crate::web::error::ErrorBody, description = "The body is larger than SUARA_BODY_LIMIT_KB")))]
#[post("/api/v1/channels/whatsapp")]
pub async fn notify(
    state: State,
    req: HttpRequest,
    LimitedBody(body): LimitedBody,
) -> Result<HttpResponse, ApiError> {
    let Some(secret) = state
        .settings
        .whatsapp
        .app_secret
        .as_deref()
        .filter(|_| state.settings.whatsapp_on())
    else {
        return Err(ApiError::NotFound);
    };
    // The signature covers the raw bytes: checked before anything is parsed.
    let Some(sig) = req
        .headers()
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("sha256="))
    else {
        return Err(ApiError::Unauthorized);
    };
    if !hmac_sha256_matches(secret.as_bytes(), &body, sig) {
        return Err(ApiError::Forbidden);
    }
    let n: Notification =
        serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let mut handled = 0;
    let mut failed = None;
    for m in n
        .entry
        .iter()
        .flat_map(|e| &e.changes)
        .flat_map(|c| &c.value.messages)
    {
        let from = m.from.trim();
        // Meta never sends these; a forged-but-signed body cannot put them in a key or a row,
        // and one such message does not stop the others of the notification.
        if !is_phone_number(from)
            || has_control_chars(&m.id)
            || m.id.trim().is_empty()
            || m.id.chars().count() > MAX_MESSAGE_ID
        {
            tracing::warn!(
                id_len = m.id.len(),
                "skipped a WhatsApp message with a bad sender or id"
            );
            continue;
        }
        // One message failing (the database away a moment) does not stop the rest: each is
        // keyed by its wamid, so Meta's redelivery after the 500 below changes nothing for those
        // already handled and retries the one that failed.
        // The citizen wrote: WhatsApp's 24-hour window for free text opens again.
        let sent_at = m
            .timestamp
            .as_deref()
            .and_then(|t| t.trim().parse::<i64>().ok())
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0));
        if let Err(e) = crate::service::chat_windows::seen(&state, "whatsapp", from, sent_at).await
        {
            tracing::warn!(error = ?e, "the WhatsApp window was not noted");
        }
        if let Some(media) = m.image.as_ref().or(m.document.as_ref()) {
            match photo(&state, from, &m.id, media).await {
                Ok(()) => handled += 1,
                Err(e) => {
                    tracing::warn!(error = ?e, "a WhatsApp photo failed; the rest go on");
                    failed.get_or_insert(e);
                }
            }
            continue;
        }
        match crate::service::chat::handle(&state, "whatsapp", from, &said(m), Some(&m.id)).await {
            Ok(()) => handled += 1,
            Err(e) => {
                tracing::warn!(error = ?e, "a WhatsApp message failed; the rest go on");
                failed.get_or_insert(e);
            }
        }
    }
    if let Some(e) = failed {
        return Err(e.into());
    }
    Ok(HttpResponse::Ok().json(Handled { messages: handled }))
}

/// A photo or document from `from`: during a complaint it is fetched from the Graph API,
/// checked like a web upload (type by content, 5 MB) and held for the complaint; otherwise the
/// citizen is told photos go with a complaint. A redelivered message changes nothing.
async fn photo(
    state: &crate::bootstrap::state::AppState,
    from: &str,
    message_id: &str,
    media: &WaMedia,
) -> Result<(), crate::service::error::ServiceError> {
    use crate::service::chat_media::{self, Photo};
    let key =
        crate::store::idempotency::Key::new("chat_media", &format!("whatsapp:{message_id}"), &[]);
    // Claimed first: of a message and its redelivery only one is handled (a failed fetch is
    // answered with "send it again", not retried behind the citizen's back).
    if !crate::store::idempotency::claim(&state.db, &key, None).await? {
        return Ok(());
    }
    let (conversation, lang) = chat_media::complaint_in_progress(state, "whatsapp", from).await?;
    let text = match conversation {
        None => lang.t("chat_photo_no_complaint").to_string(),
        Some(conv) => {
            let max = crate::web::complaints::uploads::MAX_FILE_BYTES;
            match state.outbox.fetch_whatsapp_media(&media.id, max).await {
                Err(e) => {
                    tracing::warn!(error = %e, "a WhatsApp photo could not be fetched");
                    lang.t("chat_photo_failed").to_string()
                }
                Ok(bytes) => {
                    let name = media
                        .filename
                        .clone()
                        .unwrap_or_else(|| "foto-whatsapp".into());
                    match crate::web::complaints::uploads::store_bytes(state, &name, &bytes)
                        .await
                        .map_err(|e| crate::service::error::ServiceError::Internal(e.into()))?
                    {
                        None => lang.t("chat_photo_type").to_string(),
                        Some(file) => match chat_media::hold_photo(state, &conv, file).await? {
                            Photo::Held(n) => lang
                                .t("chat_photo_held")
                                .replace("{n}", &n.to_string())
                                .replace("{max}", &chat_media::MAX_FILES.to_string()),
                            Photo::TooMany => lang
                                .t("chat_photo_too_many")
                                .replace("{max}", &chat_media::MAX_FILES.to_string()),
                        },
                    }
                }
            }
        }
    };
    chat_media::reply(state, "whatsapp", from, &text).await
}
