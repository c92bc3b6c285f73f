//! Bindings to `public/device.js`: the outbox in IndexedDB, speech and the microphone. The
//! JavaScript only does what it is told; what to store, say or send is decided here in Rust.

use js_sys::{Object, Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(raw_module = "/device.js")]
extern "C" {
    #[wasm_bindgen(js_name = outboxEnqueue)]
    fn outbox_enqueue(entry: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = outboxSummary)]
    fn outbox_summary(owner: Option<String>) -> Promise;
    #[wasm_bindgen(js_name = outboxIsWaiting)]
    fn outbox_is_waiting(key: &str) -> Promise;
    #[wasm_bindgen(js_name = outboxFlush)]
    fn outbox_flush(owner: Option<String>, token: Option<String>) -> Promise;
    #[wasm_bindgen(js_name = outboxList)]
    fn outbox_list(owner: &str) -> Promise;
    #[wasm_bindgen(js_name = outboxRemoveOwner)]
    fn outbox_remove_owner(owner: &str) -> Promise;
    #[wasm_bindgen(js_name = outboxRetry)]
    fn outbox_retry(key: &str) -> Promise;
    #[wasm_bindgen(js_name = outboxEnqueueEdit)]
    fn outbox_enqueue_edit(entry: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = outboxForgetConflict)]
    fn outbox_forget_conflict(key: &str) -> Promise;
    #[wasm_bindgen(js_name = requestBackgroundSync)]
    fn request_background_sync() -> Promise;
    #[wasm_bindgen(js_name = onOutboxChange)]
    fn on_outbox_change(callback: &Closure<dyn FnMut()>);
    #[wasm_bindgen(js_name = draftPut)]
    fn draft_put(key: &str, value: &JsValue) -> Promise;
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

async fn wait(promise: Promise) -> Result<JsValue, DeviceError> {
    Ok(JsFuture::from(promise).await?)
}

fn from_js<T: for<'de> Deserialize<'de>>(value: &JsValue) -> Result<T, DeviceError> {
    let text: String = js_sys::JSON::stringify(value)?.into();
    serde_json::from_str(&text).map_err(|e| DeviceError(e.to_string()))
}

/// The body of an outbox record: JSON text, or audio.
pub enum Body {
    Json(String),
    Audio(web_sys::Blob, String),
}

/// One record to send later. `key` makes a second enqueue of the same record a no-op.
pub struct Entry<'a> {
    pub key: &'a str,
    /// The staff member whose login may send it; `None` when `auth` carries its own authority.
    pub owner: Option<&'a str>,
    /// A participant's survey token: lets anyone (the service worker too) send this record.
    pub auth: Option<&'a str>,
    pub label: &'a str,
    pub method: &'a str,
    pub url: &'a str,
    pub body: Body,
}

fn set(target: &Object, key: &str, value: &JsValue) -> Result<(), DeviceError> {
    Reflect::set(target, &JsValue::from_str(key), value)?;
    Ok(())
}

