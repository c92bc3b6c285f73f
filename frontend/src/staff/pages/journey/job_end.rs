//! Recording the end of a job: the date and why it ended, sent as a `job_end` record.

use domain::journey::{JobEndReason, JobEndRecord, check_job_end, check_journey};
use leptos::prelude::*;
use uuid::Uuid;

use super::frame::{ChangeFrame, Check, ended};
use super::refusal;
use crate::i18n::{fill, use_i18n};
use crate::staff::components::checked::{Choice, Input, Problem};
use crate::staff::components::not_found::not_found_view;
use crate::staff::offline::journey::Change;
use crate::staff::offline::use_caseload;
use crate::staff::text::{job_end_label, outcome_label, trs};
use crate::staff::time::{date, today};

const IDS: &[(&str, &str)] = &[
    ("ended_on", "job-ended-on"),
    ("job_ended_on", "job-ended-on"),
    ("end_reason", "job-end-reason-resigned"),
];

#[component]
pub fn EndJobPage(job: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    let found = caseload.with(|c| {
        let j = c.job(job)?.clone();
        let e = c.episode(j.episode_id)?.clone();
        let reference = c.participant(e.participant_id)?.reference.clone();
        Some((j, e, reference))
    });
    let Some((found_job, episode, reference)) = found else {
        return not_found_view().into_any();
    };
    let ended_on = RwSignal::new(today().to_string());
    let reason = RwSignal::new(String::new());
    let problem = Problem::new();
    let what = found_job.title.clone().unwrap_or_default();
    let started = found_job.started_on;
    let participant = episode.participant_id;
    let heading = Signal::derive(move || {
        let t = i18n.s();
        let what = if what.is_empty() {
            outcome_label(t, found_job.outcome)
        } else {
            &what
        };
        fill(
            t.staff_job_end_title,
            &[("job", what), ("date", &date(started))],
        )
    });
    let check: Check = Box::new(move |t| {
        let (day, why) = ended(
            t,
            (ended_on, "job-ended-on"),
            (reason, "job-end-reason-resigned"),
            JobEndReason::parse,
        )?;
        check_job_end(started, Some(day), Some(why)).map_err(|e| refusal(t, &e, IDS))?;
        let journey = caseload.with_untracked(|c| c.journey_ending(&episode, job, day));
        check_journey(&journey).map_err(|e| refusal(t, &e, IDS))?;
        let end = JobEndRecord {
            job_id: job,
            ended_on: Some(day),
            end_reason: Some(why),
        };
        let label = fill(
            t.staff_label_job_end,
            &[("ref", &reference), ("date", &date(day))],
        );
        Ok((Change::JobEnd(end), label))
    });
    let t = i18n.s();
    let reasons = JobEndReason::ALL
        .iter()
        .map(|r| (r.as_str(), job_end_label(t, *r)))
        .collect();
    view! {
        <ChangeFrame
            heading
            participant
            button=trs(|t| t.staff_save_job_end)
            button_id="save-job-end"
            problem
            check
        >
            <Input id="job-ended-on" label=trs(|t| t.staff_job_ended_on) kind="date" value=ended_on problem />
            <Choice
                name="job-end-reason"
                legend=trs(|t| t.staff_job_end_reason)
                options=reasons
                value=reason
                problem
                target="job-end-reason-resigned"
            />
        </ChangeFrame>
    }
    .into_any()
}
