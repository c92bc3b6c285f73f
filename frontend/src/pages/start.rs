//! The start page: type a survey code, or carry on with a survey left half-way here. A code the
//! server does not know (or that has closed) is an error beside the field, GOV.UK style, with
//! what was typed kept, so the person can correct one character instead of starting again.

use domain::records::ExchangeRequest;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::app::{Screen, use_navigator};
use crate::components::{ErrorSummary, InstallHint, PageHeading};
use crate::i18n::{Messages, tr, tr_owned, use_i18n};
use crate::survey::{self, text};

/// What the start page opens with: the code as typed, and why it was not opened, if it was not.
#[derive(Debug, Clone, Default)]
pub struct CodeEntry {
    pub typed: String,
    pub error: Option<CodeError>,
}

/// Why a typed code cannot open a survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    Missing,
    NotFound,
    Closed,
    TooManyTries,
}

impl CodeError {
    fn message(self, t: &'static Messages) -> &'static str {
        match self {
            CodeError::Missing => t.code_missing,
            CodeError::NotFound => t.code_not_found,
            CodeError::Closed => t.code_closed,
            CodeError::TooManyTries => t.code_throttled,
        }
    }
}

#[component]
pub fn StartPage(entry: CodeEntry) -> impl IntoView {
    let i18n = use_i18n();
    let navigator = use_navigator();
    let code = RwSignal::new(entry.typed);
    let error = RwSignal::new(entry.error);
    let missing = move || error.get().is_some();
    let message = Signal::derive(move || {
        error
            .get()
            .map(|e| e.message(i18n.t()).to_owned())
            .unwrap_or_default()
    });
    let drafts = survey::unfinished();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        if typed.trim().is_empty() {
            error.set(Some(CodeError::Missing));
            return;
        }
        navigator.open(
            ExchangeRequest {
                token: None,
                short_code: Some(typed),
            },
            None,
        );
    };

    view! {
        <Show when=missing>
            <ErrorSummary message target="code" />
        </Show>
        <PageHeading text=tr_owned(|t| t.start_title) />
        <p class="lead">{tr(|t| t.start_lead)}</p>
        <form on:submit=submit novalidate>
            <div class="form-group" class:form-group-error=missing>
                <label class="label" for="code">{tr(|t| t.code_label)}</label>
                <p class="hint" id="code-hint">{tr(|t| t.code_hint)}</p>
                <Show when=missing>
                    <p class="error-message" id="code-error">{move || message.get()}</p>
                </Show>
                <input
                    class="input code-input"
                    id="code"
                    name="code"
                    type="text"
                    autocomplete="one-time-code"
                    autocapitalize="characters"
                    spellcheck="false"
                    maxlength="20"
                    aria-describedby=move || if missing() { "code-hint code-error" } else { "code-hint" }
                    aria-invalid=move || missing().to_string()
                    prop:value=move || code.get()
                    on:input=move |ev| {
                        code.set(event_target_value(&ev));
                        error.set(None);
                    }
                />
            </div>
            <button type="submit" class="button">{tr(|t| t.code_open)}</button>
        </form>
        <InstallHint />
        {(!drafts.is_empty()).then(|| {
            view! {
                <section class="resume" aria-labelledby="resume-title">
                    <h2 id="resume-title">{tr(|t| t.resume_title)}</h2>
                    <ul class="plain-list">
                        {drafts
                            .into_iter()
                            .map(|draft| {
                                let title = text(&draft.survey.instrument.title, i18n.lang().code()).to_owned();
                                let organisation = draft.survey.organisation_name.clone();
                                view! {
                                    <li>
                                        <button
                                            type="button"
                                            class="button button-secondary"
                                            on:click=move |_| navigator.show(Screen::Survey(RwSignal::new(draft.clone())))
                                        >
                                            {title}
                                            " — "
                                            {organisation}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })}
    }
}
