//! WhatsApp Cloud API, outbound: an outbox row with transport `whatsapp` becomes a text message
//! POSTed to `{api_url}/{phone_number_id}/messages` with the bearer token. Anything but a 2xx
//! answer is a failure, retried by the outbox like e-mail.
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
        let client = awc::Client::builder().timeout(budget).finish();
        let res = client
            .post(format!("{}/{phone}/messages", s.api_url))
            .bearer_auth(token)
            .send_json(&json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": m.to_addr,
                "type": "text",
                "text": {"preview_url": false, "body": m.body_text},
            }))
            .await
            .map_err(|e| anyhow::anyhow!("WhatsApp Cloud API: {e}"))?;
        if !res.status().is_success() {
            anyhow::bail!("WhatsApp Cloud API answered {}", res.status());
        }
        Ok(())
    }
}
