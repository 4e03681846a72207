//! Starting the process: the command line, settings from the environment, the database pool,
//! the application and its background jobs, logging.
pub mod backup;
pub mod cli;
pub mod configuration;
pub mod db;
pub mod jobs;
pub mod startup;
pub mod state;
pub mod telemetry;
