//! sea-orm entities: one module per table, data only.
pub mod agency;
pub mod api_token;
pub mod response;
pub mod rollup_unit_day;
pub mod service;
pub mod session;
pub mod survey;
pub mod survey_code;
pub mod survey_version;
pub mod unit;
pub mod unit_survey;
pub mod user;
pub mod user_unit;
