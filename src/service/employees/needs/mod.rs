//! Needs from the staff themselves: a supervisor opens a round for a year and gets one personal,
//! one-time, expiring link per employee (to share by WhatsApp or print); the employee says on a
//! phone which competencies (up to three, current and needed level 1–4), what training would help
//! and how they would like to learn; the supervisor sees who answered and confirms a programme or
//! course with its JP, which then counts as planned for that person.
mod input;
mod links;
mod supervisor;

pub use input::*;
pub use links::*;
pub use supervisor::*;
