//! The Soundings server: configuration, database, auth and the JSON API, assembled by
//! [`startup::Application`]. `main.rs` only parses the command line and calls in here.

pub mod auth;
pub mod cli;
pub mod client_addr;
pub mod config;
pub mod db;
pub mod deadline;
pub mod demo;
pub mod entities;
pub mod error;
pub mod extract;
pub mod html;
pub mod in_flight;
pub mod json;
pub mod repo;
pub mod routes;
pub mod services;
pub mod startup;
pub mod state;
pub mod static_files;
pub mod telemetry;
pub mod time;
pub mod xlsx;

pub use error::{ApiError, Result};
