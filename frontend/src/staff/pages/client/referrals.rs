//! A jobseeker's referrals that support has not started from (waiting for a decision, accepted
//! and not started yet, or not accepted), and the link to record a new one.

use leptos::prelude::*;
use uuid::Uuid;

use super::journey::decision_text;
use crate::i18n::{fill, use_i18n};
use crate::staff::offline::use_caseload;
use crate::staff::route::{Link, Route};
use crate::staff::text::{source_label, trs};
use crate::staff::time::date;

#[component]
pub fn Referrals(participant: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    let open = move || {
        caseload.with(|c| {
            c.referrals_of(participant)
                .into_iter()
                .filter(|r| r.episode_id.is_none() && !c.started_from(r.id))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="referrals" aria-labelledby="referrals-title">
            <h2 id="referrals-title">{trs(|t| t.staff_referrals_title)}</h2>
            <p class="hint">{trs(|t| t.staff_referrals_lead)}</p>
            <ul class="plain-list">
                <For
                    each=open
                    key=|r| (r.id, r.accepted)
                    children=move |r| {
                        let t = i18n.s();
                        let came = fill(
                            t.staff_journey_referral,
                            &[("date", &date(r.referred_on)), ("source", source_label(t, r.source))],
                        );
                        let decided = decision_text(t, r.accepted, r.decided_on, r.not_accepted_reason);
                        let can_start = r.accepted != Some(false);
                        view! {
                            <li class="referral-item" id=format!("referral-{}", r.id)>
                                <p>{came} ". " {decided}</p>
                                {can_start.then(|| view! {
                                    <p><Link route=Route::StartSupport(r.id) class="journey-link">{trs(|t| t.staff_start_support)}</Link></p>
                                })}
                            </li>
                        }
                    }
                />
            </ul>
            <p>
                <Link route=Route::NewReferral(participant) class="button button-secondary">{trs(|t| t.staff_record_referral)}</Link>
            </p>
        </section>
    }
}
