//! Open311 GeoReport v2: the complaint categories as services, complaints as service requests.
//! What a GeoReport client may read follows the rules of `/track`: never a `rahasia` complaint,
//! never contact details, never the citizen's own text (it may name people).
//!
//! Mapping (see docs/open311.md): `service_code` = category code; `group` = the complaint kind,
//! always `pengaduan` (a category is not tied to a kind, and GeoReport requests are complaints);
//! the unit is the required `singlevaluelist` attribute `unit`; `service_request_id` = the
//! tracking ID, given at once (so a token is a tracking ID too).
//!
//! `discovery` (jurisdiction, keys), `services` (categories and their definition), `requests`
//! (reading requests) and `filing` (`POST requests`); re-exported here as `service::open311::*`.
mod discovery;
mod filing;
mod requests;
mod services;

pub use discovery::*;
pub use filing::*;
pub use requests::*;
pub use services::*;
