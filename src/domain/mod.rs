//! Pure rules: no actix, no sea-orm. Unit-tested beside the code.
pub mod calendar;
pub mod complaint;
pub mod complaint_cells;
pub mod conversation;
pub mod deadline_shift;
pub mod format;
pub mod measures;
pub mod registry;
pub mod response_row;
pub mod similarity;
pub mod skm;
pub mod skm_survey;
pub mod spreadsheet;
pub mod stats;
pub mod survey;
pub mod training;
pub mod validation;
