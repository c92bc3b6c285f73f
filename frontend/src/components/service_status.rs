//! One line telling the person whether the server can be reached, so they know their work will
//! wait on the device rather than wondering whether it was sent.

use leptos::ev;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{Messages, use_i18n};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Checking,
    Up,
    Unreachable,
}

impl Reach {
    /// Exposed as `data-state` for styling and for browser tests.
    fn name(self) -> &'static str {
        match self {
            Reach::Checking => "checking",
            Reach::Up => "up",
            Reach::Unreachable => "unreachable",
        }
    }

    fn text(self, t: &'static Messages) -> &'static str {
        match self {
            Reach::Checking => t.status_checking,
            Reach::Up => t.status_up,
            Reach::Unreachable => t.status_offline,
        }
    }
}

#[component]
pub fn ServiceStatus() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0u32);
    let health = crate::load::load(move || {
        refresh.track();
        api::health_ready()
    });

    // The browser's own guess at connectivity changing is the cue to ask again, so the line
    // corrects itself without a reload.
    let online = window_event_listener(ev::online, move |_| refresh.update(|n| *n += 1));
    let offline = window_event_listener(ev::offline, move |_| refresh.update(|n| *n += 1));
    on_cleanup(move || {
        online.remove();
        offline.remove();
    });

    // A refetch keeps showing the last answer until the new one arrives, so the line does not
    // flicker back to "checking".
    let reach = Memo::new(move |_| match health.get() {
        None => Reach::Checking,
        Some(Ok(())) => Reach::Up,
        Some(Err(_)) => Reach::Unreachable,
    });
    Effect::new(move || {
        if let Some(Err(error)) = health.get() {
            log::info!("service unreachable: {error}");
        }
    });

    view! {
        <p class="status" role="status" data-state=move || reach.get().name()>
            {move || reach.get().text(i18n.t())}
        </p>
    }
}
