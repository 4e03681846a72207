//! Complaint use cases: filing, views, the workflow and the queue. Every channel (the web form,
//! the JSON API, chat) calls these; each step writes its audit entry and e-mails in the same
//! transaction as the change.
mod attachments;
mod deadlines;
mod digest;
mod held;
mod intake;
mod news;
mod queue;
mod reply_templates;
mod views;
mod workflow;

pub use attachments::*;
pub use deadlines::*;
pub use digest::*;
pub use held::*;
pub use intake::*;
pub use queue::*;
pub use reply_templates::*;
pub use views::*;
pub use workflow::*;
