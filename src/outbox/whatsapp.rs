//! WhatsApp Cloud API, outbound: an outbox row with transport `whatsapp` becomes a message
//! POSTed to `{api_url}/{phone_number_id}/messages` with the bearer token: text, or — when the
//! row carries a template (news outside the 24-hour window) — that approved template with its
//! body parameters. Anything but a 2xx answer is a failure, retried by the outbox like e-mail.
use std::time::Duration;

use serde_json::json;

use crate::bootstrap::configuration::WhatsAppSettings;

pub struct Cloud {
    settings: WhatsAppSettings,
}

impl Cloud {
    pub fn new(settings: WhatsAppSettings) -> Self {
        Cloud { settings }
    }

    /// Sends one chat reply within `budget`.
    pub async fn send(&self, m: &entity::outbox::Model, budget: Duration) -> anyhow::Result<()> {
        let s = &self.settings;
        let (Some(token), Some(phone)) = (&s.token, &s.phone_number_id) else {
            anyhow::bail!("SUARA_WHATSAPP_TOKEN or SUARA_WHATSAPP_PHONE_NUMBER_ID is not set");
        };
        let body = match &m.template {
            Some(t) => template_message(&m.to_addr, t)?,
            None => json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": m.to_addr,
                "type": "text",
                "text": {"preview_url": false, "body": m.body_text},
            }),
        };
        let client = awc::Client::builder().timeout(budget).finish();
        let res = client
            .post(format!("{}/{phone}/messages", s.api_url))
            .bearer_auth(token)
            .send_json(&body)
            .await
            .map_err(|e| anyhow::anyhow!("WhatsApp Cloud API: {e}"))?;
        if !res.status().is_success() {
            anyhow::bail!("WhatsApp Cloud API answered {}", res.status());
        }
        Ok(())
    }
}

/// The Cloud API's template message for `to` from the row's `{"name", "language", "params"}`.
fn template_message(to: &str, template: &str) -> anyhow::Result<serde_json::Value> {
    let t: serde_json::Value = serde_json::from_str(template)?;
    let params: Vec<serde_json::Value> = t["params"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| json!({"type": "text", "text": p.as_str().unwrap_or("-")}))
                .collect()
        })
        .unwrap_or_default();
    Ok(json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {
            "name": t["name"],
            "language": {"code": t["language"]},
            "components": [{"type": "body", "parameters": params}],
        },
    }))
}

impl Cloud {
    /// The bytes of a citizen's photo or document: the Graph API names its download URL
    /// (`GET {api}/{media-id}` → `{"url"}`), fetched with the same bearer token. More than
    /// `max_bytes` is refused without keeping it.
    pub async fn fetch_media(&self, media_id: &str, max_bytes: usize) -> anyhow::Result<Vec<u8>> {
        let s = &self.settings;
        let Some(token) = &s.token else {
            anyhow::bail!("SUARA_WHATSAPP_TOKEN is not set");
        };
        // Meta's ids are digits; anything else cannot be put in a path.
        if media_id.is_empty() || !media_id.chars().all(|c| c.is_ascii_alphanumeric()) {
            anyhow::bail!("not a media id");
        }
        let client = awc::Client::builder()
            .timeout(Duration::from_secs(15))
            .finish();
        let mut res = client
            .get(format!("{}/{media_id}", s.api_url))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("WhatsApp media: {e}"))?;
        if !res.status().is_success() {
            anyhow::bail!("WhatsApp media answered {}", res.status());
        }
        let meta: serde_json::Value = res.json().await?;
        let Some(url) = meta["url"].as_str() else {
            anyhow::bail!("WhatsApp media without a url");
        };
        let mut res = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("WhatsApp media download: {e}"))?;
        if !res.status().is_success() {
            anyhow::bail!("WhatsApp media download answered {}", res.status());
        }
        let body = res
            .body()
            .limit(max_bytes)
            .await
            .map_err(|e| anyhow::anyhow!("WhatsApp media download: {e}"))?;
        Ok(body.to_vec())
    }
}
