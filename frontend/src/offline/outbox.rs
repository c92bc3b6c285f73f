//! The outbox on this device, one for both apps: bindings to `public/outbox-core.js` (through
//! `/device.js`), which keeps records in IndexedDB until the server has them. What to store and
//! send is decided here; the JavaScript only does it.

use js_sys::{Object, Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::device::{DeviceError, from_js, wait};

#[wasm_bindgen(raw_module = "/device.js")]
extern "C" {
    #[wasm_bindgen(js_name = outboxEnqueue)]
    fn outbox_enqueue(entry: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = outboxEnqueueEdit)]
    fn outbox_enqueue_edit(entry: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = outboxSummary)]
    fn outbox_summary(owner: Option<String>) -> Promise;
    #[wasm_bindgen(js_name = outboxIsWaiting)]
    fn outbox_is_waiting(key: &str) -> Promise;
    #[wasm_bindgen(js_name = outboxFlush)]
    fn outbox_flush(owner: Option<String>, token: Option<String>) -> Promise;
    #[wasm_bindgen(js_name = outboxList)]
    fn outbox_list(owner: &str) -> Promise;
    #[wasm_bindgen(js_name = outboxForgetOwner)]
    fn outbox_forget_owner(owner: &str) -> Promise;
    #[wasm_bindgen(js_name = caseloadPut)]
    fn caseload_put(owner: &str, text: &str) -> Promise;
    #[wasm_bindgen(js_name = caseloadGet)]
    fn caseload_get(owner: &str) -> Promise;
    #[wasm_bindgen(js_name = outboxBackup)]
    fn outbox_backup(owner: &str, passphrase: &str) -> Promise;
    #[wasm_bindgen(js_name = outboxRestore)]
    fn outbox_restore(owner: &str, passphrase: &str, input_id: &str) -> Promise;
    #[wasm_bindgen(js_name = textBlob)]
    fn text_blob(text: &str, content_type: &str) -> web_sys::Blob;
    #[wasm_bindgen(js_name = outboxSetSender)]
    fn outbox_set_sender(owner: Option<String>, token: Option<String>) -> Promise;
    #[wasm_bindgen(js_name = outboxRetry)]
    fn outbox_retry(key: &str) -> Promise;
    #[wasm_bindgen(js_name = outboxForgetConflict)]
    fn outbox_forget_conflict(key: &str) -> Promise;
    #[wasm_bindgen(js_name = requestBackgroundSync)]
    fn request_background_sync() -> Promise;
    #[wasm_bindgen(js_name = onOutboxChange)]
    fn on_outbox_change(callback: &Closure<dyn FnMut()>);
    #[wasm_bindgen(js_name = watchStaffShell)]
    fn watch_staff_shell(callback: &Closure<dyn FnMut()>);
}

/// The body of an outbox record: JSON text, or audio.
pub enum Body {
    Json(String),
    Audio(web_sys::Blob, String),
}

/// One record to send later. `key` makes a second enqueue of the same record a no-op.
pub struct Entry<'a> {
    pub key: &'a str,
    /// What the person did that this record is part of (e.g. the new client's id for their
    /// participant, consent and episode records): "Records waiting" counts these. `None`: the
    /// record is a thing done on its own.
    pub action: Option<&'a str>,
    /// The staff member whose login may send it; `None` when `auth` carries its own authority.
    pub owner: Option<&'a str>,
    /// A participant's survey token: lets anyone (the service worker too) send this record.
    pub auth: Option<&'a str>,
    /// A field record's kind (participant, consent, episode, session, invitation or response):
    /// sent with its owner's others in one `POST /api/sync` batch, in the order made.
    pub kind: Option<&'a str>,
    pub label: &'a str,
    pub method: &'a str,
    pub url: &'a str,
    pub body: Body,
}

impl Entry<'_> {
    /// The entry as `outbox-core.js` takes it (absent values as `null`, which it stores alike).
    fn into_js(self) -> Result<Object, DeviceError> {
        let object = Object::new();
        set(&object, "key", &self.key.into())?;
        set(&object, "action", &opt(self.action))?;
        set(&object, "owner", &opt(self.owner))?;
        set(&object, "auth", &opt(self.auth))?;
        set(&object, "kind", &opt(self.kind))?;
        set(&object, "label", &self.label.into())?;
        set(&object, "method", &self.method.into())?;
        set(&object, "url", &self.url.into())?;
        let (content_type, body) = match self.body {
            Body::Json(text) => ("application/json".to_owned(), JsValue::from(text)),
            Body::Audio(blob, content_type) => (content_type, blob.into()),
        };
        set(&object, "contentType", &content_type.into())?;
        set(&object, "body", &body)?;
        Ok(object)
    }
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
    let object = entry.into_js()?;
    Ok(wait(outbox_enqueue(&object)).await?.as_bool() == Some(true))
}

