//! Recording a support session (date, duration, stage, activity and a short note) and editing
//! one. Saved to the outbox first, so both work with no signal; an edit carries the version it
//! was made from, so a stale one is kept as a conflict on the server instead of overwriting.

use chrono::NaiveDate;
use domain::records::{LongText, NewSession, SessionEdit, ShortText, Stage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::components::{ErrorSummary, PageHeading};
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::load::load;
use crate::offline::outbox::Status;
use crate::staff::auth::{Auth, use_auth};
use crate::staff::components::form::Field;
use crate::staff::components::not_found::not_found_view;
use crate::staff::offline::cache::Cache;
use crate::staff::offline::outbox::{enqueue, enqueue_edit, my_keys};
use crate::staff::offline::{LocalEdit, SessionView, use_caseload};
use crate::staff::route::{Route, use_router};
use crate::staff::text::{stage_label, trs, trs_owned};
use crate::staff::time::{date, today};

/// What to say about a field, and the id of the field at fault.
type Problem = (&'static str, &'static str);

#[component]
pub fn SessionPage(episode: Uuid) -> impl IntoView {
    view! { <SessionForm episode editing=None /> }
}

/// Editing a session recorded earlier (here or on another device), from this device's copy.
#[component]
pub fn EditSessionPage(session: Uuid) -> impl IntoView {
    let caseload = use_caseload();
    let auth = use_auth();
    // The copy shown includes an edit of it still waiting here, which this one will replace.
    let waiting = load(move || my_keys(auth, Status::Waiting));
    move || {
        let waiting = waiting.get()?;
        let Some(found) = caseload.with_untracked(|c| c.session_view(session, &waiting)) else {
            return Some(not_found_view().into_any());
        };
        Some(view! { <SessionForm episode=found.episode_id editing=Some(found) /> }.into_any())
    }
}

#[component]
fn SessionForm(episode: Uuid, editing: Option<SessionView>) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    let auth = use_auth();
    let router = use_router();
    let Some(found) = caseload.with(|c| c.episode(episode).cloned()) else {
        return not_found_view().into_any();
    };
    let participant = found.participant_id;
    let reference = caseload
        .with(|c| c.participant(participant).map(|p| p.reference.clone()))
        .unwrap_or_default();
    let edit_of = editing.as_ref().map(|v| (v.id, v.base_version()));
    let last_stage = caseload.with(|c| c.session_views(episode, &[]).first().map(|s| s.stage));
    let fields = SessionFields::new(editing.map(SessionView::with_pending), last_stage);
    let error = RwSignal::new(None::<Problem>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let saving = match fields.check(t) {
            Ok(checked) => Saving::new(episode, edit_of, checked),
            Err(problem) => {
                error.set(Some(problem));
                return;
            }
        };
        let label = saving.label(t, &reference);
        spawn_local(async move {
            match saving.save(auth, &label).await {
                Ok(()) => {
                    caseload.update(|c| saving.keep_in(c));
                    router.go(Route::Client(participant));
                }
                Err(e) => {
                    log::warn!("{} not saved: {e}", saving.what());
                    error.set(Some((t.staff_error_saving, "held-on")));
                }
            }
        });
    };

    let editing = edit_of.is_some();
    view! {
        {move || error.get().map(|(message, target)| view! { <ErrorSummary message=message target=target /> })}
        <PageHeading text=if editing {
            trs_owned(|t| t.staff_edit_session_title)
        } else {
            trs_owned(|t| t.staff_session_title)
        } />
        <Show when=move || editing>
            <p class="hint">{trs(|t| t.staff_edit_session_lead)}</p>
        </Show>
        <form class="staff-form" on:submit=submit novalidate>
            <SessionInputs fields />
            <button type="submit" class="button" id="save-session">
                {if editing { trs(|t| t.staff_save_edit) } else { trs(|t| t.staff_save_session) }}
            </button>
        </form>
    }
    .into_any()
}

/// The form's fields, as typed and chosen.
#[derive(Debug, Clone, Copy)]
struct SessionFields {
    held_on: RwSignal<String>,
    minutes: RwSignal<String>,
    stage: RwSignal<String>,
    activity: RwSignal<String>,
    note: RwSignal<String>,
}

/// The form's values, checked.
struct Checked {
    held_on: NaiveDate,
    duration_minutes: u16,
    stage: Stage,
    activity: ShortText,
    note: Option<LongText>,
}

impl SessionFields {
    /// Filled from the copy being edited; a new session starts today, an hour long, at the
    /// stage the last one reached.
    fn new(shown: Option<SessionView>, last_stage: Option<Stage>) -> SessionFields {
        let stage = shown
            .as_ref()
            .map(|v| v.stage)
            .or(last_stage)
            .unwrap_or(Stage::Engagement);
        SessionFields {
            held_on: RwSignal::new(shown.as_ref().map_or_else(today, |v| v.held_on).to_string()),
            minutes: RwSignal::new(
                shown
                    .as_ref()
                    .map_or_else(|| "60".to_owned(), |v| v.duration_minutes.to_string()),
            ),
            stage: RwSignal::new(stage.as_str().to_owned()),
            activity: RwSignal::new(
                shown
                    .as_ref()
                    .map(|v| v.activity.clone())
                    .unwrap_or_default(),
            ),
            note: RwSignal::new(shown.and_then(|v| v.note).unwrap_or_default()),
        }
    }

