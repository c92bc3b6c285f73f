//! The Soundings PWA. `main.rs` only mounts [`App`]; everything else lives here so that the
//! pure parts can be unit-tested natively with `cargo test -p soundings-frontend`.

pub mod api;
mod app;
mod components;
mod device;
pub mod i18n;
mod later;
mod link;
mod load;
mod offline;
mod pages;
mod prefs;
pub mod staff;
mod store;
pub mod survey;

pub use app::App;

/// What both apps' `main` does first: panics and logs go to the browser console.
pub fn start_logging() {
    console_error_panic_hook::set_once();
    let level = if cfg!(debug_assertions) {
        log::Level::Debug
    } else {
        log::Level::Info
    };
    // Fails only if a logger is already set, which leaves logging working anyway.
    let _ = console_log::init_with_level(level);
}
