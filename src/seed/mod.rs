//! Filling a database: what every start needs, the demo history, and bulk synthetic data.
pub mod copy_load;
pub mod demo_history;
pub mod demo_people;
pub mod demo_queue;
pub mod first_start;
pub mod rng;
pub mod rows;
pub mod synthetic;
pub mod synthetic_responses;
pub mod training_catalogue;
