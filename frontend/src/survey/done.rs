//! After sending: thank you; whether the answers have reached the server or are waiting on the
//! device; where to get help; a SWEMWBS score computed by the shared rules; and, for the
//! satisfaction surveys, how others rated the service in the last closed quarter, suppressed
//! below the small-number threshold (DESIGN §7).

use leptos::prelude::*;

use super::{HandBack, check::response_key, use_flow};
use crate::api;
use crate::app::use_navigator;
use crate::components::{InstallHint, PageHeading};
use crate::i18n::{fill, tr, tr_owned, use_i18n};
use crate::link::Link;
use crate::offline::{outbox::is_waiting, use_outbox};
use crate::pages::service_sentence;
use domain::kpi::Timing;
use domain::records::Language;

#[derive(Debug, Clone, PartialEq)]
enum Delivery {
    Sent,
    Waiting,
    Refused(String),
}

#[component]
pub fn Done() -> impl IntoView {
    match use_context::<HandBack>() {
        Some(hand_back) => view! { <HandedBack hand_back /> }.into_any(),
        None => view! { <OwnPhone /> }.into_any(),
    }
}

/// Whether the answers have reached the server, re-read whenever the outbox changes (a sync
/// here or in the service worker).
fn delivery_line(key: String) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let delivery = crate::load::load(move || {
        let summary = outbox.summary();
        let key = key.clone();
        async move {
            if let Some(refused) = summary.refused.iter().find(|r| r.key == key) {
                return Delivery::Refused(refused.reason.clone().unwrap_or_default());
            }
            match is_waiting(&key).await {
                Ok(true) => Delivery::Waiting,
                Ok(false) => Delivery::Sent,
                Err(error) => {
                    log::warn!("could not read the outbox: {error}");
                    Delivery::Waiting
                }
            }
        }
    });
    view! {
        <p class="delivery" role="status" data-delivery=move || match delivery.get() {
            Some(Delivery::Sent) => "sent",
            Some(Delivery::Refused(_)) => "refused",
            _ => "waiting",
        }>
            {move || match delivery.get() {
                Some(Delivery::Sent) => i18n.t().done_sent.to_owned(),
                Some(Delivery::Refused(reason)) => fill(i18n.t().done_refused, &[("reason", &reason)]),
                _ => i18n.t().done_waiting.to_owned(),
            }}
        </p>
    }
}

/// The thank-you heading, delivery, the SWEMWBS score and where to get help: on every phone.
fn thanks(draft: RwSignal<super::Draft>) -> impl IntoView {
    let i18n = use_i18n();
    let key = draft.with_untracked(response_key);
    let organisation = draft.with_untracked(|d| d.survey.organisation_name.clone());
    let help = draft.with_untracked(|d| d.survey.help.clone());
    let phone = help.phone.map(|phone| {
        let href = format!("tel:{}", phone.dialable());
        let number = phone.as_str().to_owned();
        view! {
            <p class="help-phone">
                {tr(|t| t.done_help_phone)} " " <a href=href>{number}</a>
            </p>
        }
    });
    let help_text = StoredValue::new(help.text);
    // The organisation's words in the page's language where it wrote them, else in English
    // (marked so a screen reader speaks them as English).
    let help_lang = move || {
        let page = i18n.lang().code();
        match help_text.with_value(|t| t.as_ref().map(|t| t.cy.is_some())) {
            Some(false) => "en",
            _ => page,
        }
    };
    let help_text = move || match help_text.get_value() {
        Some(text) => {
            let language = Language::parse(i18n.lang().code()).unwrap_or(Language::English);
            text.in_language(language).to_owned()
        }
        None => fill(i18n.t().done_help_body, &[("organisation", &organisation)]),
    };
    view! {
        <div class="panel panel-confirmation">
            <PageHeading text=tr_owned(|t| t.done_title) />
        </div>
        {delivery_line(key)}
        {move || {
            draft
                .with(|d| d.score)
                .map(|score| {
                    let shown = score.metric.to_string();
                    view! { <p class="score">{move || fill(i18n.t().done_score, &[("score", &shown)])}</p> }
                })
        }}
        <h2>{tr(|t| t.done_help_title)}</h2>
        <p class="help-text" lang=help_lang>{help_text}</p>
        {phone}
    }
}

/// On a specialist's phone: thanks, then the phone goes back to the specialist. Nothing of the
/// answers stays on the screen.
#[component]
fn HandedBack(hand_back: HandBack) -> impl IntoView {
    let i18n = use_i18n();
    let flow = use_flow();
    let draft = flow.draft;
    let specialist = draft.with_untracked(|d| {
        d.assisted
            .as_ref()
            .map(|a| a.specialist.clone())
            .unwrap_or_default()
    });
    view! {
        {thanks(draft)}
        <h2>{tr(|t| t.done_give_back_title)}</h2>
        <p>{move || fill(i18n.t().done_give_back_body, &[("specialist", &specialist)])}</p>
        <button type="button" class="button" id="hand-back" on:click=move |_| hand_back.back.run(())>
            {tr(|t| t.done_give_back_button)}
        </button>
    }
}

/// On the person's own phone: thanks, their results link at the end of support, and how others
/// rated the service.
#[component]
fn OwnPhone() -> impl IntoView {
    let i18n = use_i18n();
    let flow = use_flow();
    let draft = flow.draft;
    let token = draft.with_untracked(|d| d.access_token.clone());
    let is_satisfaction = draft.with_untracked(|d| !d.is_swemwbs());
    // At the end of support the person can see their own change at once (DESIGN §7).
    let end_of_support = draft.with_untracked(|d| d.survey.timing == Some(Timing::End));
    let navigator = use_navigator();
    let survey_token = StoredValue::new(token.clone());
    let see_results = move |_| {
        let token = survey_token.get_value();
        leptos::task::spawn_local(async move {
            match api::survey_results_link(&token).await {
                Ok(link) => match Link::parse(&link.link[link.link.find('#').unwrap_or(0)..]) {
                    Some(link) => navigator.follow(link),
                    None => log::warn!("the server's results link has no token"),
                },
                Err(error) => log::info!("no results link: {error}"),
            }
        });
    };
    let results = crate::load::load(move || {
        let token = token.clone();
        async move {
            if is_satisfaction {
                api::survey_results(&token).await.ok()
            } else {
                None
            }
        }
    });

    view! {
        {thanks(draft)}
        {end_of_support.then(|| {
            view! {
                <button type="button" class="button button-secondary" on:click=see_results>
                    {tr(|t| t.done_see_results)}
                </button>
            }
        })}
        {move || {
            results
                .get()
                .flatten()
                .and_then(|r| service_sentence(&r, i18n.t()))
                .map(|sentence| {
                    view! {
                        <section class="results" aria-labelledby="results-title">
                            <h2 id="results-title">{tr(|t| t.done_results_title)}</h2>
                            <p>{sentence}</p>
                        </section>
                    }
                })
        }}
        <InstallHint />
    }
}
