//! Icons drawn inline (no emoji: a phone without an emoji font shows an empty box; no icon font
//! or image request either). Always beside a text label, so hidden from screen readers.

use leptos::prelude::*;

/// A loudspeaker with sound waves, for read aloud.
#[component]
pub fn SpeakerIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M3 9h4l5-4v14l-5-4H3z" />
            <path
                fill="none"
                stroke="currentColor"
                stroke-width="2"
                stroke-linecap="round"
                d="M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11"
            />
        </svg>
    }
}

/// A tick, shown on a switch that is on.
#[component]
pub fn TickIcon() -> impl IntoView {
    view! {
        <svg class="icon toggle-tick" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path
                fill="none"
                stroke="currentColor"
                stroke-width="3"
                stroke-linecap="round"
                stroke-linejoin="round"
                d="M5 12.5l4.5 4.5L19 7.5"
            />
        </svg>
    }
}
