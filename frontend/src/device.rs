//! Bindings to `public/device.js`: voice comment drafts, speech and the microphone (the outbox's
//! are in [`crate::offline::outbox`]). The JavaScript only does what it is told; what to store
//! or say is decided here in Rust.

use js_sys::{Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(raw_module = "/device.js")]
extern "C" {
    #[wasm_bindgen(js_name = draftPut)]
    fn draft_put(key: &str, value: &JsValue, owner: Option<String>) -> Promise;
    #[wasm_bindgen(js_name = draftGet)]
    fn draft_get(key: &str) -> Promise;
    #[wasm_bindgen(js_name = draftDelete)]
    fn draft_delete(key: &str) -> Promise;

    #[wasm_bindgen(js_name = hasVoice)]
    fn has_voice(lang: &str) -> Promise;
    #[wasm_bindgen(js_name = canPlayAudio)]
    pub fn can_play_audio() -> bool;
    #[wasm_bindgen(js_name = speak)]
    fn speak_js(texts: Vec<String>, lang: &str, clips: Vec<String>) -> Promise;
    #[wasm_bindgen(js_name = stopSpeaking)]
    pub fn stop_speaking();
    /// Asks the service worker to keep these read-aloud clips for use with no signal.
    #[wasm_bindgen(js_name = keepClips)]
    pub fn keep_clips(urls: Vec<String>);

    /// Calls `callback` when the browser offers to install the app (now, if it already has).
    #[wasm_bindgen(js_name = onInstallable)]
    pub fn on_installable(callback: &Closure<dyn Fn()>);
    #[wasm_bindgen(js_name = install)]
    fn install_js() -> Promise;

    #[wasm_bindgen(js_name = canRecord)]
    pub fn can_record() -> bool;
    #[wasm_bindgen(js_name = startRecording)]
    fn start_recording_js(max_ms: u32) -> Promise;
    #[wasm_bindgen(js_name = recordingDone)]
    fn recording_done_js() -> Promise;
    #[wasm_bindgen(js_name = stopRecording)]
    pub fn stop_recording();
    #[wasm_bindgen(js_name = objectUrl)]
    pub fn object_url(blob: &web_sys::Blob) -> String;
    #[wasm_bindgen(js_name = saveFile)]
    pub fn save_file(blob: &web_sys::Blob, name: &str);
}

/// Shows the browser's own "add to home screen" question; whether the person said yes.
pub async fn install() -> bool {
    wait(install_js())
        .await
        .is_ok_and(|accepted| accepted.as_bool() == Some(true))
}

/// A failure in the browser's own APIs, as text for the log (never shown raw to a person).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct DeviceError(pub String);

impl From<JsValue> for DeviceError {
    fn from(value: JsValue) -> Self {
        DeviceError(
            value
                .as_string()
                .or_else(|| js_sys::JSON::stringify(&value).ok().map(String::from))
                .unwrap_or_else(|| "unknown error".to_owned()),
        )
    }
}

/// A promise's value; a rejection becomes a [`DeviceError`].
pub async fn wait(promise: Promise) -> Result<JsValue, DeviceError> {
    Ok(JsFuture::from(promise).await?)
}

/// A JavaScript value read as `T` through its JSON.
pub fn from_js<T: for<'de> Deserialize<'de>>(value: &JsValue) -> Result<T, DeviceError> {
    let text: String = js_sys::JSON::stringify(value)?.into();
    serde_json::from_str(&text).map_err(|e| DeviceError(e.to_string()))
}

/// Keeps a draft on the device, encrypted with `owner`'s key (a staff member's, removed when they
/// log out) or else the device's.
pub async fn put_draft(
    key: &str,
    value: &JsValue,
    owner: Option<String>,
) -> Result<(), DeviceError> {
    wait(draft_put(key, value, owner)).await.map(|_| ())
}

pub async fn get_draft(key: &str) -> Result<JsValue, DeviceError> {
    wait(draft_get(key)).await
}

pub async fn delete_draft(key: &str) -> Result<(), DeviceError> {
    wait(draft_delete(key)).await.map(|_| ())
}

/// Whether the device has a speech voice for `lang` (waits briefly for voices to load).
pub async fn voice_for(lang: &str) -> bool {
    wait(has_voice(lang))
        .await
        .is_ok_and(|v| v.as_bool() == Some(true))
}

/// Says `texts` with the device's voice, else plays `clips`. Resolves when done or stopped.
pub async fn speak(texts: Vec<String>, lang: &str, clips: Vec<String>) -> Result<(), DeviceError> {
    wait(speak_js(texts, lang, clips)).await.map(|_| ())
}

/// A finished recording.
#[derive(Clone)]
pub struct Recording {
    pub blob: web_sys::Blob,
    pub content_type: String,
    pub millis: f64,
}

pub async fn start_recording(max_ms: u32) -> Result<(), DeviceError> {
    wait(start_recording_js(max_ms)).await.map(|_| ())
}

/// Resolves when the recording stops, by [`stop_recording`] or the time limit.
pub async fn recording_done() -> Result<Option<Recording>, DeviceError> {
    let value = wait(recording_done_js()).await?;
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    let get = |key: &str| Reflect::get(&value, &JsValue::from_str(key));
    Ok(Some(Recording {
        blob: get("blob")?.dyn_into()?,
        content_type: get("type")?.as_string().unwrap_or_default(),
        millis: get("ms")?.as_f64().unwrap_or_default(),
    }))
}
