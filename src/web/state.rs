//! The process's shared state, as handlers extract it (`bootstrap::state` builds it).
pub type State = actix_web::web::Data<crate::bootstrap::state::AppState>;
