//! The training loop at the edge: recommendations API, catalogue and rules API, pages.
pub mod admin_api;
pub mod api;
pub mod pages;
