//! Read aloud (DESIGN §5): the question and its options spoken by the device's voice for the
//! language, or else by the recorded clips shipped with the app (`/clips/`, made at build time).
//! The button appears only when one of the two can speak every text; pressing it is recorded
//! on the response.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::use_flow;
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
                <span class="read-aloud-icon" aria-hidden="true"></span>
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
}
