//! The Soundings PWA. `main.rs` only mounts [`App`]; everything else lives here so that the
//! pure parts can be unit-tested natively with `cargo test -p soundings-frontend`.

pub mod api;
mod app;
mod components;
mod device;
pub mod i18n;
mod link;
mod load;
mod offline;
mod pages;
mod prefs;
pub mod staff;
mod store;
pub mod survey;

pub use app::App;
