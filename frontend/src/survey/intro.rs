//! Before the first question: what this is, who will read the answers (DESIGN §8), and the
//! choice of Standard or Easy Read where the survey has it.

use leptos::prelude::*;

use super::{read_aloud::ReadAloud, text, use_flow};
use crate::components::{FormatChoice, PageHeading};
use crate::i18n::{fill, tr, use_i18n};

#[component]
pub fn Intro() -> impl IntoView {
    let i18n = use_i18n();
    let flow = use_flow();
    let draft = flow.draft;
    let lang = move || draft.with(|d| d.content_language(i18n.lang().code()));
    let offers_easy_read = draft.with_untracked(|d| d.instrument().has_easy_read());
    let title =
        Signal::derive(move || draft.with(|d| text(&d.instrument().title, &lang()).to_owned()));
    let instruction = move || {
        draft.with(|d| {
            let i = d.instrument();
            match (&i.easy_read_instruction, d.shows_easy_read()) {
                (Some(easy), true) => text(easy, &lang()).to_owned(),
                _ => text(&i.instruction, &lang()).to_owned(),
            }
        })
    };
    let readers = move || draft.with(|d| text(&d.survey.readers, i18n.lang().code()).to_owned());
    let organisation = draft.with_untracked(|d| d.survey.organisation_name.clone());
    let count = draft.with_untracked(|d| d.item_count().to_string());
    let spoken = Signal::derive(move || vec![title.get(), instruction()]);

    view! {
        <PageHeading
            text=title
            caption=Signal::derive(move || fill(i18n.t().intro_from, &[("organisation", &organisation)]))
            lang=Signal::derive(lang)
        />
        <ReadAloud texts=spoken lang=Signal::derive(lang) />
        <p class="lead" lang=lang>{instruction}</p>
        <p>{move || fill(i18n.t().intro_questions, &[("n", &count)])}</p>
        <section class="readers" aria-labelledby="readers-title">
            <h2 id="readers-title">{tr(|t| t.intro_readers_title)}</h2>
            <p>{readers}</p>
        </section>
        {offers_easy_read
            .then(|| {
                view! {
                    <FormatChoice
                        easy_read=Signal::derive(move || draft.with(|d| d.easy_read))
                        choose=move |easy: bool| draft.update(|d| d.easy_read = easy)
                    />
                }
            })}
        {move || {
            draft
                .with(|d| d.instrument().copyright.clone())
                .map(|c| view! { <p class="copyright" lang="en">{c}</p> })
        }}
        <div class="actions">
            <button type="button" class="button" on:click=move |_| flow.next()>
                {tr(|t| t.start_button)}
            </button>
        </div>
    }
}
