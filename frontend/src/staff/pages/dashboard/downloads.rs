//! The CSV exports, fetched with the login's token (a plain link cannot send it) and saved as
//! files.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::use_i18n;
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::text::trs;
use crate::staff::time::today;

#[component]
pub fn Downloads() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let problem = RwSignal::new(None::<&'static str>);
    let download = move |path: &'static str| {
        spawn_local(async move {
            match api::export(auth, &format!("{path}.csv")).await {
                Ok(blob) => {
                    problem.set(None);
                    crate::device::save_file(&blob, &format!("soundings-{path}-{}.csv", today()));
                }
                Err(error) => {
                    log::warn!("export not fetched: {error}");
                    problem.set(Some(i18n.s().staff_download_failed));
                }
            }
        });
    };
    view! {
        <section class="dashboard-detail" aria-labelledby="downloads-title">
            <h2 id="downloads-title">{trs(|t| t.staff_downloads_title)}</h2>
            <p class="hint">{trs(|t| t.staff_downloads_lead)}</p>
            <div class="button-group">
                <button type="button" class="button button-secondary" id="download-episodes" on:click=move |_| download("episodes")>
                    {trs(|t| t.staff_download_episodes)}
                </button>
                <button type="button" class="button button-secondary" id="download-responses" on:click=move |_| download("responses")>
                    {trs(|t| t.staff_download_responses)}
                </button>
            </div>
            {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        </section>
    }
}
