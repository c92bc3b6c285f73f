//! The outbox page: every record this person made on the device that the server does not have
//! yet, what the server refused and why, edits it kept as conflicts to resolve, when it last took
//! records, and a button to send now.
//! Logging out is here too, because it removes what waits (after saying so), and the backup file
//! of what waits ([`backup`]).

mod backup;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::PageHeading;
use crate::i18n::{fill, use_i18n};
use crate::load::load;
use crate::offline::outbox::{self as stored, Listed, Status};
use crate::offline::use_outbox;
use crate::staff::api;
use crate::staff::auth::{Auth, use_auth};
use crate::staff::components::nav::last_sync;
use crate::staff::offline::{Caseload, use_caseload};
use crate::staff::route::{Link, Route};
use crate::staff::text::{trs, trs_owned};
use crate::staff::time::time_of;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let outbox = use_outbox();
    let auth = use_auth();
    let records = load(move || {
        let _ = outbox.synced();
        let owner = auth.me().map(|m| m.id.to_string()).unwrap_or_default();
        async move { stored::list(&owner).await.unwrap_or_default() }
    });
    let at = move |status: Status| {
        Signal::derive(move || {
            let records = records.get().unwrap_or_default();
            records
                .into_iter()
                .filter(|r| r.status == status)
                .collect::<Vec<Listed>>()
        })
    };
    let (waiting, refused) = (at(Status::Waiting), at(Status::Refused));
    // What logging out would remove from this phone unsent.
    let unsent = Signal::derive(move || waiting.with(Vec::len) + refused.with(Vec::len));
    view! {
        <PageHeading text=trs_owned(|t| t.staff_outbox_title) />
        <SyncNow waiting />
        <RecordList records=waiting title=trs(|t| t.staff_outbox_waiting) item=|r| view! { <WaitingItem record=r /> }.into_any() />
        <RecordList records=refused title=trs(|t| t.staff_outbox_refused) item=|r| view! { <RefusedItem record=r /> }.into_any() />
        <RecordList
            records=at(Status::Conflict)
            title=trs(|t| t.staff_outbox_conflicts)
            hint=trs(|t| t.staff_outbox_conflicts_hint)
            item=|r| view! { <ConflictItem record=r /> }.into_any()
        />
        <backup::Backup />
        <Logout unsent />
    }
}

/// How many records wait, when the server last took some, and a button to send now.
#[component]
fn SyncNow(waiting: Signal<Vec<Listed>>) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let count = move || waiting.with(Vec::len).to_string();
    view! {
        <p class="outbox-count" data-waiting=count>
            {move || fill(i18n.s().staff_sync_waiting, &[("n", &count())])}
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
    }
}

/// The records of one status under their heading; nothing while there are none.
#[component]
fn RecordList(
    records: Signal<Vec<Listed>>,
    title: Signal<&'static str>,
    #[prop(optional)] hint: Option<Signal<&'static str>>,
    item: fn(Listed) -> AnyView,
) -> impl IntoView {
    view! {
        <Show when=move || !records.with(Vec::is_empty)>
            <h2>{title}</h2>
            {hint.map(|hint| view! { <p>{hint}</p> })}
            <ul class="plain-list outbox-list">
                <For each=move || records.get() key=|r| r.key.clone() children=item />
            </ul>
        </Show>
    }
}

#[component]
fn WaitingItem(record: Listed) -> impl IntoView {
    view! {
        <li class="outbox-item">
            {record.label}
            <span class="hint">" · " {time_of(record.created)}</span>
        </li>
    }
}

/// A refused record with the server's reason, and a way to send it again once that is put right.
#[component]
fn RefusedItem(record: Listed) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let key = record.key;
    let retry = move |_| {
        let key = key.clone();
        spawn_local(async move {
            if let Err(error) = stored::retry(&key).await {
                log::warn!("could not retry: {error}");
            }
            outbox.sync();
        });
    };
    let reason = record.reason.unwrap_or_default();
    view! {
        <li class="outbox-item outbox-refused">
            <p>{record.label}</p>
            <p>{fill(i18n.s().staff_refused_reason, &[("reason", &reason)])}</p>
            <button type="button" class="button button-secondary" on:click=retry>
                {trs(|t| t.staff_retry)}
            </button>
        </li>
    }
}

/// An edit the server kept as a conflict, linked to the client's page, which shows both
/// versions and resolves them.
#[component]
fn ConflictItem(record: Listed) -> impl IntoView {
    let caseload = use_caseload();
    let client = caseload.with_untracked(|c| {
        c.edits
            .iter()
            .find(|e| e.edit.id.to_string() == record.key)
            .and_then(|e| c.episode(e.episode_id))
            .map(|e| e.participant_id)
    });
    let label = record.label;
    view! {
        <li class="outbox-item outbox-conflict">
            {match client {
                Some(id) => view! { <Link route=Route::Client(id)>{label}</Link> }.into_any(),
                None => view! { <span>{label}</span> }.into_any(),
            }}
            <span class="hint">" · " {time_of(record.created)}</span>
        </li>
    }
}

/// Logging out removes this person's unsent records from the phone, so with any it asks first.
#[component]
fn Logout(unsent: Signal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let caseload = use_caseload();
    let confirm = RwSignal::new(false);
    let logout = move |_| {
        if unsent.get_untracked() > 0 && !confirm.get_untracked() {
            confirm.set(true);
            return;
        }
        spawn_local(log_out(auth, caseload));
    };
    view! {
        <h2>{trs(|t| t.staff_logout_title)}</h2>
        <Show when=move || confirm.get()>
            <div class="notice staff-warning" role="alert">
                <p>
                    {move || fill(i18n.s().staff_logout_warning, &[("n", &unsent.get().to_string())])}
                </p>
            </div>
        </Show>
        <button type="button" class="button button-warning" id="logout" on:click=logout>
            {move || if confirm.get() {
                i18n.s().staff_logout_confirm
            } else {
                i18n.s().staff_logout
            }}
        </button>
    }
}

/// Removes this person's records, drafts, cache and key from the phone, and ends the login on
/// the server.
pub(crate) async fn log_out(auth: Auth, caseload: Caseload) {
    let Some(login) = auth.login() else { return };
    let owner = login.staff.id.to_string();
    // Logged out here first, so nothing fetched meanwhile is saved again under this person.
    auth.set(None);
    caseload.purge();
    crate::survey::forget_all_assisted();
    if let Err(error) = stored::forget_owner(&owner).await {
        log::warn!("could not clear the outbox: {error}");
    }
    api::logout(&login.refresh_token).await;
}
