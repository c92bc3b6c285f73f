//! Commissioners (admins): the people outside the service (a council, the NHS) the organisation
//! shares its published reports with; sharing with a new one (an address that is already a
//! commissioner elsewhere only gains these reports, and keeps its own name and password); and
//! stopping, after a confirmation.

use domain::commissioning::Commissioner;
use domain::{Email, Name, Password};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use uuid::Uuid;

use super::{Place, saved_note, show_refusal};
use crate::components::PageHeading;
use crate::i18n::{fill, use_i18n};
use crate::load::load;
use crate::staff::api::{self, Invited};
use crate::staff::auth::use_auth;
use crate::staff::components::checked::{Input, Problem, ProblemSummary};
use crate::staff::text::{trs, trs_owned};
use crate::staff::time::{date, local_date};

#[component]
pub fn CommissionersPage() -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let notes = Notes {
        stopped: RwSignal::new(None),
        invited: RwSignal::new(None),
    };
    let list = load(move || {
        reload.track();
        async move { api::commissioners(auth).await }
    });
    view! {
        <PageHeading text=trs_owned(|t| t.staff_comm_title) />
        <p class="lead">{trs(|t| t.staff_comm_lead)}</p>
        <section class="admin-section" aria-labelledby="comm-list-title">
            <h2 id="comm-list-title" tabindex="-1">{trs(|t| t.staff_comm_list)}</h2>
            {saved_note(notes.stopped, "comm-stopped")}
            // Drawn again in the other language when the person switches.
            {move || {
                let _language = i18n.lang();
                match list.get() {
                    None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
                    Some(Err(error)) => {
                        log::warn!("commissioners not fetched: {error}");
                        view! { <p class="error-message" role="alert">{trs(|t| t.staff_admin_load_failed)}</p> }
                            .into_any()
                    }
                    Some(Ok(list)) if list.is_empty() => {
                        view! { <p id="comm-none">{trs(|t| t.staff_comm_none)}</p> }.into_any()
                    }
                    Some(Ok(list)) => view! {
                        <ul class="plain-list comm-list" id="comm-list">
                            {list
                                .into_iter()
                                .map(|c| view! { <CommissionerItem commissioner=c reload notes /> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                }
            }}
        </section>
        <Invite reload notes />
    }
}

/// What was done, said beside where it was done: a sharing stopped by the list, a new one
/// under the form.
#[derive(Debug, Clone, Copy)]
struct Notes {
    stopped: RwSignal<Option<String>>,
    invited: RwSignal<Option<String>>,
}

impl Notes {
    fn clear(self) {
        self.stopped.set(None);
        self.invited.set(None);
    }
}

/// Moves the focus to the element `id` once it is drawn (a confirmation that replaced the
/// button that had it, or the list after a row went).
pub(super) fn focus_soon(id: String) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(&id)
            && let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element)
            && let Err(error) = element.focus()
        {
            log::debug!("could not move the focus: {error:?}");
        }
    });
}

/// One commissioner: name, email, since when, and stopping the sharing after a confirmation.
#[component]
fn CommissionerItem(
    commissioner: Commissioner,
    reload: RwSignal<u32>,
    notes: Notes,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let t = i18n.s();
    let id: Uuid = commissioner.id;
    let name = StoredValue::new(commissioner.name.clone());
    let confirming = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let (stop_id, yes_id, question_id) = (
        format!("stop-{id}"),
        format!("confirm-stop-{id}"),
        format!("confirm-question-{id}"),
    );
    let ask = {
        let yes_id = yes_id.clone();
        move |_| {
            failed.set(false);
            confirming.set(true);
            focus_soon(yes_id.clone());
        }
    };
    let cancel = {
        let stop_id = stop_id.clone();
        move |_| {
            confirming.set(false);
            focus_soon(stop_id.clone());
        }
    };
    let stop = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::stop_sharing(auth, id).await {
                Ok(()) => {
                    let t = i18n.s();
                    notes.clear();
                    notes.stopped.set(Some(fill(
                        t.staff_comm_stopped,
                        &[("name", &name.get_value())],
                    )));
                    reload.update(|n| *n += 1);
                    focus_soon("comm-list-title".to_owned());
                }
                Err(error) => {
                    log::info!("sharing not stopped: {error}");
                    failed.set(true);
                }
            }
            // This item is gone once the list is read again.
            busy.try_set(false);
        });
    };
    let since = date(local_date(commissioner.shared_at));
    view! {
        <li class="comm-item" data-id=id.to_string() data-email=commissioner.email.to_string()>
            <h3>{commissioner.name.clone()}</h3>
            <dl class="summary-list">
                <div class="summary-row">
                    <dt>{t.staff_admin_email}</dt>
                    <dd>{commissioner.email.to_string()}</dd>
                </div>
                <div class="summary-row">
                    <dt>{t.staff_comm_shared_since}</dt>
                    <dd>{since}</dd>
                </div>
            </dl>
            {move || failed.get().then(|| view! {
                <p class="error-message" role="alert">{trs(|t| t.staff_admin_refused)}</p>
            })}
            <Show
                when=move || confirming.get()
                fallback={
                    let stop_id = stop_id.clone();
                    let ask = ask.clone();
                    move || view! {
                        <button type="button" class="button button-secondary comm-stop" id=stop_id.clone() on:click=ask.clone()>
                            {trs(|t| t.staff_comm_stop)}
                            <span class="visually-hidden">" (" {name.get_value()} ")"</span>
                        </button>
                    }
                }
            >
                <div class="admin-confirm" role="group" aria-labelledby=question_id.clone()>
                    <p id=question_id.clone()>
                        {move || fill(i18n.s().staff_comm_confirm, &[("name", &name.get_value())])}
                    </p>
                    <div class="button-group">
                        <button type="button" class="button button-warning comm-confirm" id=yes_id.clone() on:click=stop disabled=move || busy.get()>
                            {trs(|t| t.staff_comm_yes_stop)}
                        </button>
                        <button type="button" class="button button-secondary comm-cancel" on:click=cancel.clone()>
                            {trs(|t| t.staff_admin_cancel)}
                        </button>
                    </div>
                </div>
            </Show>
        </li>
    }
}

