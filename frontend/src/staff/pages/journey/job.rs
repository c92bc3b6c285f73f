//! Recording a job found or kept during support (DESIGN §4a): its start, the kind of outcome,
//! paid or not, the employer, title and sector, hours and pay, and whether a job analysis was
//! done. Refused beside its start date when it starts before a step it follows.

use domain::journey::{NewJob, OutcomeType, Sector, check_journey};
use domain::records::{ParticipantKind, ShortText};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::save::save_job;
use super::{Refusal, optional_amount, optional_date, refusal};
use crate::components::PageHeading;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::staff::auth::use_auth;
use crate::staff::components::checked::{Choice, Input, Problem, ProblemSummary, Select};
use crate::staff::components::form::Checkbox;
use crate::staff::components::not_found::not_found_view;
use crate::staff::offline::cache::Cache;
use crate::staff::offline::use_caseload;
use crate::staff::route::{Route, use_router};
use crate::staff::text::{outcome_label, sector_label, trs, trs_owned};
use crate::staff::time::{date, today};

/// Where each of a job's fields is on the form.
const IDS: &[(&str, &str)] = &[
    ("started_on", "job-started-on"),
    ("job_started_on", "job-started-on"),
    ("hours_per_week", "job-hours"),
    ("hourly_pay", "job-pay"),
];

#[derive(Debug, Clone, Copy)]
struct JobFields {
    started_on: RwSignal<String>,
    outcome: RwSignal<String>,
    paid: RwSignal<String>,
    employer: RwSignal<String>,
    title: RwSignal<String>,
    sector: RwSignal<String>,
    hours: RwSignal<String>,
    pay: RwSignal<String>,
    analysis: RwSignal<bool>,
}

impl JobFields {
    fn new() -> JobFields {
        let text = |s: &str| RwSignal::new(s.to_owned());
        JobFields {
            started_on: text(&today().to_string()),
            outcome: text(OutcomeType::NewJob.as_str()),
            paid: text("yes"),
            employer: text(""),
            title: text(""),
            sector: text(""),
            hours: text(""),
            pay: text(""),
            analysis: RwSignal::new(false),
        }
    }

    /// The job, checked by `NewJob::check` and then, in the episode's journey as this device
    /// knows it, by `check_journey`.
    fn check(self, t: &'static StaffMessages, c: &Cache, episode: Uuid) -> Result<NewJob, Refusal> {
        let get = |s: RwSignal<String>| s.get_untracked();
        let started_on = optional_date(&get(self.started_on))
            .ok()
            .flatten()
            .ok_or((t.staff_error_date.to_owned(), "job-started-on"))?;
        let paid = get(self.paid) == "yes";
        let amount = |s, error: &'static str, id| {
            optional_amount(&get(s)).map_err(|()| (error.to_owned(), id))
        };
        let title = get(self.title);
        let job = NewJob {
            id: Uuid::new_v4(),
            episode_id: episode,
            started_on,
            outcome: OutcomeType::parse(&get(self.outcome)).unwrap_or(OutcomeType::NewJob),
            paid,
            employer_id: Uuid::parse_str(&get(self.employer)).ok(),
            title: (!title.trim().is_empty())
                .then(|| ShortText::parse(&title))
                .transpose()
                .map_err(|_| (t.staff_error_job_title.to_owned(), "job-title"))?,
            sector: Sector::parse(&get(self.sector)).ok(),
            hours_per_week: amount(self.hours, t.staff_error_job_hours, "job-hours")?,
            hourly_pay: match paid {
                true => amount(self.pay, t.staff_error_pay, "job-pay")?,
                false => None,
            },
            job_analysis: self.analysis.get_untracked(),
            ended_on: None,
            end_reason: None,
        };
        let Some(e) = c.episode(episode) else {
            return Err((t.staff_error_saving.to_owned(), "job-started-on"));
        };
        let mut journey = c.journey_of(e);
        journey.jobs.push((job.started_on, None));
        check_journey(&journey).map_err(|e| refusal(t, &e, IDS))?;
        job.check().map_err(|e| refusal(t, &e, IDS))?;
        // Dates within sense, as the server judges them (`domain::dates`).
        job.check_dates(crate::staff::time::today())
            .map_err(|e| refusal(t, &e, IDS))?;
        Ok(job)
    }
}

