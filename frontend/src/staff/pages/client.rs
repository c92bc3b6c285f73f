//! A client: registering one (participant, consent and episode, all offline-capable), and their
//! page: episodes with dates, sessions (the server's, kept for offline, and those recorded here)
//! with any edit conflict shown side by side to resolve, SWEMWBS done on this device, what is
//! due, and invitations shown as a short code.

use domain::records::{
    Accessibility, ConsentGivenBy, ConsentMethod, ConsentScope, Episode, Equality, Keep, Language,
    NewConsent, NewEpisode, NewParticipant, Participant, ParticipantKind, Programme, Reference,
    SessionConflict, ShortText, Stage,
};
use leptos::prelude::*;

use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api::ApiError;
use crate::components::{ErrorSummary, PageHeading};
use crate::i18n::{fill, use_i18n};
use crate::staff::text::{trs, trs_owned};

use crate::i18n::StaffMessages;
use crate::load::load;
use crate::offline::outbox::{self as stored, Status};
use crate::offline::use_outbox;
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::form::radio;
use crate::staff::components::not_found::not_found_view;
use crate::staff::offline::outbox::enqueue;
use crate::staff::offline::{SessionView, fetch, use_caseload};
use crate::staff::route::{Link, Route, use_router};
use crate::staff::text::{kind_label, stage_label};
use crate::staff::time::{date, now, time_at, today};

/// The consent wording's version the form shows (kept with each consent record).
const CONSENT_TEXT_VERSION: &str = "staff-app-consent-2026-11";

