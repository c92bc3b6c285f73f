//! A client: registering one (participant, consent and episode, all offline-capable), and their
//! page: episodes with dates, sessions recorded, SWEMWBS done on this device, what is due, and
//! invitations shown as a short code.

use domain::records::{
    Accessibility, ConsentGivenBy, ConsentMethod, ConsentScope, Episode, Equality, Language,
    NewConsent, NewEpisode, NewParticipant, Participant, ParticipantKind, Programme, Reference,
    ShortText,
};
use leptos::prelude::*;

use super::radio;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::components::{ErrorSummary, PageHeading};
use crate::i18n::{fill, use_i18n};
use crate::staff::{trs, trs_owned};

use super::api::today;
use super::auth::use_auth;
use super::cache::use_caseload;
use super::{Link, Route, enqueue, not_found_view, now, use_router};

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
            {match person.kind {
                ParticipantKind::Jobseeker => i18n.s().staff_kind_jobseeker,
                ParticipantKind::Employer => i18n.s().staff_kind_employer,
            }}
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
    let sessions = move || caseload.with(|c| c.sessions_of(id));
    let scores = move || {
        caseload.with(|c| {
            c.scores
                .iter()
                .filter(|s| s.episode_id == id)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let has_start = move || {
        scores()
            .iter()
            .any(|s| s.timing == domain::kpi::Timing::Start)
    };
    let stage = move || {
        sessions()
            .first()
            .map(|s| super::session_form::stage_label(i18n.s(), s.stage))
            .unwrap_or(i18n.s().staff_stage_unknown)
    };
    let dates = fill(
        i18n.s().staff_episode_dates,
        &[
            ("start", &episode.started_on.format("%d/%m/%Y").to_string()),
            (
                "end",
                &episode
                    .ended_on
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_else(|| i18n.s().staff_episode_open.to_owned()),
            ),
        ],
    );
    view! {
        <section class="episode-card" aria-labelledby=format!("episode-{id}")>
            <h2 id=format!("episode-{id}")>
                {fill(i18n.s().staff_episode_title, &[("programme", &episode.programme.as_str().to_uppercase())])}
            </h2>
            <p>{dates}</p>
            <p>{move || fill(i18n.s().staff_stage_now, &[("stage", stage())])}</p>
            <h3>{trs(|t| t.staff_forms)}</h3>
            <ul class="plain-list forms-due">
                <li>
                    {move || if has_start() {
                        i18n.s().staff_swemwbs_start_done
                    } else {
                        i18n.s().staff_swemwbs_start_due
                    }}
                </li>
                <li>
                    {move || if episode.ended_on.is_some() {
                        i18n.s().staff_swemwbs_end_due
                    } else {
                        i18n.s().staff_swemwbs_end_later
                    }}
                </li>
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
                        key=|s| s.id
                        children=move |s| {
                            view! {
                                <li class="session-item">
                                    <strong>{s.held_on.format("%d/%m/%Y").to_string()}</strong>
                                    " · " {s.activity.as_str().to_owned()} " · "
                                    {fill(i18n.s().staff_minutes, &[("n", &s.duration_minutes.to_string())])}
                                </li>
                            }
                        }
                    />
                </ul>
            </Show>
        </section>
    }
}
