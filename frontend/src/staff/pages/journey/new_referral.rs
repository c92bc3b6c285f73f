//! A referral and, once accepted, the start of support from it: with a new client (on their
//! form) or for someone already on the caseload (a page of its own).

use domain::journey::NewReferral;
use domain::records::{NewEpisode, Programme};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::Refusal;
use super::referral::{ReferralFields, ReferralFieldset};
use super::save::save_start;
use super::start::{Referred, StartFields, StartFieldset};
use crate::components::PageHeading;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::staff::auth::{Auth, use_auth};
use crate::staff::components::checked::{Problem, ProblemSummary};
use crate::staff::components::form::radios;
use crate::staff::components::not_found::not_found_view;
use crate::staff::offline::{Caseload, use_caseload};
use crate::staff::route::{Route, use_router};
use crate::staff::text::trs;

/// A referral (if one was recorded) and the support started from it (if it started).
#[derive(Debug, Default)]
pub struct Start {
    referral: Option<NewReferral>,
    episode: Option<NewEpisode>,
}

impl Start {
    /// The referral's fields, then (when support starts) the start's, checked top to bottom.
    pub fn check(
        t: &'static StaffMessages,
        participant: Uuid,
        programme: Programme,
        referral: ReferralFields,
        start: StartFields,
    ) -> Result<Start, Refusal> {
        let new = referral.check(t, participant, programme)?;
        let episode = match referral.starts_untracked() {
            true => Some(start.check(t, participant, programme, new.as_ref().map(Into::into))?),
            false => None,
        };
        Ok(Start {
            referral: new,
            episode,
        })
    }

    /// Saves both in the outbox (the referral first) and shows them here.
    pub async fn save(
        &self,
        auth: Auth,
        caseload: Caseload,
        action: Uuid,
        t: &'static StaffMessages,
        reference: &str,
    ) -> Result<(), String> {
        let label = |text| fill(text, &[("ref", reference)]);
        let labels = (label(t.staff_label_referral), label(t.staff_label_episode));
        save_start(
            auth,
            caseload,
            action,
            self.referral.as_ref(),
            self.episode.as_ref(),
            (&labels.0, &labels.1),
        )
        .await
    }
}

/// A new referral for someone already on the caseload.
#[component]
pub fn NewReferralPage(participant: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let (auth, caseload, router) = (use_auth(), use_caseload(), use_router());
    let Some(reference) =
        caseload.with(|c| c.participant(participant).map(|p| p.reference.clone()))
    else {
        return not_found_view().into_any();
    };
    let programme = RwSignal::new("seqf".to_owned());
    let (referral, start) = (ReferralFields::new(), StartFields::new());
    let problem = Problem::new();
    let heading = {
        let reference = reference.clone();
        Signal::derive(move || fill(i18n.s().staff_new_referral_title, &[("ref", &reference)]))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let programme = Programme::parse(&programme.get_untracked()).unwrap_or(Programme::Seqf);
        let checked = match Start::check(t, participant, programme, referral, start) {
            Ok(checked) => checked,
            Err((message, field)) => return problem.set(message, field),
        };
        problem.clear();
        let reference = reference.clone();
        spawn_local(async move {
            match checked
                .save(auth, caseload, Uuid::new_v4(), t, &reference)
                .await
            {
                Ok(()) => router.go(Route::Client(participant)),
                Err(e) => {
                    log::warn!("referral not saved: {e}");
                    problem.set(t.staff_error_saving, "referred-on");
                }
            }
        });
    };
    let programmes = [("seqf", "SEQF"), ("ips", "IPS")];
    view! {
        <ProblemSummary problem />
        <PageHeading text=heading />
        <form class="staff-form" on:submit=submit novalidate>
            {radios(trs(|t| t.staff_programme), "programme", &programmes, programme)}
            <ReferralFieldset fields=referral problem />
            <Show when=move || referral.starts()>
                <StartFieldset fields=start problem />
            </Show>
            <button type="submit" class="button" id="save-referral">{trs(|t| t.staff_save_referral)}</button>
        </form>
    }
    .into_any()
}

/// Starting support from a referral recorded earlier (accepted, or not decided: starting it is
/// its acceptance, as the server records it).
#[component]
pub fn StartSupportPage(referral: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let (auth, caseload, router) = (use_auth(), use_caseload(), use_router());
    let found = caseload.with(|c| {
        let r = c.referral(referral)?.clone();
        let reference = c.participant(r.participant_id)?.reference.clone();
        Some((r, reference))
    });
    let Some((r, reference)) = found else {
        return not_found_view().into_any();
    };
    let start = StartFields::new();
    let problem = Problem::new();
    let participant = r.participant_id;
    let heading = {
        let reference = reference.clone();
        Signal::derive(move || fill(i18n.s().staff_start_support_title, &[("ref", &reference)]))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let episode = match start.check(t, participant, r.programme, Some(Referred::from(&r))) {
            Ok(episode) => episode,
            Err((message, field)) => return problem.set(message, field),
        };
        problem.clear();
        let label = fill(t.staff_label_episode, &[("ref", &reference)]);
        spawn_local(async move {
            match save_start(
                auth,
                caseload,
                episode.id,
                None,
                Some(&episode),
                ("", &label),
            )
            .await
            {
                Ok(()) => router.go(Route::Client(participant)),
                Err(e) => {
                    log::warn!("support start not saved: {e}");
                    problem.set(t.staff_error_saving, "started-on");
                }
            }
        });
    };
    view! {
        <ProblemSummary problem />
        <PageHeading text=heading />
        <form class="staff-form" on:submit=submit novalidate>
            <StartFieldset fields=start problem />
            <button type="submit" class="button" id="save-start">{trs(|t| t.staff_save_start)}</button>
        </form>
    }
    .into_any()
}
