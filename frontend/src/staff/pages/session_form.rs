//! Recording a support session (date, duration, stage, activity and a short note) and editing
//! one. Saved to the outbox first, so both work with no signal; an edit carries the version it
//! was made from, so a stale one is kept as a conflict on the server instead of overwriting.

use domain::records::{LongText, NewSession, SessionEdit, ShortText, Stage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::components::{ErrorSummary, PageHeading};
use crate::i18n::{fill, use_i18n};
use crate::staff::text::{trs, trs_owned};

use crate::offline::outbox::{self as stored, Status};
use crate::staff::components::not_found::not_found_view;
use crate::staff::offline::outbox::{enqueue, enqueue_edit};
use crate::staff::offline::{LocalEdit, SessionView, use_caseload};
use crate::staff::route::{Route, use_router};
use crate::staff::text::stage_label;
use crate::staff::time::{date, today};

#[component]
pub fn SessionPage(episode: Uuid) -> impl IntoView {
    view! { <SessionForm episode editing=None /> }
}

/// Editing a session recorded earlier (here or on another device), from this device's copy.
#[component]
pub fn EditSessionPage(session: Uuid) -> impl IntoView {
    let caseload = use_caseload();
    let auth = crate::staff::auth::use_auth();
    let owner = auth
        .me_untracked()
        .map(|m| m.id.to_string())
        .unwrap_or_default();
    // The copy shown includes an edit of it still waiting here, which this one will replace.
    let waiting = crate::load::load(move || {
        let owner = owner.clone();
        async move { stored::keys(&owner, Status::Waiting).await }
    });
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
    let auth = crate::staff::auth::use_auth();
    let router = use_router();
    let Some(found) = caseload.with(|c| c.episode(episode).cloned()) else {
        return not_found_view().into_any();
    };
    let reference = caseload
        .with(|c| {
            c.participant(found.participant_id)
                .map(|p| p.reference.clone())
        })
        .unwrap_or_default();
    let base_version = editing.as_ref().map(SessionView::base_version);
    let session_id = editing.as_ref().map(|v| v.id);
    let shown = editing.map(SessionView::with_pending);
    let held_on = RwSignal::new(shown.as_ref().map_or_else(today, |v| v.held_on).to_string());
    let minutes = RwSignal::new(
        shown
            .as_ref()
            .map_or_else(|| "60".to_owned(), |v| v.duration_minutes.to_string()),
    );
    let last_stage = caseload.with(|c| c.session_views(episode, &[]).first().map(|s| s.stage));
    let stage = RwSignal::new(
        shown
            .as_ref()
            .map(|v| v.stage)
            .or(last_stage)
            .unwrap_or(Stage::Engagement)
            .as_str()
            .to_owned(),
    );
    let activity = RwSignal::new(
        shown
            .as_ref()
            .map(|v| v.activity.clone())
            .unwrap_or_default(),
    );
    let note = RwSignal::new(
        shown
            .as_ref()
            .and_then(|v| v.note.clone())
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<(&'static str, &'static str)>);
    let participant = found.participant_id;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let Ok(held) = held_on.get_untracked().parse::<chrono::NaiveDate>() else {
            error.set(Some((t.staff_error_date, "held-on")));
            return;
        };
        let duration = minutes.get_untracked().trim().parse::<u16>().ok();
        let Some(duration) = duration.filter(|d| (1..=1440).contains(d)) else {
            error.set(Some((t.staff_error_minutes, "minutes")));
            return;
        };
        let Ok(activity_text) = ShortText::parse(&activity.get_untracked()) else {
            error.set(Some((t.staff_error_activity, "activity")));
            return;
        };
        let note_text = note.get_untracked();
        let note_value = if note_text.trim().is_empty() {
            None
        } else {
            match LongText::parse(&note_text) {
                Ok(n) => Some(n),
                Err(_) => {
                    error.set(Some((t.staff_error_note, "note")));
                    return;
                }
            }
        };
        let stage_value = Stage::parse(&stage.get_untracked()).unwrap_or(Stage::Engagement);
        let date = date(held);
        if let (Some(session_id), Some(base_version)) = (session_id, base_version) {
            let edit = SessionEdit {
                id: Uuid::new_v4(),
                base_version,
                held_on: held,
                duration_minutes: duration,
                stage: stage_value,
                activity: activity_text,
                note: note_value,
            };
            let label = fill(
                t.staff_label_session_edit,
                &[("ref", &reference), ("date", &date)],
            );
            spawn_local(async move {
                match enqueue_edit(auth, session_id, &label, &edit).await {
                    Ok(()) => {
                        caseload.update(|c| {
                            c.edits.push(LocalEdit {
                                session_id,
                                episode_id: episode,
                                edit,
                            })
                        });
                        router.go(Route::Client(participant));
                    }
                    Err(e) => {
                        log::warn!("session edit not saved: {e}");
                        error.set(Some((t.staff_error_saving, "held-on")));
                    }
                }
            });
            return;
        }
        let session = NewSession {
            id: Uuid::new_v4(),
            episode_id: episode,
            held_on: held,
            duration_minutes: duration,
            stage: stage_value,
            activity: activity_text,
            note: note_value,
        };
        let label = fill(
            t.staff_label_session,
            &[("ref", &reference), ("date", &date)],
        );
        spawn_local(async move {
            match enqueue(auth, "session", session.id, &label, &session).await {
                Ok(()) => {
                    caseload.update(|c| c.sessions.push(session));
                    router.go(Route::Client(participant));
                }
                Err(e) => {
                    log::warn!("session not saved: {e}");
                    error.set(Some((t.staff_error_saving, "held-on")));
                }
            }
        });
    };

    let stages = Stage::ALL;
    let editing = session_id.is_some();
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
            <div class="form-group">
                <label class="label" for="held-on">{trs(|t| t.staff_held_on)}</label>
                <input
                    class="input input-date"
                    id="held-on"
                    type="date"
                    prop:value=move || held_on.get()
                    on:input=move |ev| held_on.set(event_target_value(&ev))
                />
            </div>
            <div class="form-group">
                <label class="label" for="minutes">{trs(|t| t.staff_duration)}</label>
                <input
                    class="input input-short"
                    id="minutes"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    prop:value=move || minutes.get()
                    on:input=move |ev| minutes.set(event_target_value(&ev))
                />
            </div>
            <div class="form-group">
                <label class="label" for="stage">{trs(|t| t.staff_stage)}</label>
                <select
                    class="input"
                    id="stage"
                    prop:value=move || stage.get()
                    on:change=move |ev| stage.set(event_target_value(&ev))
                >
                    {stages
                        .iter()
                        .map(|s| {
                            let value = s.as_str();
                            view! {
                                <option value=value selected=move || stage.get() == value>
                                    {move || stage_label(i18n.s(), *s)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="form-group">
                <label class="label" for="activity">{trs(|t| t.staff_activity)}</label>
                <p class="hint" id="activity-hint">{trs(|t| t.staff_activity_hint)}</p>
                <input
                    class="input"
                    id="activity"
                    aria-describedby="activity-hint"
                    autocomplete="off"
                    prop:value=move || activity.get()
                    on:input=move |ev| activity.set(event_target_value(&ev))
                />
            </div>
            <div class="form-group">
                <label class="label" for="note">{trs(|t| t.staff_note)}</label>
                <textarea
                    class="textarea"
                    id="note"
                    rows="4"
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                ></textarea>
            </div>
            <button type="submit" class="button" id="save-session">
                {if editing { trs(|t| t.staff_save_edit) } else { trs(|t| t.staff_save_session) }}
            </button>
        </form>
    }
    .into_any()
}
