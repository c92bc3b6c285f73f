//! The CSV exports and the period's SEQF audit workbook, fetched with the login's token (a
//! plain link cannot send it) and saved as files.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Shown;
use crate::i18n::use_i18n;
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::text::trs;
use crate::staff::time::today;

#[component]
pub fn Downloads(shown: Shown) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let problem = RwSignal::new(None::<&'static str>);
    let failed = move |error: crate::api::ApiError| {
        log::warn!("download not fetched: {error}");
        problem.set(Some(i18n.s().staff_download_failed));
    };
    let download = move |path: &'static str| {
        spawn_local(async move {
            match api::export(auth, &format!("{path}.csv")).await {
                Ok(blob) => {
                    problem.set(None);
                    crate::device::save_file(&blob, &format!("soundings-{path}-{}.csv", today()));
                }
                Err(error) => failed(error),
            }
        });
    };
    let workbook = move |_| {
        let Some(period) = shown.period.get_untracked() else {
            return;
        };
        let filters = shown.filters.get_untracked();
        spawn_local(async move {
            match api::seqf_workbook(auth, period, &filters).await {
                Ok(blob) => {
                    problem.set(None);
                    let name = format!(
                        "soundings-seqf-workbook-{}-to-{}.xlsx",
                        period.first, period.last
                    );
                    crate::device::save_file(&blob, &name);
                }
                Err(error) => failed(error),
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
                <button type="button" class="button button-secondary" id="download-workbook" on:click=workbook>
                    {trs(|t| t.staff_download_workbook)}
                </button>
            </div>
            {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        </section>
    }
}
