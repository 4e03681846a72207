//! Chat channels at the edge: gateways post citizens' messages here; replies leave through the
//! outbox. Each channel checks its gateway's secret, then hands the message to `service::chat`.
pub mod sms;

/// The channels' operations in the OpenAPI document (see [`crate::web::openapi`]).
#[derive(utoipa::OpenApi)]
#[openapi(paths(sms::post_sms), components(schemas(sms::SmsIn, sms::SmsOk)))]
pub struct Api;
