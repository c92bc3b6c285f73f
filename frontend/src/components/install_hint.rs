//! "Add to home screen", offered by the app itself where the browser offers installation (the
//! browser's own prompt is easy to miss). Shown on a participant's phone only, once dismissed
//! never again on that phone.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use crate::i18n::tr;
use crate::{device, store};

const DISMISSED_KEY: &str = "soundings.install-hint-dismissed";

#[component]
pub fn InstallHint() -> impl IntoView {
    let offered = RwSignal::new(false);
    if !store::get::<bool>(DISMISSED_KEY).unwrap_or(false) {
        let listener = Closure::<dyn Fn()>::new(move || {
            // The page may have moved on; a signal of a page gone is not set.
            let _ = offered.try_set(true);
        });
        device::on_installable(&listener);
        // Lives as long as the page: the browser may offer installation at any time.
        listener.forget();
    }
    let install = move |_| {
        offered.set(false);
        spawn_local(async move {
            let accepted = device::install().await;
            log::info!("add to home screen: accepted {accepted}");
        });
    };
    let dismiss = move |_| {
        offered.set(false);
        store::set(DISMISSED_KEY, &true);
    };
    view! {
        <Show when=move || offered.get()>
            <aside class="install-hint" aria-labelledby="install-hint-text">
                <p id="install-hint-text">{tr(|t| t.install_hint)}</p>
                <div class="button-group">
                    <button type="button" class="button button-secondary" id="install" on:click=install>
                        {tr(|t| t.install_button)}
                    </button>
                    <button type="button" class="link-button" on:click=dismiss>
                        {tr(|t| t.install_dismiss)}
                    </button>
                </div>
            </aside>
        </Show>
    }
}
