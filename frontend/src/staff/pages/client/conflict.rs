//! A stale edit kept beside the saved session: both versions side by side, each with a button
//! to keep it. Resolving needs a signal; until then both stay, here and on the server.

use chrono::NaiveDate;
use domain::records::{Keep, SessionConflict, Stage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::ApiError;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::offline::outbox as stored;
use crate::staff::api;
use crate::staff::auth::{Auth, use_auth};
use crate::staff::offline::{Caseload, SessionView, use_caseload};
use crate::staff::text::{stage_label, trs};
use crate::staff::time::{date, time_at};

#[component]
pub fn ConflictView(session: SessionView, conflict: SessionConflict) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let caseload = use_caseload();
    let problem = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let edit_id = conflict.edit_id;
    let session_id = session.id;
    let keep = move |keep: Keep| {
        Callback::new(move |()| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            spawn_local(async move {
                match resolve(auth, caseload, session_id, edit_id, keep).await {
                    Ok(()) => problem.set(None),
                    Err(ApiError::Unreachable(_)) => {
                        problem.set(Some(i18n.s().staff_conflict_offline))
                    }
                    Err(error) => {
                        log::warn!("conflict not resolved: {error}");
                        problem.set(Some(i18n.s().staff_conflict_refused));
                    }
                }
                busy.set(false);
            });
        })
    };
    let t = i18n.s();
    let me = auth.me_untracked().map(|m| m.id);
    let who = if Some(conflict.author_id) == me {
        t.staff_conflict_by_you
    } else {
        t.staff_conflict_by_other
    };
    let saved_when = session.updated_at.map(time_at).unwrap_or_default();
    let current_meta = fill(
        t.staff_conflict_current_meta,
        &[
            ("version", &session.version.to_string()),
            ("when", &saved_when),
        ],
    );
    let edit_meta = fill(
        t.staff_conflict_edit_meta,
        &[
            ("version", &conflict.base_version.to_string()),
            ("who", who),
            ("when", &time_at(conflict.made_at)),
        ],
    );
    let (current, theirs) = (Fields::from(&session), Fields::from(&conflict));
    let title = format!("conflict-{edit_id}");
    let labelled = title.clone();
    view! {
        <section class="conflict" aria-labelledby=labelled data-edit=edit_id.to_string()>
            <h4 id=title>{trs(|t| t.staff_conflict_title)}</h4>
            <p>{trs(|t| t.staff_conflict_lead)}</p>
            <div class="conflict-versions">
                <Version
                    edit=edit_id
                    side="current"
                    heading=trs(|t| t.staff_conflict_current)
                    meta=current_meta
                    fields=current.clone()
                    other=theirs.clone()
                    busy
                    keep=keep(Keep::Current)
                />
                <Version
                    edit=edit_id
                    side="edit"
                    heading=trs(|t| t.staff_conflict_edit)
                    meta=edit_meta
                    fields=theirs
                    other=current
                    busy
                    keep=keep(Keep::Theirs)
                />
            </div>
            {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        </section>
    }
}

/// Asks the server to keep one version (both stay on its record). Once it has, the outbox
/// forgets the conflict and the cache takes the server's copy.
async fn resolve(
    auth: Auth,
    caseload: Caseload,
    session: Uuid,
    edit: Uuid,
    keep: Keep,
) -> Result<(), ApiError> {
    let record = api::resolve_conflict(auth, session, edit, keep).await?;
    if let Err(error) = stored::forget_conflict(&edit.to_string()).await {
        log::warn!("could not clear the resolved conflict: {error}");
    }
    caseload.update(|c| {
        c.put_record(record);
        c.edits.retain(|e| e.edit.id != edit);
    });
    Ok(())
}

/// One version (`side`: `current`, the saved one, or `edit`, the one kept beside it), with
/// the button that keeps it.
#[component]
fn Version(
    edit: Uuid,
    side: &'static str,
    heading: Signal<&'static str>,
    /// Which version it is, and who made it when.
    meta: String,
    fields: Fields,
    other: Fields,
    busy: RwSignal<bool>,
    keep: Callback<()>,
) -> impl IntoView {
    let title = format!("conflict-{edit}-{side}");
    let button = format!("keep-{edit}-{side}");
    let labelled = format!("{button} {title}");
    let section_labelled = title.clone();
    view! {
        <section class=format!("version version-{side}") aria-labelledby=section_labelled>
            <h5 id=title>{heading}</h5>
            <p class="hint">{meta}</p>
            {version_list(&fields, &other)}
            <button
                type="button"
                class=format!("button button-secondary keep-{side}")
                id=button
                aria-labelledby=labelled
                disabled=move || busy.get()
                on:click=move |_| keep.run(())
            >
                {trs(|t| t.staff_conflict_keep)}
            </button>
        </section>
    }
}

/// The editable fields of one version of a session, for showing two side by side.
#[derive(Debug, Clone, PartialEq)]
struct Fields {
    held_on: NaiveDate,
    duration_minutes: u16,
    stage: Stage,
    activity: String,
    note: Option<String>,
}

impl From<&SessionView> for Fields {
    fn from(s: &SessionView) -> Fields {
        Fields {
            held_on: s.held_on,
            duration_minutes: s.duration_minutes,
            stage: s.stage,
            activity: s.activity.clone(),
            note: s.note.clone(),
        }
    }
}

impl From<&SessionConflict> for Fields {
    fn from(c: &SessionConflict) -> Fields {
        Fields {
            held_on: c.held_on,
            duration_minutes: c.duration_minutes,
            stage: c.stage,
            activity: c.activity.clone(),
            note: c.note.clone(),
        }
    }
}

impl Fields {
    fn rows(&self, t: &'static StaffMessages) -> [(&'static str, String); 5] {
        [
            (t.staff_held_on, date(self.held_on)),
            (
                t.staff_conflict_duration,
                fill(
                    t.staff_minutes,
                    &[("n", &self.duration_minutes.to_string())],
                ),
            ),
            (t.staff_stage, stage_label(t, self.stage).to_owned()),
            (t.staff_activity, self.activity.clone()),
            (
                t.staff_note,
                self.note
                    .clone()
                    .unwrap_or_else(|| t.staff_no_note.to_owned()),
            ),
        ]
    }
}

/// Shows one version's fields; a field that differs from the other version says so in words.
fn version_list(fields: &Fields, other: &Fields) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let t = i18n.s();
    let differs = fields.rows(t).map(|(_, v)| v);
    let theirs = other.rows(t).map(|(_, v)| v);
    let rows: Vec<_> = fields
        .rows(t)
        .into_iter()
        .zip(differs.iter().zip(theirs.iter()).map(|(a, b)| a != b))
        .map(|((label, value), different)| {
            view! {
                <dt>{label}</dt>
                <dd>
                    {value}
                    {different.then(|| view! { " " <strong class="differs">{t.staff_conflict_differs}</strong> })}
                </dd>
            }
        })
        .collect();
    view! { <dl class="version-fields">{rows}</dl> }
}
