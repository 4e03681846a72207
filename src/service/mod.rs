//! Use cases: what a citizen, a supervisor or a planner does, whatever the channel that asks.
pub mod complaints;
pub mod registry;
pub mod training;
