//! Training pages: the recommendation list, one recommendation, the plan, the catalogue.
use actix_web::web;

pub fn configure(_cfg: &mut web::ServiceConfig) {}
