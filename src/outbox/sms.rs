//! The SMS gateway's outbound side: an outbox row with transport `sms` is POSTed to
//! `SUARA_SMS_SEND_URL` as `{"to", "text", "id"}` (HTTP or HTTPS; the id lets the gateway drop a
//! resend of a message it already took). Anything but a 2xx answer is a failure, retried.
use std::time::Duration;

use serde_json::json;

pub struct Gateway {
    send_url: Option<String>,
}

impl Gateway {
    pub fn new(send_url: Option<String>) -> Self {
        Gateway { send_url }
    }

    /// Hands one message to the gateway within `budget`.
    pub async fn send(&self, m: &entity::outbox::Model, budget: Duration) -> anyhow::Result<()> {
        let Some(url) = &self.send_url else {
            anyhow::bail!("SUARA_SMS_SEND_URL is not set");
        };
        // A client per message: awc's client is tied to its thread, the mailer is shared.
        let client = awc::Client::builder().timeout(budget).finish();
        let res = client
            .post(url)
            .send_json(&json!({"to": m.to_addr, "text": m.body_text, "id": m.id}))
            .await
            .map_err(|e| anyhow::anyhow!("SMS gateway: {e}"))?;
        if !res.status().is_success() {
            anyhow::bail!("SMS gateway answered {}", res.status());
        }
        Ok(())
    }
}
