//! An episode's journey on the client's page (DESIGN §4a): the referral and its decision, the
//! start, the vocational profile, the hours worked before, each job with its end, and the end
//! of support, with links to record the next step. Read from the device's cache, so it shows
//! the same with no signal, steps recorded here included.

use domain::journey::Job;
use domain::records::Episode;
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::staff::offline::use_caseload;
use crate::staff::route::{Link, Route};
use crate::staff::text::{
    job_end_label, not_accepted_label, number, outcome_label, sector_label, source_label,
    support_end_label, trs,
};
use crate::staff::time::date;

/// The journey of episode `id`; `waiting`: the outbox's keys of records still to send.
#[component]
pub fn JourneySteps(id: Uuid, waiting: Signal<Vec<String>>) -> impl IntoView {
    let caseload = use_caseload();
    let current = Memo::new(move |_| caseload.with(|c| c.episode(id).cloned()));
    let jobs = Memo::new(move |_| caseload.with(|c| c.jobs_of(id)));
    move || {
        current.get().map(|e| {
            view! {
                <h3>{trs(|t| t.staff_journey_title)}</h3>
                <ul class="plain-list journey" id=format!("journey-{id}")>
                    <ReferralStep episode=e.clone() />
                    <StartSteps episode=e.clone() />
                </ul>
                <h3>{trs(|t| t.staff_jobs)}</h3>
                <JobList jobs waiting />
                <EndStep episode=e />
            }
        })
    }
}

/// The referral the episode started from, and the decision on it.
#[component]
fn ReferralStep(episode: Episode) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    let referral = episode
        .referral_id
        .and_then(|r| caseload.with(|c| c.referral(r).cloned()));
    move || {
        let t = i18n.s();
        let Some(r) = referral.clone() else {
            return view! { <li class="journey-referral">{t.staff_journey_no_referral}</li> }
                .into_any();
        };
        let came = fill(
            t.staff_journey_referral,
            &[
                ("date", &date(r.referred_on)),
                ("source", source_label(t, r.source)),
            ],
        );
        let decided = decision_text(t, r.accepted, r.decided_on, r.not_accepted_reason);
        view! { <li class="journey-referral">{came} ". " {decided}</li> }.into_any()
    }
}

pub fn decision_text(
    t: &'static StaffMessages,
    accepted: Option<bool>,
    on: Option<chrono::NaiveDate>,
    reason: Option<domain::journey::NotAcceptedReason>,
) -> String {
    let on = on.map(date).unwrap_or_default();
    match (accepted, reason) {
        (Some(true), _) => fill(t.staff_journey_accepted, &[("date", &on)]),
        (Some(false), r) => fill(
            t.staff_journey_not_accepted,
            &[
                ("date", &on),
                ("reason", r.map(|r| not_accepted_label(t, r)).unwrap_or("")),
            ],
        ),
        (None, _) => t.staff_journey_undecided.to_owned(),
    }
}

/// The start, the vocational profile and the hours a week worked before support.
#[component]
fn StartSteps(episode: Episode) -> impl IntoView {
    let t = use_i18n().s();
    let id = episode.id;
    let profile = match episode.profile_started_on {
        Some(d) => fill(t.staff_journey_profile, &[("date", &date(d))]),
        None => t.staff_journey_profile_none.to_owned(),
    };
    let hours = episode
        .hours_before
        .map(|h| fill(t.staff_journey_hours_before, &[("hours", &number(h))]));
    view! {
        <li class="journey-start">{fill(t.staff_journey_started, &[("date", &date(episode.started_on))])}</li>
        <li
            class="journey-profile"
            data-profile=episode.profile_started_on.map(|d| d.to_string()).unwrap_or_default()
        >
            {profile} " "
            <Link route=Route::Profile(id) class="journey-link">{trs(|t| t.staff_record_profile)}</Link>
        </li>
        {hours.map(|h| view! { <li class="journey-hours">{h}</li> })}
    }
}

/// The episode's jobs in the order they started, then the link to record another.
#[component]
fn JobList(jobs: Memo<Vec<Job>>, waiting: Signal<Vec<String>>) -> impl IntoView {
    view! {
        <Show
            when=move || !jobs.with(Vec::is_empty)
            fallback=|| view! { <p class="hint">{trs(|t| t.staff_jobs_none)}</p> }
        >
            <ul class="plain-list job-list">
                <For
                    each=move || jobs.get()
                    key=|j| (j.id, j.ended_on, j.end_reason)
                    children=move |job| {
                        let local = Signal::derive(move || waiting.with(|w| w.contains(&job.id.to_string())));
                        view! { <JobItem job=job.clone() local /> }
                    }
                />
            </ul>
        </Show>
    }
}

#[component]
fn JobItem(job: Job, local: Signal<bool>) -> impl IntoView {
    let t = use_i18n().s();
    let what = job
        .title
        .clone()
        .unwrap_or_else(|| outcome_label(t, job.outcome).to_owned());
    let mut details = vec![outcome_label(t, job.outcome).to_owned()];
    details.push(
        if job.paid {
            t.staff_job_paid_yes
        } else {
            t.staff_job_paid_no
        }
        .to_owned(),
    );
    details.extend(
        job.hours_per_week
            .map(|h| fill(t.staff_job_hours_line, &[("hours", &number(h))])),
    );
    details.extend(
        job.hourly_pay
            .map(|p| fill(t.staff_job_pay_line, &[("pay", &p.to_string())])),
    );
    details.extend(job.sector.map(|s| sector_label(t, s).to_owned()));
    details.push(
        if job.job_analysis {
            t.staff_job_analysis_done
        } else {
            t.staff_job_analysis_not_done
        }
        .to_owned(),
    );
    let ended = job.ended_on.map(|d| {
        let why = job.end_reason.map(|r| job_end_label(t, r)).unwrap_or("");
        fill(t.staff_job_ended, &[("date", &date(d)), ("reason", why)])
    });
    view! {
        <li
            class="job-item"
            id=format!("job-{}", job.id)
            data-outcome=job.outcome.as_str()
            data-paid=job.paid.to_string()
        >
            <p><strong>{what}</strong> " · " {fill(t.staff_job_from, &[("date", &date(job.started_on))])}</p>
            <p class="hint">{details.join(" · ")}</p>
            {move || local.get().then(|| view! { <p class="tag">{trs(|t| t.staff_session_not_sent)}</p> })}
            {match ended {
                Some(text) => view! { <p class="job-ended">{text}</p> }.into_any(),
                None => view! {
                    <p><Link route=Route::EndJob(job.id) class="journey-link">{trs(|t| t.staff_record_job_end)}</Link></p>
                }.into_any(),
            }}
        </li>
    }
}

/// The end of support, or the links to record a job or the end.
#[component]
fn EndStep(episode: Episode) -> impl IntoView {
    let t = use_i18n().s();
    let id = episode.id;
    match episode.ended_on {
        Some(d) => {
            let why = episode.end_reason.map(|r| support_end_label(t, r)).unwrap_or("");
            view! { <p class="journey-end">{fill(t.staff_journey_ended, &[("date", &date(d)), ("reason", why)])}</p> }.into_any()
        }
        None => view! {
            <div class="button-group">
                <Link route=Route::NewJob(id) class="button button-secondary">{trs(|t| t.staff_record_job)}</Link>
                <Link route=Route::EndSupport(id) class="button button-secondary">{trs(|t| t.staff_record_support_end)}</Link>
            </div>
        }
        .into_any(),
    }
}
