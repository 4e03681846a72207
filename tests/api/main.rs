//! One integration-test binary: it links once.
mod helpers;

mod analytics;
mod auth;
mod channels;
mod complaints;
mod csrf;
mod deadlines;
mod desk;
mod digest;
mod exports;
mod flash;
mod foundation;
mod hardening;
mod labels;
mod mail;
mod open311;
mod openapi;
mod ops;
mod rapidpro;
mod registry;
mod scale;
mod supervisor_tools;
mod survey;
mod training;
mod uploads;
mod whatsapp;
