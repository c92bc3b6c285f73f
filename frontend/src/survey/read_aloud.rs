//! Read aloud (DESIGN §5): the question and its options spoken by the device's voice for the
//! language, or else by the recorded clips shipped with the app (`/clips/`, made at build time).
//! The button appears only when one of the two can speak every text; pressing it is recorded
//! on the response. When a survey opens on a phone with no voice for its language, its clips are
//! kept by the service worker, so read aloud works with no signal for the rest of the survey.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use domain::instrument::InstrumentDefinition;

use super::{text, use_flow};
use crate::components::SpeakerIcon;
use crate::device;
use crate::i18n::use_i18n;

/// Clip file by exact text, by language: `clips/manifest.json`.
type Manifest = HashMap<String, HashMap<String, String>>;

thread_local! {
    static MANIFEST: RefCell<Option<Rc<Manifest>>> = const { RefCell::new(None) };
}

async fn manifest() -> Rc<Manifest> {
    if let Some(m) = MANIFEST.with(|m| m.borrow().clone()) {
        return m;
    }
    let loaded = match gloo_net::http::Request::get("/clips/manifest.json")
        .send()
        .await
    {
        Ok(response) if response.ok() => response.json::<Manifest>().await.unwrap_or_default(),
        Ok(response) => {
            log::info!("no read-aloud clips here ({})", response.status());
            Manifest::default()
        }
        Err(error) => {
            log::info!("read-aloud clips unavailable: {error}");
            Manifest::default()
        }
    };
    let loaded = Rc::new(loaded);
    MANIFEST.with(|m| *m.borrow_mut() = Some(loaded.clone()));
    loaded
}

/// The clip for each text, or `None` when any text has none.
fn clips_for(manifest: &Manifest, lang: &str, texts: &[String]) -> Option<Vec<String>> {
    let clips = manifest.get(lang)?;
    texts
        .iter()
        .map(|t| clips.get(t).map(|file| format!("/clips/{file}")))
        .collect()
}

/// Every text read aloud can speak in this survey, in `lang`: the title and instruction, each
/// question and the answer labels, and the comment prompt, standard and Easy Read.
fn fixed_texts(i: &InstrumentDefinition, lang: &str) -> Vec<String> {
    let items = i
        .items
        .iter()
        .flat_map(|item| std::iter::once(&item.text).chain(item.easy_read.as_ref()));
    [&i.title, &i.instruction]
        .into_iter()
        .chain(i.easy_read_instruction.as_ref())
        .chain(items)
        .chain(i.scale.labels.iter())
        .chain(i.scale.easy_read_labels.iter().flatten())
        .chain(i.comment_prompt.as_ref())
        .chain(i.easy_read_comment_prompt.as_ref())
        .map(|t| text(t, lang).to_owned())
        .collect()
}

/// Keeps the survey's clips in `lang` on the phone (the service worker fetches those it lacks),
/// unless the phone has its own voice for the language. Called when a survey opens and when the
/// language changes, after the first page is up, so it never delays the first question.
pub async fn keep_clips_offline(instrument: InstrumentDefinition, lang: String) {
    if device::voice_for(&lang).await || !device::can_play_audio() {
        return;
    }
    let manifest = manifest().await;
    let Some(clips) = manifest.get(&lang) else {
        return;
    };
    let mut urls: Vec<String> = fixed_texts(&instrument, &lang)
        .iter()
        .filter_map(|t| clips.get(t).map(|file| format!("/clips/{file}")))
        .collect();
    urls.sort();
    urls.dedup();
    device::keep_clips(urls);
}

/// How this device can speak the texts, if it can.
#[derive(Debug, Clone, PartialEq)]
enum Speaker {
    Voice,
    Clips(Vec<String>),
}

#[component]
pub fn ReadAloud(
    #[prop(into)] texts: Signal<Vec<String>>,
    #[prop(into)] lang: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let flow = use_flow();
    let speaking = RwSignal::new(false);
    let speaker = crate::load::load(move || {
        let (texts, lang) = (texts.get(), lang.get());
        async move {
            if device::voice_for(&lang).await {
                return Some(Speaker::Voice);
            }
            if !device::can_play_audio() {
                return None;
            }
            clips_for(manifest().await.as_ref(), &lang, &texts).map(Speaker::Clips)
        }
    });
    on_cleanup(device::stop_speaking);

    let press = move |_| {
        if speaking.get_untracked() {
            device::stop_speaking();
            speaking.set(false);
            return;
        }
        let Some(Some(speaker)) = speaker.get_untracked() else {
            return;
        };
        flow.draft.update(|d| d.read_aloud_used = true);
        speaking.set(true);
        let (texts, lang) = (texts.get_untracked(), lang.get_untracked());
        let clips = match speaker {
            Speaker::Voice => Vec::new(),
            Speaker::Clips(clips) => clips,
        };
        spawn_local(async move {
            if let Err(error) = device::speak(texts, &lang, clips).await {
                log::warn!("read aloud failed: {error}");
            }
            speaking.set(false);
        });
    };

    view! {
        <Show when=move || matches!(speaker.get(), Some(Some(_)))>
            <button
                type="button"
                class="read-aloud"
                data-speaking=move || speaking.get().to_string()
                on:click=press
            >
                <SpeakerIcon />
                {move || if speaking.get() { i18n.t().stop_reading } else { i18n.t().read_aloud }}
            </button>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_are_used_only_when_every_text_has_one() {
        let manifest: Manifest = serde_json::from_str(
            r#"{"en": {"How are you?": "en/0001.mp3", "Happy": "en/0002.mp3"}}"#,
        )
        .unwrap();
        let texts = |t: &[&str]| t.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            clips_for(&manifest, "en", &texts(&["How are you?", "Happy"])),
            Some(vec![
                "/clips/en/0001.mp3".to_owned(),
                "/clips/en/0002.mp3".to_owned()
            ])
        );
        assert_eq!(
            clips_for(&manifest, "en", &texts(&["How are you?", "Sad"])),
            None
        );
        assert_eq!(clips_for(&manifest, "cy", &texts(&["Happy"])), None);
    }

    #[test]
    fn the_texts_kept_for_offline_are_every_text_read_aloud_can_speak() {
        let instrument: InstrumentDefinition = serde_json::from_str(include_str!(
            "../../../migrations/src/instruments/employer_satisfaction_v1.json"
        ))
        .unwrap();
        assert!(instrument.has_easy_read() && instrument.comment_prompt.is_some());
        let texts = fixed_texts(&instrument, "cy");
        assert!(texts.contains(&text(&instrument.title, "cy").to_owned()));
        for item in &instrument.items {
            assert!(texts.contains(&text(&item.text, "cy").to_owned()));
            assert!(texts.contains(&text(item.easy_read.as_ref().unwrap(), "cy").to_owned()));
        }
        for label in &instrument.scale.labels {
            assert!(texts.contains(&text(label, "cy").to_owned()));
        }
        let prompt = instrument.comment_prompt.as_ref().unwrap();
        assert!(texts.contains(&text(prompt, "cy").to_owned()));
    }
}
