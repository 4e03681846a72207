//! The outbox: every message Suara sends (e-mail, SMS, WhatsApp) is a row first, delivered by
//! one worker with retries; `mail` holds the worker and the e-mail transport, `sms` and
//! `whatsapp` the chat gateways it hands replies to.
pub mod mail;
pub mod sms;
pub mod whatsapp;
