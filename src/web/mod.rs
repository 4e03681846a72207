//! The HTTP edge: feature folders (survey, complaints, analytics, training, registry, staff,
//! channels, open311), each with its JSON API and pages side by side, and what they share (errors,
//! rendering, who is calling, forms, the boundary checks, rate limits, the OpenAPI document).
//! This file is the route table; nothing below imports it.
pub mod analytics;
pub mod assets;
pub mod auth;
pub mod channels;
pub mod complaints;
pub mod employees;
pub mod error;
pub mod fallbacks;
pub mod flash;
pub mod follow_up_pages;
pub mod follow_ups;
pub mod forms;
pub mod health;
pub mod lang;
pub mod learning;
pub mod open311;
pub mod openapi;
pub mod people_desk;
pub mod people_pages;
pub mod prometheus;
pub mod public_results;
pub mod queue;
pub mod ratelimit;
pub mod redirect;
pub mod registry;
pub mod render;
pub mod request_checks;
pub mod staff;
pub mod state;
pub mod survey;
pub mod training;
pub mod xlsx;

use actix_web::web;

use crate::web::assets::{css, favicon, js, offline_js, service_worker};
use crate::web::fallbacks::{form_config, json_config, not_found, path_config, query_config};
use crate::web::health::{healthz, readyz};
use crate::web::lang::set_lang;

pub fn configure(cfg: &mut web::ServiceConfig, body_limit: usize) {
    cfg.app_data(json_config(body_limit))
        .app_data(form_config(body_limit))
        .app_data(query_config())
        .app_data(path_config())
        .service(healthz)
        .service(readyz)
        .service(prometheus::metrics)
        .service(css)
        .service(favicon)
        .service(js)
        .service(offline_js)
        .service(service_worker)
        .service(set_lang)
        .service(openapi::openapi_json)
        // First among the patterned routes: actix tries routes in this order (a regex each for
        // the patterned ones, and once more for the metrics' route label), and the citizens'
        // intake is the busiest path by far.
        .configure(survey::api::configure)
        .configure(registry::units_api::configure)
        .configure(registry::agencies_api::configure)
        .configure(registry::surveys_api::configure)
        .configure(complaints::holidays_api::configure)
        .configure(complaints::reply_templates_api::configure)
        .configure(complaints::reply_templates_pages::configure)
        .configure(follow_ups::configure)
        .configure(follow_up_pages::configure)
        .configure(public_results::configure)
        .configure(queue::configure)
        .configure(employees::configure)
        .configure(learning::configure)
        .configure(people_pages::configure)
        .configure(people_desk::configure)
        .configure(channels::sms::configure)
        .configure(channels::whatsapp::configure)
        .configure(channels::rapidpro::configure)
        .configure(open311::configure)
        .configure(analytics::configure)
        .configure(complaints::citizen::configure)
        .configure(complaints::track::configure)
        .configure(complaints::triage::configure)
        .configure(complaints::triage_pages::configure)
        .configure(complaints::attachments::configure)
        .configure(complaints::dashboard::configure)
        .configure(training::participants::configure)
        .configure(training::api::configure)
        .configure(training::admin_api::configure)
        .configure(training::pages::configure)
        .configure(staff::configure)
        .configure(registry::survey_pages::configure)
        .configure(registry::agencies_pages::configure)
        .configure(registry::agency_logo::configure)
        .configure(registry::units_pages::configure)
        .configure(survey::pages::configure)
        .default_service(web::to(not_found));
}
