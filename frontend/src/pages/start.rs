//! The start page: type a survey code, or carry on with a survey left half-way here.

use domain::records::ExchangeRequest;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::app::{Screen, use_navigator};
use crate::components::{ErrorSummary, PageHeading};
use crate::i18n::{tr, tr_owned, use_i18n};
use crate::survey::{self, text};

#[component]
pub fn StartPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigator = use_navigator();
    let code = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let drafts = survey::unfinished();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        if typed.trim().is_empty() {
            missing.set(true);
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
        <Show when=move || missing.get()>
            <ErrorSummary message=tr_owned(|t| t.code_missing) target="code" />
        </Show>
        <PageHeading text=tr_owned(|t| t.start_title) />
        <p class="lead">{tr(|t| t.start_lead)}</p>
        <form on:submit=submit novalidate>
            <div class="form-group" class:form-group-error=move || missing.get()>
                <label class="label" for="code">{tr(|t| t.code_label)}</label>
                <p class="hint" id="code-hint">{tr(|t| t.code_hint)}</p>
                <Show when=move || missing.get()>
                    <p class="error-message" id="code-error">{tr(|t| t.code_missing)}</p>
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
                    aria-describedby=move || if missing.get() { "code-hint code-error" } else { "code-hint" }
                    aria-invalid=move || missing.get().to_string()
                    prop:value=move || code.get()
                    on:input=move |ev| {
                        code.set(event_target_value(&ev));
                        missing.set(false);
                    }
                />
            </div>
            <button type="submit" class="button">{tr(|t| t.code_open)}</button>
        </form>
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
