//! One episode of support on the client's page: its dates and stage, its journey (referral,
//! profile, jobs, end), the forms it owes, the SWEMWBS scores taken on this phone, and its
//! sessions (the server's copy is fetched whenever the card is shown and after every sync).

use domain::coverage::{EpisodeForms, FormState};
use domain::records::Episode;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::journey::JourneySteps;
use super::session::SessionItem;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::load::load;
use crate::offline::outbox::Status;
use crate::offline::use_outbox;
use crate::staff::auth::use_auth;
use crate::staff::offline::outbox::my_keys;
use crate::staff::offline::{SessionView, fetch, use_caseload};
use crate::staff::route::{Link, Route};
use crate::staff::text::{stage_label, trs};
use crate::staff::time::{date, today};

#[component]
pub fn EpisodeCard(episode: Episode) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    let id = episode.id;
    let outbox = use_outbox();
    let auth = use_auth();
    let waiting = load(move || {
        let _ = outbox.synced();
        my_keys(auth, Status::Waiting)
    });
    // The server's copy, on opening and after every sync (offline this keeps the cached one).
    Effect::new(move || {
        let _ = outbox.synced();
        spawn_local(fetch::sessions(auth, caseload, id));
        spawn_local(fetch::jobs(auth, caseload, id));
    });
    let waiting_keys = Signal::derive(move || waiting.get().unwrap_or_default());
    let sessions = Signal::derive(move || {
        let waiting = waiting.get().unwrap_or_default();
        caseload.with(|c| c.session_views(id, &waiting))
    });
    let stage = move || {
        sessions
            .get()
            .first()
            .map(|s| stage_label(i18n.s(), s.clone().with_pending().stage))
            .unwrap_or(i18n.s().staff_stage_unknown)
    };
    let t = i18n.s();
    // From the cache, so a support end recorded here shows at once.
    let dates = move || {
        let t = i18n.s();
        let ended = caseload.with(|c| c.episode(id).and_then(|e| e.ended_on));
        let end = ended
            .map(date)
            .unwrap_or_else(|| t.staff_episode_open.to_owned());
        fill(
            t.staff_episode_dates,
            &[("start", &date(episode.started_on)), ("end", &end)],
        )
    };
    let programme = episode.programme.as_str().to_uppercase();
    view! {
        <section class="episode-card" aria-labelledby=format!("episode-{id}")>
            <h2 id=format!("episode-{id}")>
                {fill(t.staff_episode_title, &[("programme", &programme)])}
            </h2>
            <p>{dates}</p>
            <p>{move || fill(i18n.s().staff_stage_now, &[("stage", stage())])}</p>
            <JourneySteps id waiting=waiting_keys />
            <FormsDue episode />
            <Scores episode=id />
            <div class="button-group">
                <Link route=Route::NewSession(id) class="button">{trs(|t| t.staff_record_session)}</Link>
                <Link route=Route::Swemwbs(id) class="button button-secondary">{trs(|t| t.staff_run_swemwbs)}</Link>
            </div>
            <Sessions sessions />
        </section>
    }
}

/// The forms the episode owes today, by the cache.
#[component]
fn FormsDue(episode: Episode) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    view! {
        <h3>{trs(|t| t.staff_forms)}</h3>
        <ul class="plain-list forms-due">
            {move || form_lines(i18n.s(), caseload.with(|c| c.forms_of(&episode, today())))}
        </ul>
    }
}

/// One line per form the episode has: what it is and, in words, whether it is done, due or
/// not due yet.
fn form_lines(t: &'static StaffMessages, forms: EpisodeForms) -> impl IntoView {
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

/// The SWEMWBS scores taken on this phone in the episode.
#[component]
fn Scores(episode: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    let scores = move || {
        caseload.with(|c| {
            c.scores
                .iter()
                .filter(|s| s.episode_id == episode)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <For
            each=scores
            key=|s| s.response_id
            children=move |s| {
                let raw = s.raw.map(|r| r.to_string()).unwrap_or_default();
                view! {
                    <p class="score-line">
                        {match s.metric {
                            Some(metric) => fill(i18n.s().staff_score_line, &[("score", &metric.to_string()), ("raw", &raw)]),
                            None => i18n.s().staff_score_incomplete.to_owned(),
                        }}
                    </p>
                }
            }
        />
    }
}

/// The episode's sessions, newest first.
#[component]
fn Sessions(sessions: Signal<Vec<SessionView>>) -> impl IntoView {
    view! {
        <h3>{trs(|t| t.staff_sessions)}</h3>
        <Show
            when=move || !sessions.get().is_empty()
            fallback=|| view! { <p class="hint">{trs(|t| t.staff_sessions_none)}</p> }
        >
            <ul class="plain-list session-list">
                <For
                    each=move || sessions.get()
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
    }
}