#[component]
pub fn NewJobPage(episode: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let (auth, caseload, router) = (use_auth(), use_caseload(), use_router());
    let Some(found) = caseload.with(|c| c.episode(episode).cloned()) else {
        return not_found_view().into_any();
    };
    let participant = found.participant_id;
    let reference = caseload
        .with(|c| c.participant(participant).map(|p| p.reference.clone()))
        .unwrap_or_default();
    let fields = JobFields::new();
    let problem = Problem::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let job = match caseload.with_untracked(|c| fields.check(t, c, episode)) {
            Ok(job) => job,
            Err((message, field)) => return problem.set(message, field),
        };
        problem.clear();
        let label = fill(
            t.staff_label_job,
            &[("ref", &reference), ("date", &date(job.started_on))],
        );
        spawn_local(async move {
            match save_job(auth, caseload, &job, &label).await {
                Ok(()) => router.go(Route::Client(participant)),
                Err(e) => {
                    log::warn!("job not saved: {e}");
                    problem.set(t.staff_error_saving, "job-started-on");
                }
            }
        });
    };
    view! {
        <ProblemSummary problem />
        <PageHeading text=trs_owned(|t| t.staff_job_title) />
        <form class="staff-form" on:submit=submit novalidate>
            <JobInputs fields problem />
            <button type="submit" class="button" id="save-job">{trs(|t| t.staff_save_job)}</button>
        </form>
    }
    .into_any()
}

/// The choices the job form offers, in the person's language: outcome types, paid or not,
/// the caseload's employers and the SIC sections.
struct Choices {
    outcomes: Vec<(&'static str, &'static str)>,
    paid: Vec<(&'static str, &'static str)>,
    employers: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
}

impl Choices {
    fn new(t: &'static StaffMessages, c: &Cache) -> Choices {
        Choices {
            outcomes: OutcomeType::ALL
                .iter()
                .map(|o| (o.as_str(), outcome_label(t, *o)))
                .collect(),
            paid: vec![("yes", t.staff_job_paid_yes), ("no", t.staff_job_paid_no)],
            employers: c
                .participants
                .iter()
                .filter(|p| p.kind == ParticipantKind::Employer)
                .map(|p| (p.id.to_string(), p.reference.clone()))
                .collect(),
            sectors: Sector::ALL
                .iter()
                .map(|s| {
                    let title = format!("{} – {}", s.as_str(), sector_label(t, *s));
                    (s.as_str().to_owned(), title)
                })
                .collect(),
        }
    }
}

#[component]
fn JobInputs(fields: JobFields, problem: Problem) -> impl IntoView {
    let t = use_i18n().s();
    let Choices {
        outcomes,
        paid,
        employers,
        sectors,
    } = use_caseload().with(|c| Choices::new(t, c));
    let is_paid = move || fields.paid.with(|p| p == "yes");
    view! {
        <Input
            id="job-started-on"
            label=trs(|t| t.staff_job_started_on)
            kind="date"
            value=fields.started_on
            problem
        />
        <Choice
            name="outcome"
            legend=trs(|t| t.staff_job_outcome)
            options=outcomes
            value=fields.outcome
            problem
            target="outcome-new_job"
        />
        <Choice
            name="paid"
            legend=trs(|t| t.staff_job_paid)
            options=paid
            value=fields.paid
            problem
            target="paid-yes"
        />
        <Select
            id="job-employer"
            label=trs(|t| t.staff_job_employer)
            hint=trs(|t| t.staff_job_employer_hint)
            options=employers
            blank=t.staff_job_employer_none
            value=fields.employer
            problem
        />
        <Input
            id="job-title"
            label=trs(|t| t.staff_job_title_field)
            hint=trs(|t| t.staff_optional)
            value=fields.title
            problem
        />
        <Select
            id="job-sector"
            label=trs(|t| t.staff_job_sector)
            options=sectors
            blank=t.staff_not_recorded
            value=fields.sector
            problem
        />
        <Input
            id="job-hours"
            label=trs(|t| t.staff_job_hours)
            hint=trs(|t| t.staff_optional)
            value=fields.hours
            problem
            decimal=true
        />
        <Show when=is_paid>
            <Input
                id="job-pay"
                label=trs(|t| t.staff_job_pay)
                hint=trs(|t| t.staff_job_pay_hint)
                value=fields.pay
                problem
                decimal=true
            />
        </Show>
        <Checkbox id="job-analysis" label=trs(|t| t.staff_job_analysis) checked=fields.analysis />
    }
}
