//! Complaints at the edge: the citizen's API and pages, the supervisors' triage, uploads, and
//! the holiday calendar their deadlines skip.
pub mod citizen;
pub mod holidays_api;
pub mod triage;
pub mod uploads;
