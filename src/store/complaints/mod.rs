//! Complaints in the database, a file per concern: `rows` (file, read, save a complaint),
//! `events` (its history), `attachments`, `queue` (the staff queue, what falls due, counts),
//! `duplicates`, `contacts` (erased once finished), `categories` and `holidays` (the calendar
//! deadlines count on). Everything is re-exported here, so callers name
//! `store::complaints::queue` and the like.
mod attachments;
mod categories;
mod contacts;
mod duplicates;
mod events;
mod holidays;
mod queue;
mod rows;

pub use attachments::*;
pub use categories::*;
pub use contacts::*;
pub use duplicates::*;
pub use events::*;
pub use holidays::*;
pub use queue::*;
pub use rows::*;
