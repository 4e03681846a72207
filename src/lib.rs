//! Suara: citizen feedback on public services in Jambi, turned into training evidence.
//!
//! Layers, from the outside in: `web` (the HTTP edge: parse, call, render) → `service` (use
//! cases and their transactions) → `domain` (pure rules) and `store` (SQL). `bootstrap` starts
//! the process; `seed` fills a new database.
pub mod bootstrap;
pub mod domain;
pub mod i18n;
pub mod meters;
pub mod outbox;
pub mod security;
pub mod seed;
pub mod service;
pub mod store;
pub mod web;