#[component]
pub fn NewClientPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let caseload = use_caseload();
    let router = use_router();
    let reference = RwSignal::new(String::new());
    let kind = RwSignal::new("jobseeker".to_owned());
    let welsh = RwSignal::new(false);
    let consent_surveys = RwSignal::new(true);
    let consent_email = RwSignal::new(false);
    let given_by = RwSignal::new("person".to_owned());
    let method = RwSignal::new("verbal".to_owned());
    let programme = RwSignal::new("seqf".to_owned());
    let started_on = RwSignal::new(today().to_string());
    let error = RwSignal::new(None::<(String, &'static str)>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(reference_value) = Reference::parse(&reference.get_untracked()) else {
            error.set(Some((
                i18n.s().staff_error_reference.to_owned(),
                "reference",
            )));
            return;
        };
        if caseload.with(|c| {
            c.participants
                .iter()
                .any(|p| p.reference.eq_ignore_ascii_case(reference_value.as_str()))
        }) {
            error.set(Some((
                i18n.s().staff_error_reference_taken.to_owned(),
                "reference",
            )));
            return;
        }
        let Ok(started) = started_on.get_untracked().parse::<chrono::NaiveDate>() else {
            error.set(Some((i18n.s().staff_error_date.to_owned(), "started-on")));
            return;
        };
        let mut scopes = Vec::new();
        if consent_surveys.get_untracked() {
            scopes.push(ConsentScope::Surveys);
        }
        if consent_email.get_untracked() {
            scopes.push(ConsentScope::Email);
        }
        if scopes.is_empty() {
            error.set(Some((
                i18n.s().staff_error_consent.to_owned(),
                "consent-surveys",
            )));
            return;
        }
        let Some(me) = auth.me_untracked() else {
            return;
        };
        let Ok(text_version) = ShortText::parse(CONSENT_TEXT_VERSION) else {
            return;
        };
        let participant_kind =
            ParticipantKind::parse(&kind.get_untracked()).unwrap_or(ParticipantKind::Jobseeker);
        let language = if welsh.get_untracked() {
            Language::Welsh
        } else {
            Language::English
        };
        let participant = NewParticipant {
            id: Uuid::new_v4(),
            kind: participant_kind,
            reference: reference_value.clone(),
            name: None,
            email: None,
            phone: None,
            language,
            accessibility: Accessibility::default(),
            equality: Equality::default(),
        };
        let consent = NewConsent {
            id: Uuid::new_v4(),
            participant_id: participant.id,
            scopes: scopes.clone(),
            given_by: ConsentGivenBy::parse(&given_by.get_untracked())
                .unwrap_or(ConsentGivenBy::Person),
            method: ConsentMethod::parse(&method.get_untracked()).unwrap_or(ConsentMethod::Verbal),
            text_version,
            given_at: now(),
        };
        let programme = Programme::parse(&programme.get_untracked()).unwrap_or(Programme::Seqf);
        let episode = (participant_kind == ParticipantKind::Jobseeker).then(|| NewEpisode {
            id: Uuid::new_v4(),
            participant_id: participant.id,
            specialist_id: None,
            programme,
            referred_on: None,
            started_on: started,
            profile_started_on: None,
            job_started_on: None,
            ended_on: None,
            employer_id: None,
        });
        // Shown at once from the device; the server's copy replaces it after sync.
        let local = Participant {
            id: participant.id,
            kind: participant_kind,
            reference: reference_value.as_str().to_owned(),
            name: None,
            email: None,
            phone: None,
            language,
            accessibility: Accessibility::default(),
            equality: Equality::default(),
            withdrawn: false,
            created_by: me.id,
            created_at: now(),
        };
        let local_episode = episode.as_ref().map(|e| Episode {
            id: e.id,
            participant_id: e.participant_id,
            specialist_id: me.id,
            team_id: me.team_id,
            programme,
            referred_on: None,
            started_on: started,
            profile_started_on: None,
            job_started_on: None,
            ended_on: None,
            employer_id: None,
        });
        let id = participant.id;
        let label = reference_value.as_str().to_owned();
        let t = i18n.s();
        spawn_local(async move {
            let saved = async {
                enqueue(
                    auth,
                    "participant",
                    participant.id,
                    &fill(t.staff_label_client, &[("ref", &label)]),
                    &participant,
                )
                .await?;
                enqueue(
                    auth,
                    "consent",
                    consent.id,
                    &fill(t.staff_label_consent, &[("ref", &label)]),
                    &consent,
                )
                .await?;
                if let Some(episode) = &episode {
                    enqueue(
                        auth,
                        "episode",
                        episode.id,
                        &fill(t.staff_label_episode, &[("ref", &label)]),
                        episode,
                    )
                    .await?;
                }
                Ok::<(), String>(())
            }
            .await;
            match saved {
                Ok(()) => {
                    caseload.update(|c| {
                        c.participants.push(local);
                        c.episodes.extend(local_episode);
                    });
                    router.go(Route::Client(id));
                }
                Err(e) => {
                    log::warn!("client not saved: {e}");
                    error.set(Some((t.staff_error_saving.to_owned(), "reference")));
                }
            }
        });
    };

    let t = i18n.s();
    view! {
        {move || error.get().map(|(message, target)| view! { <ErrorSummary message=message target=target /> })}
        <PageHeading text=trs_owned(|t| t.staff_new_client_title) />
        <form class="staff-form" on:submit=submit novalidate>
            <div class="form-group">
                <label class="label" for="reference">{trs(|t| t.staff_reference)}</label>
                <p class="hint" id="reference-hint">{trs(|t| t.staff_reference_hint)}</p>
                <input
                    class="input"
                    id="reference"
                    name="reference"
                    autocomplete="off"
                    aria-describedby="reference-hint"
                    prop:value=move || reference.get()
                    on:input=move |ev| reference.set(event_target_value(&ev))
                />
            </div>
            <fieldset class="fieldset">
                <legend class="legend">{trs(|t| t.staff_kind)}</legend>
                <div class="radios">
                    {radio("kind", "jobseeker", t.staff_kind_jobseeker, kind)}
                    {radio("kind", "employer", t.staff_kind_employer, kind)}
                </div>
            </fieldset>
            <div class="form-group checkbox">
                <input
                    type="checkbox"
                    id="welsh"
                    prop:checked=move || welsh.get()
                    on:change=move |ev| welsh.set(event_target_checked(&ev))
                />
                <label for="welsh">{trs(|t| t.staff_language_welsh)}</label>
            </div>
            <fieldset class="fieldset">
                <legend class="legend">{trs(|t| t.staff_consent)}</legend>
                <p class="hint">{trs(|t| t.staff_consent_hint)}</p>
                <div class="form-group checkbox">
                    <input
                        type="checkbox"
                        id="consent-surveys"
                        prop:checked=move || consent_surveys.get()
                        on:change=move |ev| consent_surveys.set(event_target_checked(&ev))
                    />
                    <label for="consent-surveys">{trs(|t| t.staff_consent_surveys)}</label>
                </div>
                <div class="form-group checkbox">
                    <input
                        type="checkbox"
                        id="consent-email"
                        prop:checked=move || consent_email.get()
                        on:change=move |ev| consent_email.set(event_target_checked(&ev))
                    />
                    <label for="consent-email">{trs(|t| t.staff_consent_email)}</label>
                </div>
            </fieldset>
            <fieldset class="fieldset">
                <legend class="legend">{trs(|t| t.staff_consent_given_by)}</legend>
                <div class="radios">
                    {radio("given-by", "person", t.staff_given_person, given_by)}
                    {radio("given-by", "advocate", t.staff_given_advocate, given_by)}
                    {radio("given-by", "attorney", t.staff_given_attorney, given_by)}
                    {radio("given-by", "parent_or_guardian", t.staff_given_parent, given_by)}
                </div>
            </fieldset>
            <fieldset class="fieldset">
                <legend class="legend">{trs(|t| t.staff_consent_method)}</legend>
                <div class="radios">
                    {radio("method", "verbal", t.staff_method_verbal, method)}
                    {radio("method", "written", t.staff_method_written, method)}
                </div>
            </fieldset>
            <fieldset class="fieldset">
                <legend class="legend">{trs(|t| t.staff_programme)}</legend>
                <div class="radios">
                    {radio("programme", "seqf", "SEQF", programme)}
                    {radio("programme", "ips", "IPS", programme)}
                </div>
            </fieldset>
            <div class="form-group">
                <label class="label" for="started-on">{trs(|t| t.staff_started_on)}</label>
                <input
                    class="input input-date"
                    id="started-on"
                    type="date"
                    prop:value=move || started_on.get()
                    on:input=move |ev| started_on.set(event_target_value(&ev))
                />
            </div>
            <button type="submit" class="button" id="save-client">{trs(|t| t.staff_save_client)}</button>
        </form>
    }
}

