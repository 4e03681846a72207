//! Complaints at the edge: the citizen's API and pages, the supervisors' triage, uploads.
pub mod citizen;
pub mod triage;
pub mod uploads;
