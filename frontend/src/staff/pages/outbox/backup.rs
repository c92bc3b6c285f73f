//! The outbox's backup file: a specialist saves the records waiting on this phone to a file
//! encrypted with a passphrase they type, and loads it back on this phone or another, logged in
//! as themselves. Records keep their device ids, so nothing loaded twice is stored twice.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::ErrorSummary;
use crate::device::save_file;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::offline::outbox::{self as stored, RestoreError};
use crate::offline::use_outbox;
use crate::staff::auth::use_auth;
use crate::staff::text::trs;
use crate::staff::time::now;

const PASSPHRASE: &str = "backup-passphrase";
const FILE: &str = "backup-file";
/// Shorter passphrases are too easy to guess for a file that may travel.
const MIN_PASSPHRASE: usize = 8;

/// What went wrong, and the field it is about.
type Problem = (&'static str, &'static str);

#[component]
pub fn Backup() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let outbox = use_outbox();
    let passphrase = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Problem>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    // The person and passphrase to work with, or the problem shown.
    let start = move || -> Option<(String, String)> {
        if busy.get_untracked() {
            return None;
        }
        done.set(None);
        let owner = auth.me_untracked()?.id.to_string();
        let passphrase = passphrase.get_untracked();
        if passphrase.chars().count() < MIN_PASSPHRASE {
            problem.set(Some((i18n.s().staff_outbox_backup_short, PASSPHRASE)));
            return None;
        }
        problem.set(None);
        busy.set(true);
        Some((owner, passphrase))
    };
    let save = move |_| {
        let Some((owner, passphrase)) = start() else {
            return;
        };
        spawn_local(async move {
            let t = i18n.s();
            match stored::backup(&owner, &passphrase).await {
                Ok((_, 0)) => done.set(Some(t.staff_outbox_backup_nothing.to_owned())),
                Ok((file, count)) => {
                    let name = format!("soundings-backup-{}.json", now().format("%Y-%m-%d-%H%M"));
                    save_file(&file, &name);
                    let n = count.to_string();
                    done.set(Some(fill(t.staff_outbox_backup_saved, &[("n", &n)])));
                }
                Err(error) => {
                    log::warn!("backup not made: {error}");
                    problem.set(Some((t.staff_outbox_backup_failed, PASSPHRASE)));
                }
            }
            busy.set(false);
        });
    };
    let load = move |_| {
        let Some((owner, passphrase)) = start() else {
            return;
        };
        spawn_local(async move {
            let t = i18n.s();
            match stored::restore(&owner, &passphrase, FILE).await {
                Ok(Ok(added)) => {
                    let n = added.to_string();
                    done.set(Some(fill(t.staff_outbox_backup_loaded, &[("n", &n)])));
                    outbox.sync();
                }
                Ok(Err(why)) => problem.set(Some(refusal(t, why))),
                Err(error) => {
                    log::warn!("backup not loaded: {error}");
                    problem.set(Some((t.staff_outbox_backup_bad_file, FILE)));
                }
            }
            busy.set(false);
        });
    };

    let error_of = move |field: &'static str| {
        Signal::derive(move || problem.get().filter(|p| p.1 == field).map(|p| p.0))
    };
    view! {
        <h2>{trs(|t| t.staff_outbox_backup_title)}</h2>
        {move || {
            problem
                .get()
                .map(|(message, target)| {
                    view! { <ErrorSummary message=message.to_owned() target=target /> }
                })
        }}
        <p>{trs(|t| t.staff_outbox_backup_lead)}</p>
        <FieldError id=PASSPHRASE label=trs(|t| t.staff_outbox_backup_passphrase) error=error_of(PASSPHRASE)>
            <p class="hint" id=format!("{PASSPHRASE}-hint")>
                {trs(|t| t.staff_outbox_backup_passphrase_hint)}
            </p>
            <input
                class="input"
                id=PASSPHRASE
                type="password"
                autocomplete="off"
                aria-describedby=move || described_by(PASSPHRASE, error_of(PASSPHRASE).get().is_some())
                aria-invalid=move || error_of(PASSPHRASE).get().is_some().to_string()
                bind:value=passphrase
            />
        </FieldError>
        <div class="button-group">
            <button type="button" class="button" id="backup-save" disabled=move || busy.get() on:click=save>
                {trs(|t| t.staff_outbox_backup_save)}
            </button>
        </div>
        <FieldError id=FILE label=trs(|t| t.staff_outbox_backup_file) error=error_of(FILE)>
            <input
                class="file-upload"
                id=FILE
                type="file"
                accept=".json,application/json"
                aria-describedby=move || described_by(FILE, error_of(FILE).get().is_some())
                aria-invalid=move || error_of(FILE).get().is_some().to_string()
            />
        </FieldError>
        <div class="button-group">
            <button
                type="button"
                class="button button-secondary"
                id="backup-load"
                disabled=move || busy.get()
                on:click=load
            >
                {trs(|t| t.staff_outbox_backup_load)}
            </button>
        </div>
        <p role="status" id="backup-done">{move || done.get()}</p>
    }
}

/// A field's label and, when there is one, its error beside it (GOV.UK's pattern).
#[component]
fn FieldError(
    id: &'static str,
    label: Signal<&'static str>,
    error: Signal<Option<&'static str>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="form-group" class:form-group-error=move || error.get().is_some()>
            <label class="label" for=id>{label}</label>
            {move || error.get().map(|m| view! { <p class="error-message" id=format!("{id}-error")>{m}</p> })}
            {children()}
        </div>
    }
}

fn described_by(id: &str, error: bool) -> String {
    match (id == PASSPHRASE, error) {
        (true, true) => format!("{id}-hint {id}-error"),
        (true, false) => format!("{id}-hint"),
        (false, true) => format!("{id}-error"),
        (false, false) => String::new(),
    }
}

/// Why a backup file was not loaded, beside the field at fault.
fn refusal(t: &'static StaffMessages, why: RestoreError) -> Problem {
    match why {
        RestoreError::None => (t.staff_outbox_backup_no_file, FILE),
        RestoreError::File => (t.staff_outbox_backup_bad_file, FILE),
        RestoreError::Owner => (t.staff_outbox_backup_other, FILE),
        RestoreError::Passphrase => (t.staff_outbox_backup_wrong, PASSPHRASE),
    }
}
