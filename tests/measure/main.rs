//! Measurements: long, resource-hungry runs that report figures. Not part of `cargo test` or
//! `--include-ignored`; built only with the `measurements` feature, and each runs alone here
//! (a measurement that reads the process's peak memory must not share it with other tests):
//!
//! `EXPORT_ROWS=1000000 cargo test --features measurements --test measure -- --nocapture`
//! (add `TEST_DATABASE_URL=postgres://…` for PostgreSQL).
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;
#[path = "../api/response_rows.rs"]
mod response_rows;

mod export_memory;
