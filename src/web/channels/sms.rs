//! Inbound SMS in the style of RapidPro's "External" channel: `POST` form or JSON with `from`
//! (or `sender`), `text` and an optional `id`, authenticated by the gateway's shared secret.
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::{Deserialize, Serialize};

use crate::domain::validation::{MAX_MESSAGE_ID, has_control_chars, is_phone_number};
use crate::i18n::Lang;
use crate::web::error::ApiError;
use crate::web::request_checks::LimitedBody;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(post_sms);
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SmsIn {
    /// The citizen's number.
    pub from: Option<String>,
    /// Another name for `from`, used by some gateways.
    pub sender: Option<String>,
    /// The message.
    pub text: Option<String>,
    /// The gateway's message id, so a redelivered message is not stored twice.
    pub id: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SmsOk {
    pub ok: bool,
}

/// The body as JSON when it says so, else as a form (what most gateways send).
fn parse(req: &HttpRequest, body: &[u8]) -> Result<SmsIn, ApiError> {
    let json = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if json {
        serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(e.to_string()))
    } else {
        serde_urlencoded::from_bytes(body).map_err(|e| ApiError::BadRequest(e.to_string()))
    }
}

#[utoipa::path(post, path = "/api/v1/channels/sms", tag = "channels", request_body = SmsIn,
    security(("bearer" = [])),
    responses((status = 200, body = SmsOk, description = "Handled; the replies are queued"),
        (status = 401, body = crate::web::error::ErrorBody, description = "No or wrong gateway token"),
        (status = 404, body = crate::web::error::ErrorBody, description = "The SMS channel is not configured"),
        (status = 413, body = crate::web::error::ErrorBody, description = "The body is larger than SUARA_BODY_LIMIT_KB"),
        (status = 422, body = crate::web::error::ErrorBody, description = "No sender or no text, a sender that is not an E.164 number, or an id over 255 characters")))]
#[post("/api/v1/channels/sms")]
pub async fn post_sms(
    state: State,
    req: HttpRequest,
    lang: Lang,
    LimitedBody(body): LimitedBody,
) -> Result<HttpResponse, ApiError> {
    // Off unless configured: a server without a gateway has no such route.
    let Some(token) = state.settings.sms_token.as_deref() else {
        return Err(ApiError::NotFound);
    };
    if !crate::web::auth::presents_secret(&req, &["Bearer"], token) {
        return Err(ApiError::Unauthorized);
    }
    let m = parse(&req, &body)?;
    // The same boundary check as every other body: nothing a person could not have typed
    // reaches the conversation, its stored session or the intake.
    for (name, v) in [
        ("from", &m.from),
        ("sender", &m.sender),
        ("text", &m.text),
        ("id", &m.id),
    ] {
        if v.as_deref().is_some_and(has_control_chars) {
            return Err(ApiError::field(name, lang.t("v_control_chars")));
        }
    }
    let clean = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let from_field = match m.from.as_deref().map(str::trim) {
        Some(f) if !f.is_empty() => "from",
        _ => "sender",
    };
    let Some(from) = clean(m.from).or(clean(m.sender)) else {
        return Err(ApiError::field("from", lang.t("v_required")));
    };
    if !is_phone_number(&from) {
        return Err(ApiError::field(from_field, lang.t("v_phone")));
    }
    let Some(text) = clean(m.text) else {
        return Err(ApiError::field("text", lang.t("v_required")));
    };
    let id = clean(m.id);
    // The id is part of a stored key: a longer one is refused here, every retry alike, rather
    // than failing in the database.
    if id
        .as_ref()
        .is_some_and(|i| i.chars().count() > MAX_MESSAGE_ID)
    {
        return Err(ApiError::field("id", lang.t("v_message_id")));
    }
    crate::service::chat::handle(&state, "sms", &from, &text, id.as_deref()).await?;
    Ok(HttpResponse::Ok().json(SmsOk { ok: true }))
}
