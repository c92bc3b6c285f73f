//! One question per page, GOV.UK style: the question is the page heading, large radio targets,
//! nothing pre-selected, "Question 2 of 6", a back link and Continue. In Easy Read: the short
//! sentence with its picture, and the five faces, each with its word and number. SWEMWBS keeps
//! its exact words, order and labels, with its copyright line (DESIGN §3).

use leptos::prelude::*;

use super::{read_aloud::ReadAloud, text, use_flow};
use crate::components::{ErrorSummary, PageHeading};
use crate::i18n::{fill, tr, tr_owned, use_i18n};

#[component]
pub fn Question(index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let flow = use_flow();
    let draft = flow.draft;
    let lang = Signal::derive(move || draft.with(|d| d.content_language(i18n.lang().code())));
    let easy = Memo::new(move |_| draft.with(|d| d.shows_easy_read()));
    let total = draft.with_untracked(|d| d.item_count());
    let selected = Memo::new(move |_| draft.with(|d| d.answers.get(index).copied().flatten()));
    let missing = RwSignal::new(false);

    let question = Signal::derive(move || {
        draft.with(|d| {
            let item = &d.instrument().items[index];
            match (&item.easy_read, easy.get()) {
                (Some(easy), true) => text(easy, &lang.get()).to_owned(),
                _ => text(&item.text, &lang.get()).to_owned(),
            }
        })
    });
    let picture = move || {
        draft
            .with(|d| d.instrument().items[index].picture.clone())
            .filter(|_| easy.get())
    };
    let labels = Memo::new(move |_| {
        draft.with(|d| {
            let scale = &d.instrument().scale;
            let labels = match (&scale.easy_read_labels, easy.get()) {
                (Some(easy), true) => easy,
                _ => &scale.labels,
            };
            labels
                .iter()
                .map(|l| text(l, &lang.get()).to_owned())
                .collect::<Vec<_>>()
        })
    });
    let spoken = Signal::derive(move || {
        let mut texts = vec![question.get()];
        texts.extend(labels.get());
        texts
    });
    let copyright = draft.with_untracked(|d| d.instrument().copyright.clone());

    let next = move |_| {
        if selected.get_untracked().is_none() {
            missing.set(true);
        } else {
            flow.next();
        }
    };
    let skip = move |_| {
        draft.update(|d| d.answer(index, None));
        flow.next();
    };

    view! {
        <button type="button" class="back-link" on:click=move |_| flow.back()>
            {tr(|t| t.back)}
        </button>
        <Show when=move || missing.get()>
            <ErrorSummary
                message=tr_owned(|t| t.choose_answer)
                target="answer-1"
            />
        </Show>
        <div class="form-group" class:form-group-error=move || missing.get()>
            <fieldset
                class="fieldset"
                aria-describedby=move || missing.get().then_some("answer-error")
            >
                <legend class="legend">
                    <PageHeading
                        text=question
                        caption=Signal::derive(move || {
                            fill(
                                i18n.t().question_of,
                                &[("n", &(index + 1).to_string()), ("total", &total.to_string())],
                            )
                        })
                        lang=lang
                    />
                </legend>
                {move || {
                    picture()
                        .map(|name| {
                            view! {
                                <img
                                    class="easy-read-picture"
                                    src=format!("/pictures/{name}.svg")
                                    alt=""
                                    width="96"
                                    height="96"
                                />
                            }
                        })
                }}
                <ReadAloud texts=spoken lang=lang />
                <Show when=move || missing.get()>
                    <p class="error-message" id="answer-error">{tr(|t| t.choose_answer)}</p>
                </Show>
                <div class="radios" class:faces=move || easy.get() lang=lang>
                    {move || {
                        labels
                            .get()
                            .into_iter()
                            .enumerate()
                            .map(|(i, label)| {
                                let value = u8::try_from(i + 1).unwrap_or(1);
                                let id = format!("answer-{value}");
                                view! {
                                    <div class="radio">
                                        <input
                                            type="radio"
                                            id=id.clone()
                                            name="answer"
                                            value=value
                                            prop:checked=move || selected.get() == Some(value)
                                            on:change=move |_| {
                                                draft.update(|d| d.answer(index, Some(value)));
                                                missing.set(false);
                                            }
                                        />
                                        <label for=id>
                                            {move || {
                                                easy.get()
                                                    .then(|| {
                                                        view! {
                                                            <img
                                                                class="face"
                                                                src=format!("/pictures/face-{value}.svg")
                                                                alt=""
                                                                width="56"
                                                                height="56"
                                                            />
                                                        }
                                                    })
                                            }}
                                            <span class="label-text">{label}</span>
                                            <Show when=move || easy.get()>
                                                <span class="label-number">{value}</span>
                                            </Show>
                                        </label>
                                    </div>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </fieldset>
        </div>
        {copyright.map(|c| view! { <p class="copyright" lang="en">{c}</p> })}
        <div class="actions">
            <button type="button" class="button" on:click=next>
                {tr(|t| t.continue_button)}
            </button>
            <button type="button" class="link-button" on:click=skip>
                {tr(|t| t.skip)}
            </button>
        </div>
    }
}
