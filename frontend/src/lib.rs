//! The Soundings PWA. `main.rs` only mounts [`App`]; everything else lives here so that the
//! pure parts can be unit-tested natively with `cargo test -p soundings-frontend`.

pub mod api;
mod app;
mod components;
pub mod i18n;
mod offline;

pub use app::App;
