//! The start of support: the first meeting, the vocational profile's start (often later, then
//! recorded from the client's page) and the hours a week the person was in paid work before.

use chrono::NaiveDate;
use domain::journey::{JourneyDates, NewReferral, Referral, check_journey};
use domain::records::{NewEpisode, Programme};
use leptos::prelude::*;
use uuid::Uuid;

use super::{Refusal, optional_amount, optional_date, refusal};
use crate::i18n::StaffMessages;
use crate::staff::components::checked::{Input, Problem};
use crate::staff::text::trs;
use crate::staff::time::today;

#[derive(Debug, Clone, Copy)]
pub struct StartFields {
    started_on: RwSignal<String>,
    profile_started_on: RwSignal<String>,
    hours_before: RwSignal<String>,
}

/// Where each date of a journey is on a form that starts support.
pub const IDS: &[(&str, &str)] = &[
    ("started_on", "started-on"),
    ("referred_on", "referred-on"),
    ("decided_on", "decided-on"),
    ("profile_started_on", "profile-started-on"),
    ("hours_before", "hours-before"),
];

/// The referral support starts from, as the start's checks need it.
#[derive(Debug, Clone, Copy)]
pub struct Referred {
    pub id: Uuid,
    pub referred_on: NaiveDate,
    pub decided_on: Option<NaiveDate>,
}

impl From<&NewReferral> for Referred {
    fn from(r: &NewReferral) -> Referred {
        Referred {
            id: r.id,
            referred_on: r.referred_on,
            decided_on: r.decided_on,
        }
    }
}

impl From<&Referral> for Referred {
    fn from(r: &Referral) -> Referred {
        Referred {
            id: r.id,
            referred_on: r.referred_on,
            decided_on: r.decided_on,
        }
    }
}

impl StartFields {
    pub fn new() -> StartFields {
        StartFields {
            started_on: RwSignal::new(today().to_string()),
            profile_started_on: RwSignal::new(String::new()),
            hours_before: RwSignal::new(String::new()),
        }
    }

    /// The episode of support these fields start, from `referral` when there is one, checked
    /// by `NewEpisode::check` and, with the referral's dates, by `check_journey`.
    pub fn check(
        self,
        t: &'static StaffMessages,
        participant_id: Uuid,
        programme: Programme,
        referral: Option<Referred>,
    ) -> Result<NewEpisode, Refusal> {
        let date_error = |id| (t.staff_error_date.to_owned(), id);
        let started_on = optional_date(&self.started_on.get_untracked())
            .ok()
            .flatten()
            .ok_or(date_error("started-on"))?;
        let profile_started_on = optional_date(&self.profile_started_on.get_untracked())
            .map_err(|()| date_error("profile-started-on"))?;
        let hours_before = optional_amount(&self.hours_before.get_untracked())
            .map_err(|()| (t.staff_error_hours_before.to_owned(), "hours-before"))?;
        let episode = NewEpisode {
            id: Uuid::new_v4(),
            participant_id,
            specialist_id: None,
            programme,
            referred_on: referral.map(|r| r.referred_on),
            started_on,
            profile_started_on,
            job_started_on: None,
            ended_on: None,
            employer_id: None,
            referral_id: referral.map(|r| r.id),
            hours_before,
            end_reason: None,
        };
        // The order of the steps first: its refusal names the step the date comes after.
        check_journey(&JourneyDates {
            referred_on: episode.referred_on,
            decided_on: referral.and_then(|r| r.decided_on),
            started_on: Some(started_on),
            profile_started_on,
            ..JourneyDates::default()
        })
        .map_err(|e| refusal(t, &e, IDS))?;
        episode.check().map_err(|e| refusal(t, &e, IDS))?;
        // Dates within sense, as the server judges them (`domain::dates`).
        episode
            .check_dates(crate::staff::time::today())
            .map_err(|e| refusal(t, &e, IDS))?;
        Ok(episode)
    }
}

#[component]
pub fn StartFieldset(fields: StartFields, problem: Problem) -> impl IntoView {
    view! {
        <h2>{trs(|t| t.staff_start_title)}</h2>
        <Input
            id="started-on"
            label=trs(|t| t.staff_started_on)
            hint=trs(|t| t.staff_started_on_hint)
            kind="date"
            value=fields.started_on
            problem
        />
        <Input
            id="profile-started-on"
            label=trs(|t| t.staff_profile_started_on)
            hint=trs(|t| t.staff_profile_started_on_hint)
            kind="date"
            value=fields.profile_started_on
            problem
        />
        <Input
            id="hours-before"
            label=trs(|t| t.staff_hours_before)
            hint=trs(|t| t.staff_hours_before_hint)
            value=fields.hours_before
            problem
            decimal=true
        />
    }
}
