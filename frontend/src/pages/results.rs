//! Results for the people who gave feedback (DESIGN §7), opened from a results link (`#r=`):
//! their own wellbeing change in plain words (a decline with where to find support, never by
//! email), how people like them rated the service (hidden below the small-number threshold),
//! and what the service did about feedback ("you said, we did"). Standard or Easy Read.

use domain::Hundredths;
use domain::feedback::{OwnWellbeing, PublicAction, ResultsSession};
use domain::kpi::{ChangeBand, PublicFigure};
use domain::records::PublicResults;
use leptos::prelude::*;

use crate::api;
use crate::components::{FormatChoice, PageHeading};
use crate::i18n::{Messages, fill, long_date, tr_owned, use_i18n};
use crate::load::load;

/// The sentence about the service's figure, or `None` while its period is still open.
pub fn service_sentence(r: &PublicResults, t: &'static Messages) -> Option<String> {
    let first = long_date(r.period.first, t);
    let last = long_date(r.period.last, t);
    match r.satisfaction {
        PublicFigure::Value { value, n } => Some(fill(
            t.done_results_value,
            &[
                ("first", &first),
                ("last", &last),
                ("value", &value.to_string()),
                ("n", &n.to_string()),
            ],
        )),
        PublicFigure::TooFewAnswers { needed, .. } => Some(fill(
            t.done_results_too_few,
            &[
                ("first", &first),
                ("last", &last),
                ("needed", &needed.to_string()),
            ],
        )),
        PublicFigure::PeriodNotClosed => None,
    }
}

/// The plain-words meaning of one wellbeing change, standard or Easy Read.
fn wellbeing_sentences(w: &OwnWellbeing, easy: bool, t: &'static Messages) -> (String, String) {
    let (start, end) = (w.start.to_string(), w.end.to_string());
    let change = Hundredths(w.change.0.abs()).to_string();
    if easy {
        let meaning = match w.band {
            ChangeBand::Improved => t.er_wellbeing_improved,
            ChangeBand::NoMeaningfulChange => t.er_wellbeing_same,
            ChangeBand::Declined => t.er_wellbeing_declined,
        };
        (
            fill(t.er_wellbeing_scores, &[("start", &start), ("end", &end)]),
            meaning.to_owned(),
        )
    } else {
        let meaning = match w.band {
            ChangeBand::Improved => t.wellbeing_improved,
            ChangeBand::NoMeaningfulChange => t.wellbeing_same,
            ChangeBand::Declined => t.wellbeing_declined,
        };
        (
            fill(t.wellbeing_scores, &[("start", &start), ("end", &end)]),
            fill(meaning, &[("change", &change)]),
        )
    }
}

/// An action's text in the reader's language (Welsh where written), standard or Easy Read.
fn action_texts(a: &PublicAction, easy: bool, lang: &str) -> (String, String) {
    let pick = |text: &domain::feedback::BilingualText| {
        match (lang, &text.cy) {
            ("cy", Some(cy)) => cy.as_str(),
            _ => text.en.as_str(),
        }
        .to_owned()
    };
    match (&a.easy_read, easy) {
        (Some(er), true) => (pick(&er.you_said), pick(&er.we_did)),
        _ => (pick(&a.you_said), pick(&a.we_did)),
    }
}

#[component]
pub fn ResultsPage(session: ResultsSession) -> impl IntoView {
    let i18n = use_i18n();
    let easy = RwSignal::new(session.accessibility.easy_read);
    let token = StoredValue::new(session.access_token.clone());
    let wellbeing = load(move || {
        let token = token.get_value();
        async move { api::results_wellbeing(&token).await.unwrap_or_default() }
    });
    let service = load(move || {
        let token = token.get_value();
        async move { api::results_service(&token).await.ok() }
    });
    let actions = load(move || {
        let token = token.get_value();
        async move { api::results_actions(&token).await.ok() }
    });
    let organisation = session.organisation_name.clone();

    view! {
        <PageHeading
            text=tr_owned(|t| t.results_title)
            caption=Signal::derive(move || fill(i18n.t().intro_from, &[("organisation", &organisation)]))
        />
        <FormatChoice easy_read=easy choose=move |e: bool| easy.set(e) />
        {move || {
            let mine = wellbeing.get().unwrap_or_default();
            (!mine.is_empty()).then(|| {
                let t = i18n.t();
                let easy = easy.get();
                view! {
                    <section class="results-section" aria-labelledby="wellbeing-title">
                        <h2 id="wellbeing-title">{t.wellbeing_title}</h2>
                        {mine
                            .iter()
                            .map(|w| {
                                let (scores, meaning) = wellbeing_sentences(w, easy, t);
                                let declined = w.band == ChangeBand::Declined;
                                view! {
                                    <div class="wellbeing" data-band=if declined { "declined" } else { "other" }>
                                        <p>{scores}</p>
                                        <p class="wellbeing-meaning">{meaning}</p>
                                        {declined.then(|| view! {
                                            <div class="support-box">
                                                <h3>{t.wellbeing_support_title}</h3>
                                                <p>{if easy { t.er_wellbeing_support } else { t.wellbeing_support }}</p>
                                            </div>
                                        })}
                                    </div>
                                }
                            })
                            .collect_view()}
                    </section>
                }
            })
        }}
        {move || {
            service.get().flatten().and_then(|r| {
                let t = i18n.t();
                service_sentence(&r, t).map(|sentence| view! {
                    <section class="results-section" aria-labelledby="service-title">
                        <h2 id="service-title">{t.done_results_title}</h2>
                        <p class="service-result">{sentence}</p>
                    </section>
                })
            })
        }}
        {move || {
            actions.get().flatten().map(|list| {
                let t = i18n.t();
                let lang = i18n.lang().code();
                let easy = easy.get();
                view! {
                    <section class="results-section" aria-labelledby="actions-title">
                        <h2 id="actions-title">{t.actions_title}</h2>
                        {list.is_empty().then(|| view! { <p>{t.actions_none}</p> })}
                        <ul class="plain-list actions">
                            {list
                                .iter()
                                .map(|a| {
                                    let (said, did) = action_texts(a, easy, lang);
                                    let done = fill(t.actions_done_on, &[("date", &long_date(a.done_on, t))]);
                                    view! {
                                        <li class="action">
                                            <h3 class="action-label">{t.actions_you_said}</h3>
                                            <p>{said}</p>
                                            <h3 class="action-label">{t.actions_we_did}</h3>
                                            <p>{did}</p>
                                            <p class="hint">{done}</p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })
        }}
    }
}
