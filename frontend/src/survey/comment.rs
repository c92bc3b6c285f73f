//! The optional comment: typed, or recorded as a voice comment (a few minutes at most, played
//! back before sending). The recording waits on the device with the draft.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Draft, draft::Voice, read_aloud::ReadAloud, text, use_flow, voice_draft_key};
use crate::components::{ErrorSummary, focus_new_page};
use crate::device;
use crate::i18n::{fill, tr, tr_owned, use_i18n};

/// The longest voice comment: long enough to say what matters, short enough to send on a
/// weak signal (about 750 KB at the recording rate).
const MAX_RECORDING_MS: u32 = 3 * 60 * 1000;
/// The server's limit for a typed comment.
const MAX_COMMENT_CHARS: usize = 5000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recorder {
    Idle,
    Recording,
    Denied,
}

#[component]
pub fn Comment() -> impl IntoView {
    let i18n = use_i18n();
    let flow = use_flow();
    let draft = flow.draft;
    let lang = Signal::derive(move || draft.with(|d| d.content_language(i18n.lang().code())));
    let prompt = Signal::derive(move || {
        draft.with(|d| {
            let i = d.instrument();
            let chosen = match (&i.easy_read_comment_prompt, d.shows_easy_read()) {
                (Some(easy), true) => Some(easy),
                _ => i.comment_prompt.as_ref(),
            };
            chosen
                .map(|t| text(t, &lang.get()).to_owned())
                .unwrap_or_default()
        })
    });
    let spoken = Signal::derive(move || vec![prompt.get()]);
    let heading = NodeRef::<leptos::html::H1>::new();
    focus_new_page(heading);
    let too_long = RwSignal::new(false);
    let recorder = RwSignal::new(Recorder::Idle);
    let playback = RwSignal::new(None::<String>);
    let voice = Memo::new(move |_| draft.with(|d| d.voice.clone()));

    // A recording made before leaving the page is played from the device's copy.
    let key = draft.with_untracked(voice_draft_key);
    if voice.get_untracked().is_some() {
        let key = key.clone();
        spawn_local(async move {
            if let Ok(value) = device::get_draft(&key).await
                && let Ok(blob) = wasm_bindgen::JsCast::dyn_into::<web_sys::Blob>(value)
            {
                playback.set(Some(device::object_url(&blob)));
            }
        });
    }

    let key = StoredValue::new(key);
    let record = move |_| {
        let key = key.get_value();
        spawn_local(async move {
            if let Err(error) = device::start_recording(MAX_RECORDING_MS).await {
                log::info!("microphone not available: {error}");
                recorder.set(Recorder::Denied);
                return;
            }
            recorder.set(Recorder::Recording);
            match device::recording_done().await {
                Ok(Some(recording)) => keep_recording(draft, &key, recording, playback).await,
                Ok(None) => {}
                Err(error) => log::warn!("recording failed: {error}"),
            }
            recorder.set(Recorder::Idle);
        });
    };
    let delete = move |_| {
        draft.update(|d| d.voice = None);
        playback.set(None);
        let key = key.get_value();
        spawn_local(async move {
            if let Err(error) = device::delete_draft(&key).await {
                log::warn!("could not delete the recording: {error}");
            }
        });
    };
    let next = move |_| {
        let length = draft.with_untracked(|d| d.comment.trim().chars().count());
        if length > MAX_COMMENT_CHARS {
            too_long.set(true);
        } else {
            flow.next();
        }
    };

    view! {
        <button type="button" class="back-link" on:click=move |_| flow.back()>
            {tr(|t| t.back)}
        </button>
        <Show when=move || too_long.get()>
            <ErrorSummary
                message=tr_owned(|t| t.comment_too_long)
                target="comment"
            />
        </Show>
        <div class="form-group" class:form-group-error=move || too_long.get()>
            <h1 class="label-wrapper heading" tabindex="-1" node_ref=heading>
                <label class="label label-large" for="comment" lang=lang>
                    {move || prompt.get()}
                </label>
            </h1>
            <ReadAloud texts=spoken lang=lang />
            <p class="hint" id="comment-hint">{tr(|t| t.comment_optional)}</p>
            <Show when=move || too_long.get()>
                <p class="error-message" id="comment-error">{tr(|t| t.comment_too_long)}</p>
            </Show>
            <textarea
                class="textarea"
                id="comment"
                name="comment"
                rows="6"
                aria-describedby="comment-hint"
                prop:value=draft.with_untracked(|d| d.comment.clone())
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    draft.update(|d| d.comment = value);
                    too_long.set(false);
                }
            ></textarea>
        </div>
        <div class="consent-check">
            <input
                type="checkbox"
                id="may-quote"
                name="may-quote"
                prop:checked=draft.with_untracked(|d| d.may_quote)
                on:change=move |ev| {
                    let agreed = event_target_checked(&ev);
                    draft.update(|d| d.may_quote = agreed);
                }
            />
            <label for="may-quote">{tr(|t| t.comment_quote)}</label>
        </div>
        <Show when=device::can_record>
            <section class="voice" aria-labelledby="voice-title">
                <h2 id="voice-title">{tr(|t| t.voice_title)}</h2>
                {move || match (recorder.get(), voice.get()) {
                    (Recorder::Recording, _) => {
                        view! {
                            <p class="recording" role="status">{tr(|t| t.voice_recording)}</p>
                            <button type="button" class="button button-warning" on:click=move |_| device::stop_recording()>
                                {tr(|t| t.voice_stop)}
                            </button>
                        }
                            .into_any()
                    }
                    (_, Some(v)) => {
                        let seconds = v.seconds.to_string();
                        view! {
                            <p role="status">{move || fill(i18n.t().voice_recorded, &[("seconds", &seconds)])}</p>
                            {move || {
                                playback
                                    .get()
                                    .map(|url| {
                                        view! {
                                            <audio controls src=url aria-label=tr(|t| t.voice_player)></audio>
                                        }
                                    })
                            }}
                            <button type="button" class="button button-secondary" on:click=delete>
                                {tr(|t| t.voice_delete)}
                            </button>
                        }
                            .into_any()
                    }
                    (state, None) => {
                        view! {
                            {(state == Recorder::Denied)
                                .then(|| view! { <p class="hint">{tr(|t| t.voice_denied)}</p> })}
                            <button type="button" class="button button-secondary" on:click=record>
                                {tr(|t| t.voice_record)}
                            </button>
                        }
                            .into_any()
                    }
                }}
            </section>
        </Show>
        <div class="actions">
            <button type="button" class="button" on:click=next>
                {tr(|t| t.continue_button)}
            </button>
        </div>
    }
}

/// Keeps a finished recording with the draft: the audio on the device, its length in the draft.
async fn keep_recording(
    draft: RwSignal<Draft>,
    key: &str,
    recording: device::Recording,
    playback: RwSignal<Option<String>>,
) {
    let owner = draft.with_untracked(|d| d.assisted.as_ref().map(|a| a.owner.to_string()));
    if let Err(error) = device::put_draft(key, &recording.blob.clone().into(), owner).await {
        log::warn!("could not keep the recording on the device: {error}");
    }
    playback.set(Some(device::object_url(&recording.blob)));
    let seconds = (recording.millis / 1000.0).round().max(1.0);
    draft.update(|d| {
        d.voice = Some(Voice {
            content_type: recording.content_type,
            // Bounded by the recording limit, so the cast cannot truncate.
            seconds: seconds as u32,
        })
    });
}
