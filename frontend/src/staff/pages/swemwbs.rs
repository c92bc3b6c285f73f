//! Assisted SWEMWBS on the specialist's phone: the scale's exact wording and order (DESIGN §3),
//! how it was completed, and the score at once from the shared `domain` scoring. The answer
//! waits in the outbox like every field record.

use domain::completion::{Channel, Format, Respondent, Support};
use domain::instrument::InstrumentKey;
use domain::instrument::{InstrumentDefinition, Texts};
use domain::kpi::Timing;
use domain::records::{Completion, Language, NewResponse};
use domain::swemwbs::SwemwbsForm;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::components::{ErrorSummary, PageHeading};
use crate::i18n::{fill, use_i18n};
use crate::staff::auth::use_auth;
use crate::staff::components::form::{radio_button, radios, timing_choice};
use crate::staff::components::not_found::not_found_view;
use crate::staff::offline::outbox::enqueue;
use crate::staff::offline::{LocalScore, use_caseload};
use crate::staff::route::{Link, Route};
use crate::staff::text::{trs, trs_owned};
use crate::staff::time::now;

#[component]
pub fn SwemwbsPage(episode: Uuid) -> impl IntoView {
    let caseload = use_caseload();
    let Some(found) = caseload.with(|c| c.episode(episode).cloned()) else {
        return not_found_view().into_any();
    };
    let Some(instrument) = caseload.with(|c| c.instrument(InstrumentKey::Swemwbs).cloned()) else {
        return view! {
            <PageHeading text=trs_owned(|t| t.staff_swemwbs_title) />
            <p>{trs(|t| t.staff_swemwbs_unavailable)}</p>
        }
        .into_any();
    };
    let participant = found.participant_id;
    let done = RwSignal::new(None::<LocalScore>);
    view! {
        {move || done.get().map(|score| view! { <ScoreShown score participant /> })}
        <div class:hidden=move || done.get().is_some()>
            <AnswerForm episode participant instrument done />
        </div>
    }
    .into_any()
}

/// How the form was completed, as chosen.
#[derive(Debug, Clone, Copy)]
struct Completed {
    timing: RwSignal<String>,
    respondent: RwSignal<String>,
    support: RwSignal<String>,
}

/// The form: when and how it was completed, then the scale. Once saved, `done` holds the score.
#[component]
fn AnswerForm(
    episode: Uuid,
    participant: Uuid,
    instrument: InstrumentDefinition,
    done: RwSignal<Option<LocalScore>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    let auth = use_auth();
    let reference = caseload
        .with(|c| c.participant(participant).map(|p| p.reference.clone()))
        .unwrap_or_default();
    let has_start = caseload.with(|c| c.has_start_score(Some(episode)));
    let completed = Completed {
        timing: RwSignal::new(if has_start { "end" } else { "start" }.to_owned()),
        respondent: RwSignal::new("self".to_owned()),
        support: RwSignal::new("staff_assisted".to_owned()),
    };
    let answers: Vec<RwSignal<Option<u8>>> = instrument
        .items
        .iter()
        .map(|_| RwSignal::new(None))
        .collect();
    let answers = StoredValue::new(answers);
    let error = RwSignal::new(None::<&'static str>);
    let definition = StoredValue::new(instrument.clone());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let values: Vec<Option<u8>> =
            answers.with_value(|a| a.iter().map(|s| s.get_untracked()).collect());
        let all_answered = values.iter().all(Option::is_some);
        // Scored by the instrument, exactly as the server will score it.
        let Some(form) = all_answered
            .then(|| definition.with_value(|d| d.check(&values).ok()))
            .flatten()
            .and_then(|scored| scored.swemwbs)
        else {
            error.set(Some(i18n.s().staff_swemwbs_missing));
            return;
        };
        let (response, score) = completed.response(episode, participant, values, &form);
        let label = fill(
            i18n.s().staff_label_swemwbs,
            &[("ref", &reference), ("timing", score.timing.as_str())],
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
    let respondents = [
        ("self", t.staff_respondent_self),
        ("proxy", t.staff_respondent_proxy),
    ];
    let supports = [
        ("none", t.staff_support_none),
        ("read_aloud", t.staff_support_read_aloud),
        ("staff_assisted", t.staff_support_assisted),
    ];
    let labels: Vec<String> = instrument.scale.labels.iter().map(english).collect();
    let items = instrument
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            scale_item(
                i + 1,
                english(&item.text),
                &labels,
                answers.with_value(|a| a[i]),
            )
        })
        .collect_view();
    let copyright = instrument.copyright.clone();
    view! {
        {move || error.get().map(|message| view! { <ErrorSummary message=message target="item-1" /> })}
        <PageHeading text=trs_owned(|t| t.staff_swemwbs_title) />
        <p class="hint">{trs(|t| t.staff_swemwbs_hand_over)}</p>
        <form class="staff-form" on:submit=submit novalidate>
            {timing_choice("timing", completed.timing)}
            {radios(trs(|t| t.staff_respondent), "respondent", &respondents, completed.respondent)}
            {radios(trs(|t| t.staff_support), "support", &supports, completed.support)}
            <p class="lead" lang="en">{english(&instrument.instruction)}</p>
            {items}
            {copyright.map(|c| view! { <p class="copyright" lang="en">{c}</p> })}
            <button type="submit" class="button" id="save-swemwbs">{trs(|t| t.staff_swemwbs_save)}</button>
        </form>
    }
}

