//! Chat channels at the edge: gateways post citizens' messages here; replies leave through the
//! outbox. Each channel checks its gateway's secret, then hands the message to `service::chat`.
pub mod rapidpro;
pub mod sms;
pub mod whatsapp;

/// The channels' operations in the OpenAPI document (see [`crate::web::openapi`]).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(sms::post_sms, whatsapp::verify, whatsapp::notify, rapidpro::post_run),
    components(schemas(
        sms::SmsIn,
        sms::SmsOk,
        whatsapp::Notification,
        whatsapp::WaEntry,
        whatsapp::WaChange,
        whatsapp::WaChangeValue,
        whatsapp::WaMessage,
        whatsapp::WaText,
        whatsapp::WaButton,
        whatsapp::Handled,
        rapidpro::RunRef,
        rapidpro::RunIn,
        rapidpro::RunStored
    ))
)]
pub struct Api;
