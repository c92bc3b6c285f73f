//! The English/Welsh switch. Its label is written in the language it switches to, and marked
//! so, as bilingual services in Wales do.

use leptos::prelude::*;

use crate::i18n::{tr, use_i18n};

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let target = move || i18n.lang().other();
    view! {
        <button
            type="button"
            class="language-switch"
            lang=move || target().code()
            on:click=move |_| i18n.set(target())
        >
            // Each language's file holds the name of the language it switches to.
            {tr(|t| t.language_switch)}
        </button>
    }
}
