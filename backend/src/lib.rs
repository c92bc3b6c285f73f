//! The Soundings server: configuration, database, auth and the JSON API, assembled by
//! [`startup::Application`]. `main.rs` only parses the command line and calls in here.

pub mod audit;
pub mod auth;
pub mod capture;
pub mod cli;
pub mod client_addr;
pub mod config;
pub mod db;
pub mod demo;
pub mod entities;
pub mod error;
pub mod feedback;
pub mod json;
pub mod mail;
pub mod privacy;
pub mod repo;
pub mod reports;
pub mod routes;
pub mod startup;
pub mod telemetry;
pub mod transfer;
pub mod voice;

pub use error::{ApiError, Result};
