//! Icons drawn inline (no emoji: a phone without an emoji font shows an empty box; no icon font
//! or image request either). Always beside a text label, so hidden from screen readers. Each is
//! one fixed string of SVG, which costs the app far fewer bytes than building its elements.

use leptos::prelude::*;

/// A loudspeaker with sound waves, for read aloud.
const SPEAKER: &str = r#"<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M3 9h4l5-4v14l-5-4H3z"/><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11"/></svg>"#;

#[component]
pub fn SpeakerIcon() -> impl IntoView {
    view! { <span class="icon-box" inner_html=SPEAKER></span> }
}
