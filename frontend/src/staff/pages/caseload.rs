//! The caseload: the people a specialist supports (managers: the organisation's), from the
//! server when there is signal and from the device when there is not.

use domain::records::Participant;
use leptos::prelude::*;
use uuid::Uuid;

use crate::components::PageHeading;
use crate::i18n::{fill, use_i18n};
use crate::load::load;
use crate::offline::outbox::Status;
use crate::offline::use_outbox;
use crate::staff::text::{kind_label, trs, trs_owned};

use crate::staff::auth::use_auth;
use crate::staff::offline::outbox::my_keys;
use crate::staff::offline::{use_caseload, use_shell_kept};
use crate::staff::route::{Link, Route};
use crate::staff::time::time_at;

#[component]
pub fn CaseloadPage() -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    let (outbox, auth) = (use_outbox(), use_auth());
    let people = move || caseload.with(|c| c.participants.clone());
    // The outbox's edits that the server kept beside a newer version: who has one to resolve.
    let held = load(move || {
        let _ = outbox.synced();
        my_keys(auth, Status::Conflict)
    });
    let fetched = move || caseload.with(|c| c.fetched_at.map(time_at));
    // All three on the phone: the caseload, the forms to run with a client, the app itself.
    let shell = use_shell_kept();
    let ready = move || {
        caseload.with(|c| c.fetched_at.is_some() && !c.instruments.is_empty()) && shell.get()
    };
    view! {
        <PageHeading text=trs_owned(|t| t.staff_caseload_title) />
        <p class="hint">
            {move || match fetched() {
                Some(when) => fill(i18n.s().staff_caseload_fetched, &[("when", &when)]),
                None => i18n.s().staff_caseload_never.to_owned(),
            }}
        </p>
        <Show when=ready>
            <p class="hint" id="offline-ready">{trs(|t| t.staff_caseload_ready)}</p>
        </Show>
        <p>
            <Link route=Route::NewClient class="button">{trs(|t| t.staff_add_client)}</Link>
        </p>
        <Show
            when=move || !people().is_empty()
            fallback=|| view! { <p>{trs(|t| t.staff_caseload_empty)}</p> }
        >
            <ul class="plain-list caseload-list">
                <For
                    each=people
                    key=|p| (p.id, p.reference.clone())
                    children=move |person| view! { <CaseloadItem person held /> }
                />
            </ul>
        </Show>
    }
}

/// One person: their page, what kind of client they are, how many episodes, and any session
/// edits of theirs to resolve (`held`: the outbox's keys of edits kept as conflicts).
#[component]
fn CaseloadItem(
    person: Participant,
    held: ReadSignal<Option<Vec<String>>, LocalStorage>,
) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    let kind = kind_label(i18n.s(), person.kind);
    let episode_ids: Vec<Uuid> =
        caseload.with(|c| c.episodes_of(person.id).iter().map(|e| e.id).collect());
    let episodes = episode_ids.len();
    let to_resolve = move || {
        let held = held.get().unwrap_or_default();
        caseload.with(|c| c.conflicts_in(&episode_ids, &held))
    };
    view! {
        <li class="caseload-item">
            <Link route=Route::Client(person.id) class="caseload-link">
                {person.reference.clone()}
            </Link>
            <span class="hint">
                {kind} " · "
                {fill(i18n.s().staff_episode_count, &[("n", &episodes.to_string())])}
            </span>
            {move || {
                let n = to_resolve();
                (n > 0).then(|| view! {
                    <span class="tag tag-conflict" data-conflicts=n.to_string()>
                        {fill(i18n.s().staff_caseload_conflicts, &[("n", &n.to_string())])}
                    </span>
                })
            }}
        </li>
    }
}
