//! Recording the end of support: the date and why, sent as an `episode_update` record.

use domain::journey::{SupportEndReason, check_journey};
use domain::records::{EpisodeUpdateRecord, UpdateEpisode, check_episode_extras};
use leptos::prelude::*;
use uuid::Uuid;

use super::frame::{ChangeFrame, Check, ended};
use super::refusal;
use crate::i18n::{fill, use_i18n};
use crate::staff::components::checked::{Choice, Input, Problem};
use crate::staff::components::not_found::not_found_view;
use crate::staff::offline::journey::Change;
use crate::staff::offline::use_caseload;
use crate::staff::text::{support_end_label, trs};
use crate::staff::time::{date, today};

const IDS: &[(&str, &str)] = &[
    ("ended_on", "support-ended-on"),
    ("end_reason", "support-end-reason-sustained_in_work"),
];

#[component]
pub fn EndSupportPage(episode: Uuid) -> impl IntoView {
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
    let ended_on = RwSignal::new(today().to_string());
    let reason = RwSignal::new(String::new());
    let problem = Problem::new();
    let participant = current.participant_id;
    let heading = {
        let reference = reference.clone();
        Signal::derive(move || fill(i18n.s().staff_support_end_title, &[("ref", &reference)]))
    };
    let check: Check = Box::new(move |t| {
        let (day, why) = ended(
            t,
            (ended_on, "support-ended-on"),
            (reason, "support-end-reason-sustained_in_work"),
            SupportEndReason::parse,
        )?;
        let mut journey = caseload.with_untracked(|c| c.journey_of(&current));
        journey.ended_on = Some(day);
        check_journey(&journey).map_err(|e| refusal(t, &e, IDS))?;
        check_episode_extras(current.hours_before, Some(day), Some(why))
            .map_err(|e| refusal(t, &e, IDS))?;
        let change = UpdateEpisode {
            ended_on: Some(Some(day)),
            end_reason: Some(Some(why)),
            ..UpdateEpisode::default()
        };
        let update = EpisodeUpdateRecord {
            episode_id: episode,
            change,
        };
        let label = fill(
            t.staff_label_support_end,
            &[("ref", &reference), ("date", &date(day))],
        );
        Ok((Change::Episode(update), label))
    });
    let t = i18n.s();
    let reasons = SupportEndReason::ALL
        .iter()
        .map(|r| (r.as_str(), support_end_label(t, *r)))
        .collect();
    view! {
        <ChangeFrame
            heading
            participant
            button=trs(|t| t.staff_save_support_end)
            button_id="save-support-end"
            problem
            check
        >
            <Input
                id="support-ended-on"
                label=trs(|t| t.staff_support_ended_on)
                kind="date"
                value=ended_on
                problem
            />
            <Choice
                name="support-end-reason"
                legend=trs(|t| t.staff_support_end_reason)
                options=reasons
                value=reason
                problem
                target="support-end-reason-sustained_in_work"
            />
        </ChangeFrame>
    }
    .into_any()
}
