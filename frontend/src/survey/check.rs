//! Check your answers, then Send. Sending puts the response (and any voice comment) in the
//! outbox on this device first, so nothing is lost if the signal drops; the outbox sends it now
//! or when the signal returns.

use chrono::{DateTime, Utc};
use domain::records::Language;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Draft, HandBack, Step, text, use_flow, voice_draft_key};
use crate::components::PageHeading;
use crate::device;
use crate::i18n::{fill, tr, tr_owned, use_i18n};
use crate::offline::outbox::{self, Body, Entry, background_sync};
use crate::offline::use_outbox;

/// The outbox keys of a response and its voice comment.
pub fn response_key(draft: &Draft) -> String {
    format!("response:{}", draft.response_id)
}

fn now() -> DateTime<Utc> {
    // The device's clock, read through JavaScript: std's clock does not exist in wasm.
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

#[component]
pub fn Check() -> impl IntoView {
    let i18n = use_i18n();
    let flow = use_flow();
    let outbox = use_outbox();
    let hand_back = use_context::<HandBack>();
    let draft = flow.draft;
    let lang = Signal::derive(move || draft.with(|d| d.content_language(i18n.lang().code())));
    let failed = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let organisation = draft.with_untracked(|d| d.survey.organisation_name.clone());

    let rows = move || {
        draft.with(|d| {
            let i = d.instrument();
            let easy = d.shows_easy_read();
            let lang = lang.get();
            i.items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let question = match (&item.easy_read, easy) {
                        (Some(e), true) => text(e, &lang).to_owned(),
                        _ => text(&item.text, &lang).to_owned(),
                    };
                    let answer = d.answers.get(index).copied().flatten().and_then(|v| {
                        let labels = match (&i.scale.easy_read_labels, easy) {
                            (Some(e), true) => e,
                            _ => &i.scale.labels,
                        };
                        labels
                            .get(usize::from(v) - 1)
                            .map(|l| format!("{} ({v})", text(l, &lang)))
                    });
                    (index, question, answer)
                })
                .collect::<Vec<_>>()
        })
    };

    let send = move |_| {
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        failed.set(false);
        let snapshot = draft.get_untracked();
        spawn_local(async move {
            match put_in_outbox(&snapshot, &lang.get_untracked()).await {
                Ok(()) => {
                    draft.update(|d| {
                        d.sent_at = Some(now());
                        d.score = d.swemwbs_score();
                        // The outbox holds the copy to send; the device keeps no other.
                        d.answers.iter_mut().for_each(|a| *a = None);
                        d.comment.clear();
                    });
                    if let Some(hand_back) = hand_back {
                        hand_back.sent.run(draft.get_untracked());
                    }
                    flow.go(Step::Done);
                    outbox.sync();
                    background_sync().await;
                }
                Err(error) => {
                    log::error!("answers not saved for sending: {error}");
                    failed.set(true);
                }
            }
            sending.set(false);
        });
    };

    view! {
        <button type="button" class="back-link" on:click=move |_| flow.back()>
            {tr(|t| t.back)}
        </button>
        <PageHeading text=tr_owned(|t| t.check_title) />
        <dl class="summary-list">
            {move || {
                rows()
                    .into_iter()
                    .map(|(index, question, answer)| {
                        view! {
                            <div class="summary-row">
                                <dt lang=lang>{question.clone()}</dt>
                                <dd lang=lang>
                                    {answer.unwrap_or_else(|| i18n.t().check_not_answered.to_owned())}
                                </dd>
                                <dd class="summary-action">
                                    <button
                                        type="button"
                                        class="link-button"
                                        on:click=move |_| flow.go(Step::Question(index))
                                    >
                                        {tr(|t| t.check_change)}
                                        <span class="visually-hidden">" — " {question.clone()}</span>
                                    </button>
                                </dd>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <Show when=move || draft.with(|d| d.has_comment_step())>
                <div class="summary-row">
                    <dt>{tr(|t| t.check_comment)}</dt>
                    <dd class="comment-text">
                        {move || {
                            let comment = draft.with(|d| d.comment.trim().to_owned());
                            if comment.is_empty() { i18n.t().check_none.to_owned() } else { comment }
                        }}
                        <Show when=move || draft.with(|d| d.may_quote && !d.comment.trim().is_empty())>
                            <p class="hint quoted">{tr(|t| t.check_quoted)}</p>
                        </Show>
                    </dd>
                    <dd class="summary-action">
                        <button type="button" class="link-button" on:click=move |_| flow.go(Step::Comment)>
                            {tr(|t| t.check_change)}
                            <span class="visually-hidden">" — " {tr(|t| t.check_comment)}</span>
                        </button>
                    </dd>
                </div>
                <Show when=move || draft.with(|d| d.voice.is_some())>
                    <div class="summary-row">
                        <dt>{tr(|t| t.check_voice)}</dt>
                        <dd>
                            {move || {
                                let seconds = draft.with(|d| d.voice.as_ref().map_or(0, |v| v.seconds));
                                fill(i18n.t().check_voice_yes, &[("seconds", &seconds.to_string())])
                            }}
                        </dd>
                        <dd class="summary-action"></dd>
                    </div>
                </Show>
            </Show>
        </dl>
        {move || {
            draft
                .with(|d| d.instrument().copyright.clone())
                .map(|c| view! { <p class="copyright" lang="en">{c}</p> })
        }}
        <h2>{tr(|t| t.check_send_title)}</h2>
        <p>{move || fill(i18n.t().check_send_body, &[("organisation", &organisation)])}</p>
        <Show when=move || failed.get()>
            <p class="error-message" role="alert">{tr(|t| t.problem_unknown_body)}</p>
        </Show>
        <div class="actions">
            <button type="button" class="button" on:click=send prop:disabled=move || sending.get()>
                {tr(|t| t.send)}
            </button>
        </div>
    }
}

/// Saves the response, then its voice comment, in the outbox (in that order: the server takes
/// a voice comment only for a response it has).
async fn put_in_outbox(draft: &Draft, content_language: &str) -> Result<(), device::DeviceError> {
    let language = Language::parse(content_language).unwrap_or(Language::English);
    let response = draft.response(language, now());
    let body = serde_json::to_string(&response).map_err(|e| device::DeviceError(e.to_string()))?;
    let key = response_key(draft);
    // On a specialist's phone the record goes with their other field records, under their
    // login only; on the person's own phone the survey token is the authority.
    let owner = draft.assisted.as_ref().map(|a| a.owner.to_string());
    match (&owner, &draft.assisted) {
        (Some(owner), Some(assisted)) => {
            let label = &assisted.label;
            outbox::enqueue_record(owner, &key, "response", &key, label, body).await?;
        }
        _ => {
            outbox::enqueue(Entry {
                key: &key,
                action: None,
                owner: None,
                auth: Some(&draft.access_token),
                kind: None,
                label: "survey",
                method: "POST",
                url: "/api/survey/responses",
                body: Body::Json(body),
            })
            .await?;
        }
    }
    if let Some(voice) = &draft.voice {
        let draft_key = voice_draft_key(draft);
        let blob = device::get_draft(&draft_key).await?;
        if let Ok(blob) = wasm_bindgen::JsCast::dyn_into::<web_sys::Blob>(blob) {
            let url = match owner {
                Some(_) => format!("/api/responses/{}/voice", draft.response_id),
                None => format!("/api/survey/responses/{}/voice", draft.response_id),
            };
            let auth = owner.is_none().then_some(draft.access_token.as_str());
            // The comment is part of the answers: one thing done.
            outbox::enqueue(Entry {
                key: &draft_key,
                action: Some(&key),
                owner: owner.as_deref(),
                auth,
                kind: None,
                label: "voice comment",
                method: "PUT",
                url: &url,
                body: Body::Audio(blob, voice.content_type.clone()),
            })
            .await?;
            device::delete_draft(&draft_key).await?;
        }
    }
    Ok(())
}
