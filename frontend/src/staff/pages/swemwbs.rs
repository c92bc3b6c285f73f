//! Assisted SWEMWBS on the specialist's phone: the scale's exact wording and order (DESIGN §3),
//! how it was completed, and the score at once from the shared `domain` scoring. The answer
//! waits in the outbox like every field record.

use domain::completion::{Channel, Format, Respondent, Support};
use domain::kpi::Timing;
use domain::records::{Completion, Language, NewResponse};
use domain::swemwbs::SwemwbsForm;
use leptos::prelude::*;

use crate::staff::components::form::{radio, timing_choice};
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::components::{ErrorSummary, PageHeading};
use crate::i18n::{fill, use_i18n};
use crate::staff::text::{trs, trs_owned};

use crate::staff::components::not_found::not_found_view;
use crate::staff::offline::outbox::enqueue;
use crate::staff::offline::{LocalScore, use_caseload};
use crate::staff::route::{Link, Route};
use crate::staff::time::now;

#[component]
pub fn SwemwbsPage(episode: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    let auth = crate::staff::auth::use_auth();
    let Some(found) = caseload.with(|c| c.episode(episode).cloned()) else {
        return not_found_view().into_any();
    };
    let Some(instrument) = caseload.with(|c| c.instrument("swemwbs").cloned()) else {
        return view! {
            <PageHeading text=trs_owned(|t| t.staff_swemwbs_title) />
            <p>{trs(|t| t.staff_swemwbs_unavailable)}</p>
        }
        .into_any();
    };
    let participant = found.participant_id;
    let reference = caseload
        .with(|c| c.participant(participant).map(|p| p.reference.clone()))
        .unwrap_or_default();
    let has_start = caseload.with(|c| c.has_start_score(Some(episode)));
    let timing = RwSignal::new(if has_start { "end" } else { "start" }.to_owned());
    let respondent = RwSignal::new("self".to_owned());
    let support = RwSignal::new("staff_assisted".to_owned());
    let answers: Vec<RwSignal<Option<u8>>> = instrument
        .items
        .iter()
        .map(|_| RwSignal::new(None))
        .collect();
    let answers = StoredValue::new(answers);
    let error = RwSignal::new(None::<&'static str>);
    let done = RwSignal::new(None::<LocalScore>);
    let text = |texts: &std::collections::BTreeMap<String, String>| {
        texts.get("en").cloned().unwrap_or_default()
    };
    let labels: Vec<String> = instrument.scale.labels.iter().map(text).collect();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let values: Vec<Option<u8>> =
            answers.with_value(|a| a.iter().map(|s| s.get_untracked()).collect());
        if values.iter().any(Option::is_none) {
            error.set(Some(i18n.s().staff_swemwbs_missing));
            return;
        }
        let Ok(form) = SwemwbsForm::parse(&values) else {
            error.set(Some(i18n.s().staff_swemwbs_missing));
            return;
        };
        let timing_value = Timing::parse(&timing.get_untracked()).unwrap_or(Timing::Start);
        let respondent_value =
            Respondent::parse(&respondent.get_untracked()).unwrap_or(Respondent::SelfReport);
        let response = NewResponse {
            id: Uuid::new_v4(),
            invitation_id: None,
            participant_id: Some(participant),
            episode_id: Some(episode),
            instrument: Some("swemwbs".to_owned()),
            timing: Some(timing_value),
            answers: values,
            completion: Completion {
                respondent: respondent_value,
                support: Support::parse(&support.get_untracked()).unwrap_or(Support::StaffAssisted),
                channel: Channel::StaffDevice,
                format: Format::Standard,
                language: Language::English,
            },
            answered_at: now(),
            comment: None,
        };
        // Proxy forms are kept but never scored (DESIGN §3).
        let scored = respondent_value == Respondent::SelfReport;
        let score = LocalScore {
            response_id: response.id,
            episode_id: episode,
            timing: timing_value,
            raw: form.raw().filter(|_| scored),
            metric: form.metric().filter(|_| scored),
            answered_at: response.answered_at,
        };
        let label = fill(
            i18n.s().staff_label_swemwbs,
            &[("ref", &reference), ("timing", timing_value.as_str())],
        );
        spawn_local(async move {
            match enqueue(auth, "response", response.id, &label, &response).await {
                Ok(()) => {
                    caseload.update(|c| c.scores.push(score.clone()));
                    error.set(None);
                    done.set(Some(score));
                }
                Err(e) => {
                    log::warn!("form not saved: {e}");
                    error.set(Some(i18n.s().staff_error_saving));
                }
            }
        });
    };

    let t = i18n.s();
    let items = instrument
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let signal = answers.with_value(|a| a[i]);
            let labels = labels.clone();
            view! {
                <fieldset class="fieldset swemwbs-item" id=format!("item-{}", i + 1)>
                    <legend class="legend" lang="en">{text(&item.text)}</legend>
                    <div class="radios" lang="en">
                        {labels
                            .into_iter()
                            .enumerate()
                            .map(|(j, label)| {
                                let value = u8::try_from(j + 1).unwrap_or(1);
                                let id = format!("item-{}-{value}", i + 1);
                                view! {
                                    <div class="radio">
                                        <input
                                            type="radio"
                                            id=id.clone()
                                            name=format!("item-{}", i + 1)
                                            value=value
                                            prop:checked=move || signal.get() == Some(value)
                                            on:change=move |_| signal.set(Some(value))
                                        />
                                        <label for=id>{label}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
            }
        })
        .collect_view();
    let instruction = text(&instrument.instruction);
    let copyright = instrument.copyright.clone();

    view! {
        {move || done.get().map(|score| view! { <ScoreShown score participant /> })}
        <div class:hidden=move || done.get().is_some()>
            {move || error.get().map(|message| view! { <ErrorSummary message=message target="item-1" /> })}
            <PageHeading text=trs_owned(|t| t.staff_swemwbs_title) />
            <p class="hint">{trs(|t| t.staff_swemwbs_hand_over)}</p>
            <form class="staff-form" on:submit=submit novalidate>
                {timing_choice("timing", timing)}
                <fieldset class="fieldset">
                    <legend class="legend">{trs(|t| t.staff_respondent)}</legend>
                    <div class="radios">
                        {radio("respondent", "self", t.staff_respondent_self, respondent)}
                        {radio("respondent", "proxy", t.staff_respondent_proxy, respondent)}
                    </div>
                </fieldset>
                <fieldset class="fieldset">
                    <legend class="legend">{trs(|t| t.staff_support)}</legend>
                    <div class="radios">
                        {radio("support", "none", t.staff_support_none, support)}
                        {radio("support", "read_aloud", t.staff_support_read_aloud, support)}
                        {radio("support", "staff_assisted", t.staff_support_assisted, support)}
                    </div>
                </fieldset>
                <p class="lead" lang="en">{instruction}</p>
                {items}
                {copyright.map(|c| view! { <p class="copyright" lang="en">{c}</p> })}
                <button type="submit" class="button" id="save-swemwbs">{trs(|t| t.staff_swemwbs_save)}</button>
            </form>
        </div>
    }
    .into_any()
}

#[component]
fn ScoreShown(score: LocalScore, participant: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=trs_owned(|t| t.staff_swemwbs_done) />
        <div class="panel-confirmation" role="status">
            {match score.metric {
                Some(metric) => view! {
                    <p class="score" id="swemwbs-score">{metric.to_string()}</p>
                    <p>{fill(i18n.s().staff_score_explain, &[("raw", &score.raw.map(|r| r.to_string()).unwrap_or_default())])}</p>
                }.into_any(),
                None => view! { <p id="swemwbs-score">{trs(|t| t.staff_score_not_scored)}</p> }.into_any(),
            }}
        </div>
        <p>{trs(|t| t.staff_swemwbs_waiting)}</p>
        <p><Link route=Route::Client(participant)>{trs(|t| t.staff_back_to_client)}</Link></p>
    }
}
