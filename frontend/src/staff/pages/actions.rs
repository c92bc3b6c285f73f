//! "You said, we did" (managers and admins): the actions written about what people said, drafts
//! and published; writing or changing one with the comments that prompted it; and publishing a
//! draft, after saying that participants will see it and may be emailed.

use chrono::NaiveDate;
use domain::feedback::{Action, ActionAudience, BilingualText};
use domain::kpi::RatingComment;
use domain::period::Period;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

use super::admin::saved_note;
use crate::api::ApiError;
use crate::components::PageHeading;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::load::load;
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::checked::{Choice, Input, Problem, ProblemSummary, TextArea};
use crate::staff::components::comment_choices::CommentChoices;
use crate::staff::text::{trs, trs_owned};
use crate::staff::time::{date, local_date, today};

fn audience_label(t: &'static StaffMessages, a: ActionAudience) -> &'static str {
    match a {
        ActionAudience::Jobseekers => t.staff_actions_audience_jobseekers,
        ActionAudience::Employers => t.staff_actions_audience_employers,
        ActionAudience::Both => t.staff_actions_audience_both,
    }
}

/// What the form is doing: writing a new action, or changing one (`n` rebuilds the form).
#[derive(Debug, Clone, PartialEq)]
struct Editing {
    action: Option<Action>,
    n: u32,
}

#[component]
pub fn ActionsPage() -> impl IntoView {
    let auth = use_auth();
    let reload = RwSignal::new(0u32);
    let note = RwSignal::new(None::<String>);
    let editing = RwSignal::new(Editing { action: None, n: 0 });
    let data = load(move || {
        reload.track();
        async move { api::actions(auth).await }
    });
    view! {
        <PageHeading text=trs_owned(|t| t.staff_actions_title) />
        <p class="hint">{trs(|t| t.staff_actions_lead)}</p>
        {saved_note(note, "actions-note")}
        <section class="admin-section" aria-labelledby="actions-list-title">
            <h2 id="actions-list-title">{trs(|t| t.staff_actions_list)}</h2>
            {move || match data.get() {
                None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
                Some(Ok(list)) => view! { <ActionList list reload note editing /> }.into_any(),
                Some(Err(e)) => {
                    log::warn!("actions: {e}");
                    view! { <p class="error-message" role="alert">{trs(|t| t.staff_actions_load_failed)}</p> }
                        .into_any()
                }
            }}
        </section>
        {move || {
            let e = editing.get();
            view! { <ActionForm editing=e.action reload note start=editing /> }
        }}
    }
}

#[component]
fn ActionList(
    list: Vec<Action>,
    reload: RwSignal<u32>,
    note: RwSignal<Option<String>>,
    editing: RwSignal<Editing>,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p id="actions-none">{trs(|t| t.staff_actions_none)}</p> }.into_any();
    }
    view! {
        <ul class="plain-list action-list" id="action-list">
            {list.into_iter().map(|a| view! { <ActionItem action=a reload note editing /> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// One action: what was said and done, when, for whom, whether published; Edit, and Publish
/// (a draft) after a confirmation.
#[component]
fn ActionItem(
    action: Action,
    reload: RwSignal<u32>,
    note: RwSignal<Option<String>>,
    editing: RwSignal<Editing>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let id = action.id;
    let confirming = RwSignal::new(false);
    let failed = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let published = action.published_at;
    let done_on = action.done_on;
    let audience = action.audience;
    let you_said = action.you_said.en.as_str().to_owned();
    let we_did = action.we_did.en.as_str().to_owned();
    let has_easy_read = action.easy_read.is_some();
    let question_id = format!("publish-question-{id}");
    let publish = move |_| {
        let t = i18n.s();
        busy.set(true);
        failed.set(None);
        spawn_local(async move {
            match api::publish_action(auth, id).await {
                Ok(outcome) => {
                    busy.set(false);
                    confirming.set(false);
                    note.set(Some(fill(
                        t.staff_actions_published_note,
                        &[("n", &outcome.emails_queued.to_string())],
                    )));
                    reload.update(|n| *n += 1);
                }
                Err(e) => {
                    busy.set(false);
                    log::info!("publish refused: {e}");
                    let easy_read = matches!(&e, ApiError::Refused { body, .. }
                        if body.field.as_deref() == Some("easy_read"));
                    failed.set(Some(if easy_read {
                        t.staff_actions_publish_needs_easy_read
                    } else if e.status().is_some() {
                        t.staff_actions_publish_refused
                    } else {
                        t.staff_actions_not_sent
                    }));
                }
            }
        });
    };
    let edit = {
        let action = action.clone();
        move |_| {
            note.set(None);
            editing.update(|e| {
                e.action = Some(action.clone());
                e.n += 1;
            });
            // Once the form for this action is drawn.
            request_animation_frame(focus_form);
        }
    };
    let status = move || {
        let t = i18n.s();
        match published {
            Some(at) => fill(
                t.staff_actions_published_on,
                &[("date", &date(local_date(at)))],
            ),
            None => t.staff_actions_draft.to_owned(),
        }
    };
    view! {
        <li class="action-item" data-action=id.to_string() data-published=published.is_some().to_string()>
            <h3 class="action-said">{you_said}</h3>
            <dl class="summary-list">
                <div class="summary-row"><dt>{trs(|t| t.staff_actions_we_did)}</dt><dd>{we_did}</dd></div>
                <div class="summary-row"><dt>{trs(|t| t.staff_actions_done_on)}</dt><dd>{date(done_on)}</dd></div>
                <div class="summary-row"><dt>{trs(|t| t.staff_actions_audience)}</dt><dd>{move || audience_label(i18n.s(), audience)}</dd></div>
                <div class="summary-row"><dt>{trs(|t| t.staff_actions_status)}</dt><dd class="action-status">{status}</dd></div>
                {(!has_easy_read).then(|| view! {
                    <div class="summary-row"><dt>{trs(|t| t.staff_actions_easy_read)}</dt><dd>{trs(|t| t.staff_actions_no_easy_read)}</dd></div>
                })}
            </dl>
            {move || failed.get().map(|m| view! { <p class="error-message" role="alert">{m}</p> })}
            <div class="button-group">
                <button type="button" class="button button-secondary action-edit" on:click=edit>
                    {trs(|t| t.staff_actions_edit)}
                    <span class="visually-hidden">{format!(": {}", action.you_said.en.as_str())}</span>
                </button>
                {published.is_none().then(|| view! {
                    <button
                        type="button"
                        class="button action-publish"
                        aria-expanded=move || confirming.get().to_string()
                        on:click=move |_| confirming.set(true)
                    >
                        {trs(|t| t.staff_actions_publish)}
                    </button>
                })}
            </div>
            <Show when=move || confirming.get()>
                <div class="admin-confirm" role="group" aria-labelledby=question_id.clone()>
                    <p id=question_id.clone()>{trs(|t| t.staff_actions_confirm_publish)}</p>
                    <div class="button-group">
                        <button type="button" class="button button-warning action-confirm-publish"
                            disabled=move || busy.get() on:click=publish>
                            {trs(|t| t.staff_actions_yes_publish)}
                        </button>
                        <button type="button" class="button button-secondary" on:click=move |_| confirming.set(false)>
                            {trs(|t| t.staff_admin_cancel)}
                        </button>
                    </div>
                </div>
            </Show>
        </li>
    }
}

/// Moves the focus to the form's heading, so a keyboard or screen reader user lands on it.
fn focus_form() {
    use wasm_bindgen::JsCast;
    if let Some(el) = document()
        .get_element_by_id("action-form-title")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

fn text_of(value: RwSignal<String>) -> String {
    value.get_untracked().trim().to_owned()
}

/// `{en, cy?}` as the API takes it; `None` when the English is empty.
fn bilingual(en: RwSignal<String>, cy: RwSignal<String>) -> Option<Value> {
    let en = text_of(en);
    if en.is_empty() {
        return None;
    }
    let cy = text_of(cy);
    Some(if cy.is_empty() {
        json!({ "en": en })
    } else {
        json!({ "en": en, "cy": cy })
    })
}

fn cy_of(text: &BilingualText) -> String {
    text.cy
        .as_ref()
        .map(|c| c.as_str().to_owned())
        .unwrap_or_default()
}

/// Where each field the server may name is in the form, with what to say there. A field is
/// matched by its start: `you_said.en` and `response_ids[0]` land on their control.
const PLACES: [(&str, &str); 7] = [
    ("audience", "act-audience-both"),
    ("you_said", "act-you-said-en"),
    ("we_did", "act-we-did-en"),
    ("easy_read", "act-er-you-said-en"),
    ("done_on", "act-done-on"),
    ("period", "act-first"),
    ("response_ids", "act-first"),
];

fn place_message(t: &'static StaffMessages, control: &str) -> &'static str {
    match control {
        "act-audience-both" => t.staff_actions_audience_missing,
        "act-you-said-en" => t.staff_actions_you_said_missing,
        "act-we-did-en" => t.staff_actions_we_did_missing,
        "act-er-you-said-en" => t.staff_actions_easy_read_missing,
        "act-done-on" => t.staff_actions_done_on_invalid,
        _ => t.staff_actions_comments_refused,
    }
}

/// A refused save beside the field the server named, else beside the first control.
fn show_refusal(problem: Problem, t: &'static StaffMessages, error: &ApiError) {
    log::info!("action not saved: {error}");
    let named = match error {
        ApiError::Refused { body, .. } => body.field.clone(),
        _ => None,
    };
    let place = named.and_then(|field| {
        PLACES
            .iter()
            .find(|(api, _)| field.starts_with(api))
            .map(|(_, control)| *control)
    });
    match place {
        Some(control) => problem.set(place_message(t, control), control),
        None if error.status().is_some() => problem.set(t.staff_admin_refused, "act-audience-both"),
        None => problem.set(t.staff_admin_not_sent, "act-audience-both"),
    }
}

/// The form for a new action, or for changing `editing`.
#[component]
fn ActionForm(
    editing: Option<Action>,
    reload: RwSignal<u32>,
    note: RwSignal<Option<String>>,
    start: RwSignal<Editing>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let t = i18n.s();
    let problem = Problem::new();
    let id = editing.as_ref().map(|a| a.id);
    let e = editing.as_ref();
    let text = |pick: fn(&Action) -> String| RwSignal::new(e.map(pick).unwrap_or_default());
    let audience = RwSignal::new(
        e.map_or(ActionAudience::Both, |a| a.audience)
            .as_str()
            .to_owned(),
    );
    let you_said_en = text(|a| a.you_said.en.as_str().to_owned());
    let you_said_cy = text(|a| cy_of(&a.you_said));
    let we_did_en = text(|a| a.we_did.en.as_str().to_owned());
    let we_did_cy = text(|a| cy_of(&a.we_did));
    let er_you_said_en = text(|a| {
        a.easy_read
            .as_ref()
            .map(|r| r.you_said.en.as_str().to_owned())
            .unwrap_or_default()
    });
    let er_you_said_cy = text(|a| {
        a.easy_read
            .as_ref()
            .map(|r| cy_of(&r.you_said))
            .unwrap_or_default()
    });
    let er_we_did_en = text(|a| {
        a.easy_read
            .as_ref()
            .map(|r| r.we_did.en.as_str().to_owned())
            .unwrap_or_default()
    });
    let er_we_did_cy = text(|a| {
        a.easy_read
            .as_ref()
            .map(|r| cy_of(&r.we_did))
            .unwrap_or_default()
    });
    let done_on = RwSignal::new(e.map_or_else(today, |a| a.done_on).to_string());
    let period = e.and_then(|a| a.period).unwrap_or(Period {
        first: today() - chrono::Duration::days(90),
        last: today(),
    });
    let first = RwSignal::new(period.first.to_string());
    let last = RwSignal::new(period.last.to_string());
    // The days are the action's own, or were used to find comments: sent then. Otherwise a
    // change to an action without them leaves it without (a missing field changes nothing),
    // rather than giving it the 90 days the form proposes.
    let days_chosen = RwSignal::new(e.is_none_or(|a| a.period.is_some()));
    let ticked = RwSignal::new(e.map(|a| a.response_ids.clone()).unwrap_or_default());
    let comments = RwSignal::new(None::<Result<Vec<RatingComment>, ()>>);
    let loading = RwSignal::new(false);

    let load_comments = move || {
        let t = i18n.s();
        let (Ok(f), Ok(l)) = (
            text_of(first).parse::<NaiveDate>(),
            text_of(last).parse::<NaiveDate>(),
        ) else {
            return problem.set(t.staff_actions_period_invalid, "act-first");
        };
        if f > l {
            return problem.set(t.staff_actions_period_invalid, "act-first");
        }
        problem.clear();
        days_chosen.set(true);
        loading.set(true);
        spawn_local(async move {
            let found = api::comments(auth, Period { first: f, last: l }, &api::Filters::default())
                .await
                .map_err(|e| log::warn!("comments: {e}"));
            comments.set(Some(found));
            loading.set(false);
        });
    };
    let show_comments = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        load_comments();
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let Some(you_said) = bilingual(you_said_en, you_said_cy) else {
            return problem.set(t.staff_actions_you_said_missing, "act-you-said-en");
        };
        let Some(we_did) = bilingual(we_did_en, we_did_cy) else {
            return problem.set(t.staff_actions_we_did_missing, "act-we-did-en");
        };
        let easy_read = match (
            bilingual(er_you_said_en, er_you_said_cy),
            bilingual(er_we_did_en, er_we_did_cy),
        ) {
            (Some(y), Some(w)) => Some(json!({ "you_said": y, "we_did": w })),
            (None, None) => None,
            (None, Some(_)) => {
                return problem.set(t.staff_actions_easy_read_both, "act-er-you-said-en");
            }
            (Some(_), None) => {
                return problem.set(t.staff_actions_easy_read_both, "act-er-we-did-en");
            }
        };
        let Ok(done) = text_of(done_on).parse::<NaiveDate>() else {
            return problem.set(t.staff_actions_done_on_invalid, "act-done-on");
        };
        let chosen = match (
            text_of(first).parse::<NaiveDate>(),
            text_of(last).parse::<NaiveDate>(),
        ) {
            (Ok(f), Ok(l)) if f <= l => Some(Period { first: f, last: l }),
            _ => None,
        };
        problem.clear();
        let mut body = json!({
            "audience": audience.get_untracked(),
            "response_ids": ticked.get_untracked(),
            "you_said": you_said,
            "we_did": we_did,
            "done_on": done,
        });
        if let Some(p) = chosen.filter(|_| days_chosen.get_untracked()) {
            body["period"] = json!(p);
        }
        if let Some(r) = easy_read {
            body["easy_read"] = r;
        }
        spawn_local(async move {
            let saved = match id {
                Some(id) => api::change_action(auth, id, &body).await,
                None => api::add_action(auth, &body).await,
            };
            match saved {
                Ok(action) => {
                    let words = if action.easy_read.is_some() {
                        t.staff_actions_saved
                    } else {
                        t.staff_actions_saved_no_easy_read
                    };
                    note.set(Some(words.to_owned()));
                    reload.update(|n| *n += 1);
                    start.update(|e| {
                        e.action = None;
                        e.n += 1;
                    });
                }
                Err(e) => show_refusal(problem, t, &e),
            }
        });
    };

    let editing_one = id.is_some();
    let title = move || {
        let t = i18n.s();
        if editing_one {
            t.staff_actions_change_title
        } else {
            t.staff_actions_new_title
        }
    };
    let audiences = [
        ActionAudience::Jobseekers,
        ActionAudience::Employers,
        ActionAudience::Both,
    ]
    .into_iter()
    .map(|a| (a.as_str(), audience_label(t, a)))
    .collect::<Vec<_>>();
    let chosen_count = move || {
        fill(
            i18n.s().staff_actions_comments_chosen,
            &[("n", &ticked.with(Vec::len).to_string())],
        )
    };
    view! {
        <section class="admin-section action-form" aria-labelledby="action-form-title">
            <h2 id="action-form-title" tabindex="-1">{title}</h2>
            <ProblemSummary problem />
            <form class="staff-form" id="action-form" on:submit=submit novalidate>
                <Choice
                    name="act-audience"
                    legend=trs(|t| t.staff_actions_audience)
                    options=audiences
                    value=audience
                    problem
                    target="act-audience-both"
                />
                <TextArea id="act-you-said-en" label=trs(|t| t.staff_actions_you_said_en) value=you_said_en problem />
                <TextArea id="act-you-said-cy" label=trs(|t| t.staff_actions_you_said_cy) hint=trs(|t| t.staff_actions_optional) value=you_said_cy problem />
                <TextArea id="act-we-did-en" label=trs(|t| t.staff_actions_we_did_en) value=we_did_en problem />
                <TextArea id="act-we-did-cy" label=trs(|t| t.staff_actions_we_did_cy) hint=trs(|t| t.staff_actions_optional) value=we_did_cy problem />
                <fieldset class="fieldset">
                    <legend class="legend">{trs(|t| t.staff_actions_easy_read)}</legend>
                    <p class="hint" id="act-easy-read-hint">{trs(|t| t.staff_actions_easy_read_hint)}</p>
                    <TextArea id="act-er-you-said-en" label=trs(|t| t.staff_actions_er_you_said_en) value=er_you_said_en problem />
                    <TextArea id="act-er-you-said-cy" label=trs(|t| t.staff_actions_er_you_said_cy) hint=trs(|t| t.staff_actions_optional) value=er_you_said_cy problem />
                    <TextArea id="act-er-we-did-en" label=trs(|t| t.staff_actions_er_we_did_en) value=er_we_did_en problem />
                    <TextArea id="act-er-we-did-cy" label=trs(|t| t.staff_actions_er_we_did_cy) hint=trs(|t| t.staff_actions_optional) value=er_we_did_cy problem />
                </fieldset>
                <Input id="act-done-on" label=trs(|t| t.staff_actions_done_on) value=done_on problem kind="date" />
                <fieldset class="fieldset">
                    <legend class="legend">{trs(|t| t.staff_actions_comments)}</legend>
                    <p class="hint">{trs(|t| t.staff_actions_comments_hint)}</p>
                    <Input id="act-first" label=trs(|t| t.staff_actions_first) value=first problem kind="date" />
                    <Input id="act-last" label=trs(|t| t.staff_actions_last) value=last problem kind="date" />
                    <button type="button" class="button button-secondary" id="act-show-comments" on:click=show_comments>
                        {trs(|t| t.staff_actions_show_comments)}
                    </button>
                    <p class="hint" id="act-chosen" role="status">{chosen_count}</p>
                    {move || {
                        if loading.get() {
                            return view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any();
                        }
                        match comments.get() {
                            None => ().into_any(),
                            Some(Err(())) => view! {
                                <p class="error-message" role="alert">{trs(|t| t.staff_actions_comments_failed)}</p>
                            }.into_any(),
                            Some(Ok(list)) if list.is_empty() => view! {
                                <p id="act-no-comments">{trs(|t| t.staff_actions_no_comments)}</p>
                            }.into_any(),
                            Some(Ok(list)) => view! { <CommentChoices list ticked prefix="act-comment" /> }.into_any(),
                        }
                    }}
                </fieldset>
                <div class="button-group">
                    <button type="submit" class="button" id="act-save">{trs(|t| t.staff_actions_save)}</button>
                    {id.is_some().then(|| view! {
                        <button type="button" class="button button-secondary" id="act-cancel" on:click=move |_| {
                            start.update(|e| { e.action = None; e.n += 1; });
                        }>{trs(|t| t.staff_actions_cancel_edit)}</button>
                    })}
                </div>
            </form>
        </section>
    }
}