    /// Checks the fields top to bottom.
    fn check(self, t: &'static StaffMessages) -> Result<Checked, Problem> {
        let held_on = self
            .held_on
            .get_untracked()
            .parse::<NaiveDate>()
            .map_err(|_| (t.staff_error_date, "held-on"))?;
        let duration_minutes = self
            .minutes
            .get_untracked()
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|d| (1..=1440).contains(d))
            .ok_or((t.staff_error_minutes, "minutes"))?;
        let activity = ShortText::parse(&self.activity.get_untracked())
            .map_err(|_| (t.staff_error_activity, "activity"))?;
        let note_text = self.note.get_untracked();
        let note = if note_text.trim().is_empty() {
            None
        } else {
            Some(LongText::parse(&note_text).map_err(|_| (t.staff_error_note, "note"))?)
        };
        Ok(Checked {
            held_on,
            duration_minutes,
            stage: Stage::parse(&self.stage.get_untracked()).unwrap_or(Stage::Engagement),
            activity,
            note,
        })
    }
}

/// What the form saves: a new session, or an edit of one made from the version shown.
enum Saving {
    New(NewSession),
    Edit { session: Uuid, local: LocalEdit },
}

impl Saving {
    /// `edit_of`: the session being edited and the version the edit is made from.
    fn new(episode: Uuid, edit_of: Option<(Uuid, i32)>, c: Checked) -> Saving {
        match edit_of {
            Some((session, base_version)) => Saving::Edit {
                session,
                local: LocalEdit {
                    session_id: session,
                    episode_id: episode,
                    edit: SessionEdit {
                        id: Uuid::new_v4(),
                        base_version,
                        held_on: c.held_on,
                        duration_minutes: c.duration_minutes,
                        stage: c.stage,
                        activity: c.activity,
                        note: c.note,
                    },
                },
            },
            None => Saving::New(NewSession {
                id: Uuid::new_v4(),
                episode_id: episode,
                held_on: c.held_on,
                duration_minutes: c.duration_minutes,
                stage: c.stage,
                activity: c.activity,
                note: c.note,
            }),
        }
    }

    /// How the outbox lists it.
    fn label(&self, t: &'static StaffMessages, reference: &str) -> String {
        let (text, held_on) = match self {
            Saving::New(session) => (t.staff_label_session, session.held_on),
            Saving::Edit { local, .. } => (t.staff_label_session_edit, local.edit.held_on),
        };
        fill(text, &[("ref", reference), ("date", &date(held_on))])
    }

    /// For the log.
    fn what(&self) -> &'static str {
        match self {
            Saving::New(_) => "session",
            Saving::Edit { .. } => "session edit",
        }
    }

    async fn save(&self, auth: Auth, label: &str) -> Result<(), String> {
        match self {
            Saving::New(session) => enqueue(auth, "session", session.id, label, session).await,
            Saving::Edit { session, local } => {
                enqueue_edit(auth, *session, label, &local.edit).await
            }
        }
    }

    /// Keeps it in the cache, so the client's page shows it before the server has it.
    fn keep_in(self, c: &mut Cache) {
        match self {
            Saving::New(session) => c.sessions.push(session),
            Saving::Edit { local, .. } => c.edits.push(local),
        }
    }
}

#[component]
fn SessionInputs(fields: SessionFields) -> impl IntoView {
    let i18n = use_i18n();
    let stage = fields.stage;
    let stages = Stage::ALL
        .iter()
        .map(|s| {
            let value = s.as_str();
            view! {
                <option value=value selected=move || stage.get() == value>
                    {move || stage_label(i18n.s(), *s)}
                </option>
            }
        })
        .collect_view();
    view! {
        <Field id="held-on" label=trs(|t| t.staff_held_on)>
            <input class="input input-date" id="held-on" type="date" bind:value=fields.held_on />
        </Field>
        <Field id="minutes" label=trs(|t| t.staff_duration)>
            <input
                class="input input-short"
                id="minutes"
                type="text"
                inputmode="numeric"
                autocomplete="off"
                bind:value=fields.minutes
            />
        </Field>
        <Field id="stage" label=trs(|t| t.staff_stage)>
            <select class="input" id="stage" bind:value=stage>
                {stages}
            </select>
        </Field>
        <Field id="activity" label=trs(|t| t.staff_activity) hint=trs(|t| t.staff_activity_hint)>
            <input
                class="input"
                id="activity"
                aria-describedby="activity-hint"
                autocomplete="off"
                bind:value=fields.activity
            />
        </Field>
        <Field id="note" label=trs(|t| t.staff_note)>
            <textarea class="textarea" id="note" rows="4" bind:value=fields.note></textarea>
        </Field>
    }
}
