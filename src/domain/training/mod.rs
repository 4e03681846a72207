//! The loop back to training: rules as data that read a unit's feedback signals, the engine that
//! turns them into prioritised recommendations with evidence, the recommendation lifecycle, the
//! yearly competency plan, and the before/after evaluation of completed training.
pub mod describe;
pub mod engine;
pub mod impact;
pub mod lifecycle;
pub mod observe;
pub mod people;
pub mod plan;
pub mod reading;
pub mod rerun;
pub mod rules;
pub mod signals;
#[cfg(test)]
mod tests;

pub use engine::{Finding, evaluate};
pub use impact::{Impact, ImpactLabel, evaluate_impact};
pub use lifecycle::{Action, Status, transition};
pub use observe::Observation;
pub use rules::{Condition, RateBase, RuleDef};
pub use signals::{ComplaintFact, Signals, UnitSignals};

/// Competency types of Peraturan LAN 10/2018.
pub const COMPETENCY_KINDS: &[&str] = &["teknis", "manajerial", "sosial_kultural"];
/// Forms of competency development.
pub const FORMS: &[&str] = &["klasikal", "nonklasikal"];
/// Methods, by form.
pub const METHODS: &[&str] = &[
    "pelatihan",
    "workshop",
    "bimtek",
    "seminar",
    "kursus",
    "e-learning",
    "coaching",
    "mentoring",
    "on-the-job",
    "magang",
    "komunitas-belajar",
];
/// Every civil servant is entitled to at least this many JP (jam pelajaran) a year.
pub const JP_MINIMUM: f64 = 20.0;
