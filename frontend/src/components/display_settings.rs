//! Larger text and high contrast, on every page, remembered on the device.

use leptos::prelude::*;

use crate::i18n::tr;
use crate::prefs::use_prefs;

#[component]
pub fn DisplaySettings() -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <div class="display-settings" role="group" aria-label=tr(|t| t.display_title)>
            <button
                type="button"
                class="toggle"
                aria-pressed=move || prefs.get().large_text.to_string()
                on:click=move |_| prefs.update(|d| d.large_text = !d.large_text)
            >
                {tr(|t| t.large_text)}
            </button>
            <button
                type="button"
                class="toggle"
                aria-pressed=move || prefs.get().high_contrast.to_string()
                on:click=move |_| prefs.update(|d| d.high_contrast = !d.high_contrast)
            >
                {tr(|t| t.high_contrast)}
            </button>
        </div>
    }
}
