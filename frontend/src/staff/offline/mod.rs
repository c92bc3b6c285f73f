//! What the staff app keeps on the device to work with no signal: the caseload cache with the
//! sessions in it (refreshed from the server by [`fetch`]), and its records in the outbox both
//! apps share.

pub mod cache;
pub mod fetch;
pub mod journey;
pub mod outbox;
pub mod sessions;

pub use cache::{Caseload, LocalScore, use_caseload};
pub use sessions::{LocalEdit, SessionView};

use leptos::prelude::*;

/// Whether the app's own files are kept by the service worker, so it opens with no signal.
#[derive(Debug, Clone, Copy)]
pub struct ShellKept(RwSignal<bool>);

impl ShellKept {
    pub fn provide() -> ShellKept {
        let kept = ShellKept(RwSignal::new(false));
        crate::offline::outbox::watch_shell(move || kept.0.set(true));
        provide_context(kept);
        kept
    }

    pub fn get(self) -> bool {
        self.0.get()
    }
}

pub fn use_shell_kept() -> ShellKept {
    expect_context::<ShellKept>()
}
