//! Recording the vocational profile's start and the hours a week the person was in paid work
//! before support, when they were not known at the start: an `episode_update` record.

use domain::journey::check_journey;
use domain::records::{EpisodeUpdateRecord, UpdateEpisode, check_episode_extras};
use leptos::prelude::*;
use uuid::Uuid;

use super::frame::{ChangeFrame, Check};
use super::{optional_amount, optional_date, refusal};
use crate::i18n::{fill, use_i18n};
use crate::staff::components::checked::{Input, Problem};
use crate::staff::components::not_found::not_found_view;
use crate::staff::offline::journey::Change;
use crate::staff::offline::use_caseload;
use crate::staff::text::{number, trs};

const IDS: &[(&str, &str)] = &[
    ("profile_started_on", "profile-started-on"),
    ("hours_before", "hours-before"),
];

#[component]
pub fn ProfilePage(episode: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    let found = caseload.with(|c| {
        let e = c.episode(episode)?.clone();
        let reference = c.participant(e.participant_id)?.reference.clone();
        Some((e, reference))
    });
    let Some((current, reference)) = found else {
        return not_found_view().into_any();
    };
    let shown = |d: Option<String>| RwSignal::new(d.unwrap_or_default());
    let profile = shown(current.profile_started_on.map(|d| d.to_string()));
    let hours = shown(current.hours_before.map(number));
    let problem = Problem::new();
    let participant = current.participant_id;
    let heading = {
        let reference = reference.clone();
        Signal::derive(move || fill(i18n.s().staff_profile_title, &[("ref", &reference)]))
    };
    let check: Check = Box::new(move |t| {
        let profile_started_on = optional_date(&profile.get_untracked())
            .map_err(|()| (t.staff_error_date.to_owned(), "profile-started-on"))?;
        let hours_before = optional_amount(&hours.get_untracked())
            .map_err(|()| (t.staff_error_hours_before.to_owned(), "hours-before"))?;
        let mut journey = caseload.with_untracked(|c| c.journey_of(&current));
        journey.profile_started_on = profile_started_on;
        check_journey(&journey).map_err(|e| refusal(t, &e, IDS))?;
        check_episode_extras(hours_before, current.ended_on, current.end_reason)
            .map_err(|e| refusal(t, &e, IDS))?;
        let change = UpdateEpisode {
            profile_started_on: Some(profile_started_on),
            hours_before: Some(hours_before),
            ..UpdateEpisode::default()
        };
        let update = EpisodeUpdateRecord {
            episode_id: episode,
            change,
        };
        let label = fill(t.staff_label_profile, &[("ref", &reference)]);
        Ok((Change::Episode(update), label))
    });
    view! {
        <ChangeFrame
            heading
            participant
            button=trs(|t| t.staff_save_profile)
            button_id="save-profile"
            problem
            check
        >
            <Input
                id="profile-started-on"
                label=trs(|t| t.staff_profile_started_on)
                hint=trs(|t| t.staff_profile_started_on_hint)
                kind="date"
                value=profile
                problem
            />
            <Input
                id="hours-before"
                label=trs(|t| t.staff_hours_before)
                hint=trs(|t| t.staff_hours_before_hint)
                value=hours
                problem
                decimal=true
            />
        </ChangeFrame>
    }
    .into_any()
}
