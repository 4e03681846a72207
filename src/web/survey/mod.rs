//! The survey at the edge: the JSON API and the citizen's pages.
pub mod api;
pub mod pages;