impl Completed {
    /// The response as the server takes it, and the score shown here at once.
    fn response(
        self,
        episode: Uuid,
        participant: Uuid,
        answers: Vec<Option<u8>>,
        form: &SwemwbsForm,
    ) -> (NewResponse, LocalScore) {
        let timing = Timing::parse(&self.timing.get_untracked()).unwrap_or(Timing::Start);
        let respondent =
            Respondent::parse(&self.respondent.get_untracked()).unwrap_or(Respondent::SelfReport);
        let support =
            Support::parse(&self.support.get_untracked()).unwrap_or(Support::StaffAssisted);
        let response = NewResponse {
            id: Uuid::new_v4(),
            invitation_id: None,
            participant_id: Some(participant),
            episode_id: Some(episode),
            instrument: Some(InstrumentKey::Swemwbs.as_str().to_owned()),
            timing: Some(timing),
            answers,
            completion: Completion {
                respondent,
                support,
                channel: Channel::StaffDevice,
                format: Format::Standard,
                language: Language::English,
            },
            answered_at: now(),
            comment: None,
            may_quote: false,
        };
        // Proxy forms are kept but never scored (DESIGN §3).
        let scored = respondent == Respondent::SelfReport;
        let score = LocalScore {
            response_id: response.id,
            episode_id: episode,
            timing,
            raw: form.raw().filter(|_| scored),
            metric: form.metric().filter(|_| scored),
            answered_at: response.answered_at,
        };
        (response, score)
    }
}

/// The scale's English wording, as validated (a scale is never machine-translated, DESIGN §3).
fn english(texts: &Texts) -> String {
    texts.get("en").cloned().unwrap_or_default()
}

/// Statement `number` of the scale with its answers, one radio button each.
fn scale_item(
    number: usize,
    text: String,
    labels: &[String],
    signal: RwSignal<Option<u8>>,
) -> impl IntoView + use<> {
    let name = format!("item-{number}");
    let buttons = labels
        .iter()
        .enumerate()
        .map(|(j, label)| {
            let value = u8::try_from(j + 1).unwrap_or(1);
            radio_button(
                &name,
                &value.to_string(),
                Some(value),
                label.clone(),
                signal,
            )
        })
        .collect_view();
    view! {
        <fieldset class="fieldset swemwbs-item" id=name>
            <legend class="legend" lang="en">{text}</legend>
            <div class="radios" lang="en">{buttons}</div>
        </fieldset>
    }
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
