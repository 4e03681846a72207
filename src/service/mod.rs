//! Use cases: what a citizen, a supervisor or a planner does, whatever the channel that asks.
//! No actix here: each use case answers with its result or a [`error::ServiceError`], and the
//! edge turns that into JSON, a page or a chat reply.
pub mod agency_logos;
pub mod analytics;
pub mod channels_by_period;
pub mod chat;
pub mod chat_media;
pub mod chat_questions;
pub mod chat_text;
pub mod chat_windows;
pub mod complaints;
pub mod context;
pub mod employees;
pub mod error;
pub mod follow_ups;
pub mod identity;
pub mod open311;
pub mod period;
pub mod public_results;
pub mod queue;
pub mod rapidpro;
pub mod registry;
pub mod response_export;
pub mod retention;
pub mod sender_lock;
pub mod skm_report;
pub mod survey;
pub mod survey_codes;
pub mod survey_registry;
pub mod training;
pub mod training_engine;
#[cfg(test)]
mod use_case_tests;

/// Today in Jambi (WIB): the day deadlines, reports and plans count from.
pub fn today_wib() -> chrono::NaiveDate {
    crate::domain::calendar::wib_date(chrono::Utc::now())
}