/// Sharing the reports with a commissioner: a new address makes their account with a first
/// password the admin passes on; an address that is already a commissioner's only gains access.
#[component]
fn Invite(reload: RwSignal<u32>, notes: Notes) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let problem = Problem::new();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let t = i18n.s();
        notes.clear();
        let Ok(checked_email) = Email::parse(email.get_untracked().trim()) else {
            return problem.set(t.staff_admin_email_invalid, "comm-email");
        };
        // Name and password are for a new account; left empty, the server says if one is needed.
        let typed_name = name.get_untracked().trim().to_owned();
        let checked_name = if typed_name.is_empty() {
            None
        } else {
            match Name::parse(&typed_name) {
                Ok(n) => Some(n),
                Err(_) => return problem.set(t.staff_admin_name_missing, "comm-name"),
            }
        };
        let typed_password = password.get_untracked();
        let checked_password = if typed_password.is_empty() {
            None
        } else {
            match Password::parse(&typed_password) {
                Ok(p) => Some(p),
                Err(_) => return problem.set(t.staff_admin_password_short, "comm-password"),
            }
        };
        problem.clear();
        let mut body = json!({ "email": checked_email.as_str() });
        if let Some(n) = &checked_name {
            body["name"] = json!(n.as_str());
        }
        if let Some(p) = &checked_password {
            body["password"] = json!(p.expose());
        }
        let shown_email = checked_email.as_str().to_owned();
        busy.set(true);
        spawn_local(async move {
            let t = i18n.s();
            match api::invite_commissioner(auth, &body).await {
                Ok(how) => {
                    let text = match how {
                        Invited::NewAccount => t.staff_comm_invited,
                        Invited::Existing => t.staff_comm_invited_existing,
                    };
                    let who = checked_name.map_or(shown_email.clone(), |n| n.as_str().to_owned());
                    notes
                        .invited
                        .set(Some(fill(text, &[("name", &who), ("email", &shown_email)])));
                    email.set(String::new());
                    name.set(String::new());
                    password.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(e) if e.status() == Some(409) => {
                    problem.set(t.staff_comm_email_staff, "comm-email");
                }
                Err(e) => {
                    let places: [Place; 3] = [
                        ("email", "comm-email", t.staff_admin_email_invalid),
                        ("name", "comm-name", t.staff_comm_name_needed),
                        ("password", "comm-password", t.staff_comm_password_needed),
                    ];
                    show_refusal(problem, t, &e, &places, "comm-email");
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="admin-section" aria-labelledby="comm-invite-title">
            <h2 id="comm-invite-title">{trs(|t| t.staff_comm_invite)}</h2>
            <p class="hint" id="comm-existing-hint">{trs(|t| t.staff_comm_existing_hint)}</p>
            <ProblemSummary problem />
            <form class="staff-form" on:submit=submit novalidate>
                <Input id="comm-email" label=trs(|t| t.staff_admin_email) value=email problem kind="email" />
                <Input id="comm-name" label=trs(|t| t.staff_admin_name) hint=trs(|t| t.staff_comm_name_hint) value=name problem />
                <Input
                    id="comm-password"
                    label=trs(|t| t.staff_admin_first_password)
                    hint=trs(|t| t.staff_comm_password_hint)
                    value=password
                    problem
                />
                <button type="submit" class="button" id="comm-share" disabled=move || busy.get()>
                    {trs(|t| t.staff_comm_share)}
                </button>
            </form>
            {saved_note(notes.invited, "comm-invited")}
        </section>
    }
}
