//! The training loop's storage: catalogues, signals read for the engine, recommendations.
pub mod catalogue;
pub mod recommendations;
pub mod signals;
