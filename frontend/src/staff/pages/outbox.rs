//! The outbox page: every record this person made on the device that the server does not have
//! yet, what the server refused and why, edits it kept as conflicts to resolve, when it last took
//! records, and a button to send now.
//! Logging out is here too, because it removes what waits (after saying so).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::PageHeading;
use crate::i18n::{fill, use_i18n};
use crate::load::load;
use crate::offline::outbox::{self as stored, Listed, Status};
use crate::offline::use_outbox;
use crate::staff::text::{trs, trs_owned};

use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::nav::last_sync;
use crate::staff::offline::use_caseload;
use crate::staff::route::{Link, Route};
use crate::staff::time::time_of;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let auth = use_auth();
    let caseload = use_caseload();
    let records = load(move || {
        let _ = outbox.synced();
        let owner = auth.me().map(|m| m.id.to_string()).unwrap_or_default();
        async move { stored::list(&owner).await.unwrap_or_default() }
    });
    let waiting = move || {
        records
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.status == Status::Waiting)
            .collect::<Vec<Listed>>()
    };
    let refused = move || {
        records
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.status == Status::Refused)
            .collect::<Vec<Listed>>()
    };
    let conflicts = move || {
        records
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.status == Status::Conflict)
            .collect::<Vec<Listed>>()
    };
    let confirm_logout = RwSignal::new(false);
    let logout = move |_| {
        let count = waiting().len() + refused().len();
        if count > 0 && !confirm_logout.get_untracked() {
            confirm_logout.set(true);
            return;
        }
        spawn_local(async move {
            let Some(login) = auth.login() else { return };
            let owner = login.staff.id.to_string();
            if let Err(error) = stored::remove_owner(&owner).await {
                log::warn!("could not clear the outbox: {error}");
            }
            caseload.purge();
            crate::survey::forget_all_assisted();
            api::logout(&login.refresh_token).await;
            auth.set(None);
        });
    };
    view! {
        <PageHeading text=trs_owned(|t| t.staff_outbox_title) />
        <p class="outbox-count" data-waiting=move || waiting().len().to_string()>
            {move || fill(i18n.s().staff_sync_waiting, &[("n", &waiting().len().to_string())])}
        </p>
        <p>{move || last_sync(i18n, outbox)}</p>
        <button
            type="button"
            class="button"
            id="sync-now"
            disabled=move || outbox.syncing()
            on:click=move |_| outbox.sync()
        >
            {trs(|t| t.staff_sync_now)}
        </button>
        <Show when=move || !waiting().is_empty()>
            <h2>{trs(|t| t.staff_outbox_waiting)}</h2>
            <ul class="plain-list outbox-list">
                <For
                    each=waiting
                    key=|r| r.key.clone()
                    children=move |r| {
                        view! {
                            <li class="outbox-item">
                                {r.label.clone()}
                                <span class="hint">" · " {time_of(r.created)}</span>
                            </li>
                        }
                    }
                />
            </ul>
        </Show>
        <Show when=move || !refused().is_empty()>
            <h2>{trs(|t| t.staff_outbox_refused)}</h2>
            <ul class="plain-list outbox-list">
                <For
                    each=refused
                    key=|r| r.key.clone()
                    children=move |r| {
                        let key = r.key.clone();
                        view! {
                            <li class="outbox-item outbox-refused">
                                <p>{r.label.clone()}</p>
                                <p>{fill(i18n.s().staff_refused_reason, &[("reason", &r.reason.clone().unwrap_or_default())])}</p>
                                <button
                                    type="button"
                                    class="button button-secondary"
                                    on:click=move |_| {
                                        let key = key.clone();
                                        spawn_local(async move {
                                            if let Err(error) = stored::retry(&key).await {
                                                log::warn!("could not retry: {error}");
                                            }
                                            outbox.sync();
                                        });
                                    }
                                >
                                    {trs(|t| t.staff_retry)}
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
        </Show>
        <Show when=move || !conflicts().is_empty()>
            <h2>{trs(|t| t.staff_outbox_conflicts)}</h2>
            <p>{trs(|t| t.staff_outbox_conflicts_hint)}</p>
            <ul class="plain-list outbox-list">
                <For
                    each=conflicts
                    key=|r| r.key.clone()
                    children=move |r| {
                        // The client's page shows both versions and resolves them.
                        let client = caseload.with_untracked(|c| {
                            c.edits
                                .iter()
                                .find(|e| e.edit.id.to_string() == r.key)
                                .and_then(|e| c.episode(e.episode_id))
                                .map(|e| e.participant_id)
                        });
                        view! {
                            <li class="outbox-item outbox-conflict">
                                {match client {
                                    Some(id) => view! { <Link route=Route::Client(id)>{r.label.clone()}</Link> }.into_any(),
                                    None => view! { <span>{r.label.clone()}</span> }.into_any(),
                                }}
                                <span class="hint">" · " {time_of(r.created)}</span>
                            </li>
                        }
                    }
                />
            </ul>
        </Show>
        <h2>{trs(|t| t.staff_logout_title)}</h2>
        <Show when=move || confirm_logout.get()>
            <div class="notice staff-warning" role="alert">
                <p>
                    {move || fill(
                        i18n.s().staff_logout_warning,
                        &[("n", &(waiting().len() + refused().len()).to_string())],
                    )}
                </p>
            </div>
        </Show>
        <button type="button" class="button button-warning" id="logout" on:click=logout>
            {move || if confirm_logout.get() {
                i18n.s().staff_logout_confirm
            } else {
                i18n.s().staff_logout
            }}
        </button>
    }
}