#[component]
pub fn ClientPage(id: Uuid) -> impl IntoView {
    let caseload = use_caseload();
    let Some(person) = caseload.with(|c| c.participant(id).cloned()) else {
        return not_found_view().into_any();
    };
    let i18n = use_i18n();
    let episodes = move || caseload.with(|c| c.episodes_of(id));
    let reference = person.reference.clone();
    view! {
        <PageHeading text=Signal::derive(move || reference.clone()) />
        <p class="hint">
            {kind_label(i18n.s(), person.kind)}
        </p>
        <For
            each=episodes
            key=|e| e.id
            children=move |e| view! { <EpisodeCard episode=e /> }
        />
        <super::assisted::HandOverLinks participant=id kind=person.kind />
        <super::invite::InviteBox person=person.clone() />
    }
    .into_any()
}

#[component]
fn EpisodeCard(episode: Episode) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    let id = episode.id;
    let outbox = use_outbox();
    let auth = use_auth();
    let owner = auth
        .me_untracked()
        .map(|m| m.id.to_string())
        .unwrap_or_default();
    let waiting = load(move || {
        let _ = outbox.synced();
        let owner = owner.clone();
        async move { stored::keys(&owner, Status::Waiting).await }
    });
    // The server's copy, on opening and after every sync (offline this keeps the cached one).
    Effect::new(move || {
        let _ = outbox.synced();
        spawn_local(fetch::sessions(auth, caseload, id));
    });
    let sessions = move || {
        let waiting = waiting.get().unwrap_or_default();
        caseload.with(|c| c.session_views(id, &waiting))
    };
    let scores = move || {
        caseload.with(|c| {
            c.scores
                .iter()
                .filter(|s| s.episode_id == id)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let stage = move || {
        sessions()
            .first()
            .map(|s| stage_label(i18n.s(), s.clone().with_pending().stage))
            .unwrap_or(i18n.s().staff_stage_unknown)
    };
    let dates = fill(
        i18n.s().staff_episode_dates,
        &[
            ("start", &date(episode.started_on)),
            (
                "end",
                &episode
                    .ended_on
                    .map(date)
                    .unwrap_or_else(|| i18n.s().staff_episode_open.to_owned()),
            ),
        ],
    );
    let card_episode = episode.clone();
    view! {
        <section class="episode-card" aria-labelledby=format!("episode-{id}")>
            <h2 id=format!("episode-{id}")>
                {fill(i18n.s().staff_episode_title, &[("programme", &episode.programme.as_str().to_uppercase())])}
            </h2>
            <p>{dates}</p>
            <p>{move || fill(i18n.s().staff_stage_now, &[("stage", stage())])}</p>
            <h3>{trs(|t| t.staff_forms)}</h3>
            <ul class="plain-list forms-due">
                {move || form_lines(i18n.s(), caseload.with(|c| c.forms_of(&card_episode, today())))}
            </ul>
            <For
                each=scores
                key=|s| s.response_id
                children=move |s| {
                    view! {
                        <p class="score-line">
                            {match s.metric {
                                Some(metric) => fill(i18n.s().staff_score_line, &[("score", &metric.to_string()), ("raw", &s.raw.map(|r| r.to_string()).unwrap_or_default())]),
                                None => i18n.s().staff_score_incomplete.to_owned(),
                            }}
                        </p>
                    }
                }
            />
            <div class="button-group">
                <Link route=Route::NewSession(id) class="button">{trs(|t| t.staff_record_session)}</Link>
                <Link route=Route::Swemwbs(id) class="button button-secondary">{trs(|t| t.staff_run_swemwbs)}</Link>
            </div>
            <h3>{trs(|t| t.staff_sessions)}</h3>
            <Show
                when=move || !sessions().is_empty()
                fallback=|| view! { <p class="hint">{trs(|t| t.staff_sessions_none)}</p> }
            >
                <ul class="plain-list session-list">
                    <For
                        each=sessions
                        key=|s| {
                            (
                                s.id,
                                s.version,
                                s.local,
                                s.pending.as_ref().map(|p| p.id),
                                s.conflicts.iter().map(|c| c.edit_id).collect::<Vec<_>>(),
                            )
                        }
                        children=move |s| view! { <SessionItem session=s /> }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// One session in the episode's list, with an edit link and any conflicts to resolve.
#[component]
fn SessionItem(session: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    let id = session.id;
    let shown = session.clone().with_pending();
    let held = date(shown.held_on);
    let conflicts = session.conflicts.clone();
    view! {
        <li class="session-item" id=format!("session-{id}")>
            <p>
                <strong>{held.clone()}</strong>
                " · " {shown.activity.clone()} " · "
                {fill(i18n.s().staff_minutes, &[("n", &shown.duration_minutes.to_string())])}
            </p>
            <p class="hint">
                {move || stage_label(i18n.s(), shown.stage)}
                {shown.note.clone().map(|n| view! { " · " {n} })}
            </p>
            {session.local.then(|| view! { <p class="tag">{trs(|t| t.staff_session_not_sent)}</p> })}
            {session.pending.is_some().then(|| view! { <p class="tag">{trs(|t| t.staff_edit_waiting)}</p> })}
            <p>
                <Link route=Route::EditSession(id) class="session-edit">
                    {trs(|t| t.staff_edit_session)}
                    <span class="visually-hidden">
                        " " {move || fill(i18n.s().staff_edit_session_of, &[("date", &held)])}
                    </span>
                </Link>
            </p>
            {conflicts
                .into_iter()
                .map(|c| view! { <ConflictView session=session.clone() conflict=c /> })
                .collect_view()}
        </li>
    }
}

/// The editable fields of one version of a session, for showing two side by side.
#[derive(Debug, Clone, PartialEq)]
struct Fields {
    held_on: chrono::NaiveDate,
    duration_minutes: u16,
    stage: Stage,
    activity: String,
    note: Option<String>,
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

/// A stale edit kept beside the saved session: both versions side by side, each with a button
/// to keep it. Resolving needs a signal; until then both stay, here and on the server.
#[component]
fn ConflictView(session: SessionView, conflict: SessionConflict) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let caseload = use_caseload();
    let problem = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let edit_id = conflict.edit_id;
    let session_id = session.id;
    let current = Fields {
        held_on: session.held_on,
        duration_minutes: session.duration_minutes,
        stage: session.stage,
        activity: session.activity.clone(),
        note: session.note.clone(),
    };
    let theirs = Fields {
        held_on: conflict.held_on,
        duration_minutes: conflict.duration_minutes,
        stage: conflict.stage,
        activity: conflict.activity.clone(),
        note: conflict.note.clone(),
    };
    let me = auth.me_untracked().map(|m| m.id);
    let t = i18n.s();
    let who = if Some(conflict.author_id) == me {
        t.staff_conflict_by_you
    } else {
        t.staff_conflict_by_other
    };
    let made = time_at(conflict.made_at);
    let saved_when = session.updated_at.map(time_at).unwrap_or_default();
    let resolve = move |keep: Keep| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::resolve_conflict(auth, session_id, edit_id, keep).await {
                Ok(record) => {
                    problem.set(None);
                    if let Err(error) = stored::forget_conflict(&edit_id.to_string()).await {
                        log::warn!("could not clear the resolved conflict: {error}");
                    }
                    caseload.update(|c| {
                        c.put_record(record);
                        c.edits.retain(|e| e.edit.id != edit_id);
                    });
                }
                Err(ApiError::Unreachable(_)) => problem.set(Some(i18n.s().staff_conflict_offline)),
                Err(error) => {
                    log::warn!("conflict not resolved: {error}");
                    problem.set(Some(i18n.s().staff_conflict_refused));
                }
            }
            busy.set(false);
        });
    };
    let title = format!("conflict-{edit_id}");
    let current_title = format!("conflict-{edit_id}-current");
    let theirs_title = format!("conflict-{edit_id}-edit");
    let keep_current = format!("keep-{edit_id}-current");
    let keep_theirs = format!("keep-{edit_id}-edit");
    let labelled_current = format!("{keep_current} {current_title}");
    let labelled_theirs = format!("{keep_theirs} {theirs_title}");
    let (title_ref, current_ref, theirs_ref) =
        (title.clone(), current_title.clone(), theirs_title.clone());
    view! {
        <section class="conflict" aria-labelledby=title_ref data-edit=edit_id.to_string()>
            <h4 id=title>{trs(|t| t.staff_conflict_title)}</h4>
            <p>{trs(|t| t.staff_conflict_lead)}</p>
            <div class="conflict-versions">
                <section class="version version-current" aria-labelledby=current_ref>
                    <h5 id=current_title>{trs(|t| t.staff_conflict_current)}</h5>
                    <p class="hint">
                        {fill(t.staff_conflict_current_meta, &[("version", &session.version.to_string()), ("when", &saved_when)])}
                    </p>
                    {version_list(&current, &theirs)}
                    <button
                        type="button"
                        class="button button-secondary keep-current"
                        id=keep_current
                        aria-labelledby=labelled_current
                        disabled=move || busy.get()
                        on:click=move |_| resolve(Keep::Current)
                    >
                        {trs(|t| t.staff_conflict_keep)}
                    </button>
                </section>
                <section class="version version-edit" aria-labelledby=theirs_ref>
                    <h5 id=theirs_title>{trs(|t| t.staff_conflict_edit)}</h5>
                    <p class="hint">
                        {fill(t.staff_conflict_edit_meta, &[("version", &conflict.base_version.to_string()), ("who", who), ("when", &made)])}
                    </p>
                    {version_list(&theirs, &current)}
                    <button
                        type="button"
                        class="button button-secondary keep-edit"
                        id=keep_theirs
                        aria-labelledby=labelled_theirs
                        disabled=move || busy.get()
                        on:click=move |_| resolve(Keep::Theirs)
                    >
                        {trs(|t| t.staff_conflict_keep)}
                    </button>
                </section>
            </div>
            {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        </section>
    }
}

/// One line per form the episode has: what it is and, in words, whether it is done, due or
/// not due yet.
fn form_lines(t: &'static StaffMessages, forms: domain::coverage::EpisodeForms) -> impl IntoView {
    use domain::coverage::FormState;
    let state = |s: FormState| match s {
        FormState::Done => t.staff_form_done,
        FormState::Due => t.staff_form_due,
        FormState::NotYet => t.staff_form_not_yet,
    };
    let mut lines = vec![
        (
            "swemwbs-start",
            t.staff_form_swemwbs_start,
            forms.swemwbs_start,
        ),
        ("swemwbs-end", t.staff_form_swemwbs_end, forms.swemwbs_end),
        (
            "jobseeker-satisfaction",
            t.staff_form_jobseeker,
            forms.jobseeker_satisfaction,
        ),
    ];
    if let Some(employer) = forms.employer_satisfaction {
        lines.push(("employer-satisfaction", t.staff_form_employer, employer));
    }
    lines
        .into_iter()
        .map(|(key, label, s)| {
            view! {
                <li data-form=key data-state=s.as_str()>
                    {label} ": " <strong>{state(s)}</strong>
                </li>
            }
        })
        .collect_view()
}
