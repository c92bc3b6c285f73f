//! Always in view while something waits: how many records are on this device waiting to be
//! sent, and any the server refused, with its reason (DESIGN §6).

use leptos::prelude::*;

use crate::i18n::{fill, use_i18n};
use crate::offline::use_outbox;

#[component]
pub fn OutboxStatus() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let waiting = move || outbox.summary().waiting;
    view! {
        <div class="outbox-status" role="status" data-waiting=move || waiting().to_string()>
            <Show when=move || { waiting() > 0 }>
                <p>{move || fill(i18n.t().answers_waiting, &[("n", &waiting().to_string())])}</p>
            </Show>
            <For
                each=move || outbox.summary().refused
                key=|refused| refused.key.clone()
                children=move |refused| {
                    let reason = refused.reason.unwrap_or_default();
                    view! {
                        <p class="outbox-refused">
                            {move || fill(i18n.t().done_refused, &[("reason", &reason)])}
                        </p>
                    }
                }
            />
        </div>
    }
}
