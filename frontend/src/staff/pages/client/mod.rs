//! A client's page: their episodes of support (dates, stage, journey, forms due, SWEMWBS done
//! here, and sessions with any edit conflict to resolve), referrals support has not started
//! from, the surveys to hand over on this phone, and invitations to answer on their own.

mod conflict;
mod episode;
mod journey;
mod referrals;
mod session;

use leptos::prelude::*;
use uuid::Uuid;

use super::assisted::HandOverLinks;
use super::invite::InviteBox;
use crate::components::PageHeading;
use crate::i18n::use_i18n;
use crate::staff::components::not_found::not_found_view;
use crate::staff::offline::use_caseload;
use crate::staff::text::kind_label;
use domain::records::ParticipantKind;
use episode::EpisodeCard;
use referrals::Referrals;

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
        {(person.kind == ParticipantKind::Jobseeker).then(|| view! { <Referrals participant=id /> })}
        <HandOverLinks participant=id kind=person.kind />
        <InviteBox person=person.clone() />
    }
    .into_any()
}
