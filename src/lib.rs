//! Suara: citizen feedback on public services in Jambi, turned into training evidence.
pub mod auth;
pub mod cli;
pub mod configuration;
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod mail;
pub mod openapi;
pub mod ratelimit;
pub mod render;
pub mod routes;
pub mod seed;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
