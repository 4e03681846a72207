//! Logging: one tracing subscriber, filtered by `SUARA_LOG`.
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls (several test apps in one process) are no-ops.
pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}