/// Saves a staff member's field record (`kind`: participant, consent, episode, session,
/// invitation or response), sent later with others in a `POST /api/sync` batch under that
/// person's login only; `action` groups the records of one thing done for the count.
/// `Ok(false)`: it was already there.
pub async fn enqueue_record(
    owner: &str,
    action: &str,
    kind: &str,
    key: &str,
    label: &str,
    body: String,
) -> Result<bool, DeviceError> {
    let url = format!("/api/{kind}s");
    enqueue(Entry {
        key,
        action: Some(action),
        owner: Some(owner),
        auth: None,
        kind: Some(kind),
        label,
        method: "POST",
        url: &url,
        body: Body::Json(body),
    })
    .await
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
    let entry = Entry {
        key,
        action: None,
        owner: Some(owner),
        auth: None,
        kind: None,
        label,
        method,
        url,
        body: Body::Json(body),
    };
    let object = entry.into_js()?;
    set(&object, "group", &group.into())?;
    wait(outbox_enqueue_edit(&object)).await.map(|_| ())
}

/// Drops the entry of an edit that was kept as a conflict, once that conflict is resolved.
pub async fn forget_conflict(key: &str) -> Result<(), DeviceError> {
    wait(outbox_forget_conflict(key)).await.map(|_| ())
}

/// Where a listed record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Waiting,
    Refused,
    /// An edit the server kept beside a newer version, for a person to resolve.
    Conflict,
}

/// One of a staff member's records in the outbox.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Listed {
    pub key: String,
    pub label: String,
    pub kind: Option<String>,
    pub status: Status,
    pub reason: Option<String>,
    /// Milliseconds since the epoch.
    pub created: f64,
    pub attempts: u32,
}

pub async fn list(owner: &str) -> Result<Vec<Listed>, DeviceError> {
    from_js(&wait(outbox_list(owner)).await?)
}

/// The keys (record ids) of `owner`'s records in the outbox that stand at `status`.
pub async fn keys(owner: &str, status: Status) -> Vec<String> {
    match list(owner).await {
        Ok(listed) => listed
            .into_iter()
            .filter(|r| r.status == status)
            .map(|r| r.key)
            .collect(),
        Err(error) => {
            log::warn!("could not read the outbox: {error}");
            Vec::new()
        }
    }
}

/// Logging out of a shared phone: removes every record `owner` made on this device, their
/// drafts, cached caseload, the token the service worker sends with, and their key.
pub async fn forget_owner(owner: &str) -> Result<(), DeviceError> {
    wait(outbox_forget_owner(owner)).await.map(|_| ())
}

/// Keeps `owner`'s cached caseload (JSON text) on the device, encrypted with their key.
pub async fn put_caseload(owner: &str, text: &str) -> Result<(), DeviceError> {
    wait(caseload_put(owner, text)).await.map(|_| ())
}

/// `owner`'s cached caseload as kept on the device, if there is one that can be read.
pub async fn get_caseload(owner: &str) -> Result<Option<String>, DeviceError> {
    Ok(wait(caseload_get(owner)).await?.as_string())
}

/// A backup file of `owner`'s unsent records, encrypted with `passphrase`: the file as a Blob
/// to save, and how many things it holds.
pub async fn backup(owner: &str, passphrase: &str) -> Result<(web_sys::Blob, u32), DeviceError> {
    #[derive(Deserialize)]
    struct Made {
        text: String,
        count: u32,
    }
    let made: Made = from_js(&wait(outbox_backup(owner, passphrase)).await?)?;
    Ok((text_blob(&made.text, "application/json"), made.count))
}

/// Why a backup file was not loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RestoreError {
    /// No file was chosen.
    None,
    /// Not a Soundings backup file.
    File,
    /// The passphrase does not open it.
    Passphrase,
    /// Another person's records.
    Owner,
}

/// Loads the backup file chosen in the file input `input_id` back into the outbox under
/// `owner`: how many things were added (none for records already here).
pub async fn restore(
    owner: &str,
    passphrase: &str,
    input_id: &str,
) -> Result<Result<u32, RestoreError>, DeviceError> {
    #[derive(Deserialize)]
    struct Restored {
        added: Option<u32>,
        error: Option<RestoreError>,
    }
    let done: Restored = from_js(&wait(outbox_restore(owner, passphrase, input_id)).await?)?;
    Ok(match (done.added, done.error) {
        (_, Some(error)) => Err(error),
        (added, None) => Ok(added.unwrap_or(0)),
    })
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

/// The staff login the service worker may send that person's records with (`None` on logout):
/// the access token only, never the refresh token.
pub async fn set_sender(staff: Option<(&str, &str)>) -> Result<(), DeviceError> {
    let (owner, token) = staff.map_or((None, None), |(o, t)| {
        (Some(o.to_owned()), Some(t.to_owned()))
    });
    wait(outbox_set_sender(owner, token)).await.map(|_| ())
}

/// Lets the service worker send when the signal returns, even with the page closed.
pub async fn background_sync() {
    if let Err(error) = wait(request_background_sync()).await {
        log::info!("no background sync: {error}");
    }
}

/// Calls `callback` whenever the service worker has sent records.
pub fn watch(callback: impl FnMut() + 'static) {
    let closure = Closure::<dyn FnMut()>::new(callback);
    on_outbox_change(&closure);
    // Lives as long as the page.
    closure.forget();
}

/// Calls `callback` once the staff app's shell is in the service worker's cache (now, if an
/// earlier visit kept it, or when the worker has just kept it).
pub fn watch_shell(callback: impl FnMut() + 'static) {
    let closure = Closure::<dyn FnMut()>::new(callback);
    watch_staff_shell(&closure);
    // Lives as long as the page.
    closure.forget();
}
