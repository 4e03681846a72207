//! One integration-test binary: it links once.
mod helpers;

mod analytics;
mod auth;
mod complaints;
mod foundation;
mod openapi;
mod registry;
mod survey;
mod training;