fn opt(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

/// Saves a record in the outbox. `Ok(false)`: it was already there.
pub async fn enqueue(entry: Entry<'_>) -> Result<bool, DeviceError> {
    let object = Object::new();
    set(&object, "key", &entry.key.into())?;
    set(&object, "owner", &opt(entry.owner))?;
    set(&object, "auth", &opt(entry.auth))?;
    set(&object, "label", &entry.label.into())?;
    set(&object, "method", &entry.method.into())?;
    set(&object, "url", &entry.url.into())?;
    match entry.body {
        Body::Json(text) => {
            set(&object, "contentType", &"application/json".into())?;
            set(&object, "body", &text.into())?;
        }
        Body::Audio(blob, content_type) => {
            set(&object, "contentType", &content_type.into())?;
            set(&object, "body", &blob.into())?;
        }
    }
    Ok(wait(outbox_enqueue(&object)).await?.as_bool() == Some(true))
}

/// Saves a staff member's field record (`kind`: participant, consent, episode, session,
/// invitation or response), sent later with others in a `POST /api/sync` batch under that
/// person's login only. `Ok(false)`: it was already there.
pub async fn enqueue_record(
    owner: &str,
    kind: &str,
    key: &str,
    label: &str,
    url: &str,
    body: String,
) -> Result<bool, DeviceError> {
    let object = Object::new();
    set(&object, "key", &key.into())?;
    set(&object, "owner", &owner.into())?;
    set(&object, "kind", &kind.into())?;
    set(&object, "label", &label.into())?;
    set(&object, "method", &"POST".into())?;
    set(&object, "url", &url.into())?;
    set(&object, "contentType", &"application/json".into())?;
    set(&object, "body", &body.into())?;
    Ok(wait(outbox_enqueue(&object)).await?.as_bool() == Some(true))
}

/// Saves a staff member's edit of a record (`group` names the record, e.g. `session:<id>`),
/// sent on its own (`method` to `url`) under that person's login only. An edit of the same
/// record that still waits is replaced by this one. A `409` naming `base_version` settles it
/// as a conflict the server keeps (status `conflict`), never retried.
pub async fn enqueue_edit(
    owner: &str,
    group: &str,
    key: &str,
    label: &str,
    method: &str,
    url: &str,
    body: String,
) -> Result<(), DeviceError> {
    let object = Object::new();
    set(&object, "key", &key.into())?;
    set(&object, "owner", &owner.into())?;
    set(&object, "group", &group.into())?;
    set(&object, "label", &label.into())?;
    set(&object, "method", &method.into())?;
    set(&object, "url", &url.into())?;
    set(&object, "body", &body.into())?;
    wait(outbox_enqueue_edit(&object)).await.map(|_| ())
}

/// Drops the entry of an edit that was kept as a conflict, once that conflict is resolved.
pub async fn forget_conflict(key: &str) -> Result<(), DeviceError> {
    wait(outbox_forget_conflict(key)).await.map(|_| ())
}

/// One of a staff member's records in the outbox.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Listed {
    pub key: String,
    pub label: String,
    pub kind: Option<String>,
    /// `waiting`, `refused`, or `conflict` (an edit the server kept beside a newer version).
    pub status: String,
    pub reason: Option<String>,
    /// Milliseconds since the epoch.
    pub created: f64,
    pub attempts: u32,
}

pub async fn list(owner: &str) -> Result<Vec<Listed>, DeviceError> {
    from_js(&wait(outbox_list(owner)).await?)
}

/// Removes every record `owner` made on this device (logging out of a shared phone).
pub async fn remove_owner(owner: &str) -> Result<u32, DeviceError> {
    Ok(wait(outbox_remove_owner(owner))
        .await?
        .as_f64()
        .unwrap_or(0.0) as u32)
}

/// Puts a refused record back in the queue.
pub async fn retry(key: &str) -> Result<(), DeviceError> {
    wait(outbox_retry(key)).await.map(|_| ())
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Refused {
    pub key: String,
    pub label: String,
    pub reason: Option<String>,
}

/// What the outbox holds, for the always-visible count.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub waiting: u32,
    pub refused: Vec<Refused>,
    /// Milliseconds since the epoch.
    pub oldest: Option<f64>,
    pub last_sync: Option<f64>,
}

pub async fn summary(owner: Option<&str>) -> Result<Summary, DeviceError> {
    from_js(&wait(outbox_summary(owner.map(str::to_owned))).await?)
}

pub async fn is_waiting(key: &str) -> Result<bool, DeviceError> {
    Ok(wait(outbox_is_waiting(key)).await?.as_bool() == Some(true))
}

/// Why a flush stopped before the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stopped {
    Offline,
    Server,
    Login,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Flushed {
    pub sent: u32,
    pub refused: u32,
    pub stopped: Option<Stopped>,
}

/// Sends what the outbox may send now: records with their own authority, and `owner`'s with
/// `token`.
pub async fn flush(owner: Option<&str>, token: Option<&str>) -> Result<Flushed, DeviceError> {
    let done = wait(outbox_flush(
        owner.map(str::to_owned),
        token.map(str::to_owned),
    ))
    .await?;
    from_js(&done)
}

/// Lets the service worker send when the signal returns, even with the page closed.
pub async fn background_sync() {
    if let Err(error) = wait(request_background_sync()).await {
        log::info!("no background sync: {error}");
    }
}

/// Calls `callback` whenever the service worker has sent records.
pub fn watch_outbox(callback: impl FnMut() + 'static) {
    let closure = Closure::<dyn FnMut()>::new(callback);
    on_outbox_change(&closure);
    // Lives as long as the page.
    closure.forget();
}

pub async fn put_draft(key: &str, value: &JsValue) -> Result<(), DeviceError> {
    wait(draft_put(key, value)).await.map(|_| ())
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
