//! Use cases: what a citizen, a supervisor or a planner does, whatever the channel that asks.
pub mod analytics;
pub mod complaints;
pub mod error;
pub mod period;
pub mod skm_report;
pub mod survey;

/// Today in Jambi (WIB): the day deadlines, reports and plans count from.
pub fn today_wib() -> chrono::NaiveDate {
    crate::domain::calendar::wib_date(chrono::Utc::now())
}
pub mod training;
pub mod training_engine;
