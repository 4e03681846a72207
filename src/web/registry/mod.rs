//! Agencies, units, services and surveys at the edge: the public unit API, the admin API and pages.
pub mod admin_api;
pub mod admin_pages;
pub mod survey_pages;
pub mod units_api;
