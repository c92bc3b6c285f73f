//! What keeps the app useful with no signal (DESIGN §6): the service worker that caches the
//! shell, a request that the browser keep our storage, and the outbox's sync loop: on start,
//! when the browser comes online, every half minute while records wait, and on demand.

use std::time::Duration;

use js_sys::Reflect;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::device::{self, Summary};

/// How often waiting records are retried while the app is open.
const RETRY_EVERY: Duration = Duration::from_secs(30);

/// The outbox as the page sees it: what waits, and a way to send it now.
#[derive(Debug, Clone, Copy)]
pub struct Outbox {
    summary: RwSignal<Summary>,
    syncing: RwSignal<bool>,
    /// The staff member logged in on this device (the staff app only): their records are sent
    /// with their token, and nobody else's are.
    staff: RwSignal<Option<StaffIdentity>>,
    /// Why the last sync stopped early, if it did (a login that expired asks to log in again).
    stopped: RwSignal<Option<device::Stopped>>,
    /// Bumped after every sync, so pages that list records can reread them.
    synced: RwSignal<u64>,
    /// A sync was asked for while one ran (e.g. a login arrived): run again after it.
    again: RwSignal<bool>,
}

/// Whose records may be sent, and the login to send them with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffIdentity {
    pub id: String,
    pub access_token: String,
}

impl Outbox {
    /// Starts the sync loop; call once, from the app.
    pub fn provide() -> Outbox {
        let outbox = Outbox {
            summary: RwSignal::new(Summary::default()),
            syncing: RwSignal::new(false),
            staff: RwSignal::new(None),
            stopped: RwSignal::new(None),
            synced: RwSignal::new(0),
            again: RwSignal::new(false),
        };
        provide_context(outbox);
        outbox.sync();
        let online = window_event_listener(leptos::ev::online, move |_| outbox.sync());
        // The listener lives as long as the page.
        std::mem::forget(online);
        device::watch_outbox(move || outbox.refresh());
        // Retries are cheap when nothing waits: the loop only counts then.
        set_interval(
            move || {
                if outbox.summary.get_untracked().waiting > 0 {
                    outbox.sync();
                }
            },
            RETRY_EVERY,
        );
        outbox
    }

    pub fn summary(self) -> Summary {
        self.summary.get()
    }

    /// Sets (or clears, on logout) the staff member whose records this device sends, then
    /// syncs with their login.
    pub fn set_staff(self, staff: Option<StaffIdentity>) {
        self.staff.set(staff);
        self.stopped.set(None);
        self.sync();
    }

    pub fn stopped(self) -> Option<device::Stopped> {
        self.stopped.get()
    }

    pub fn syncing(self) -> bool {
        self.syncing.get()
    }

    pub fn synced(self) -> u64 {
        self.synced.get()
    }

    pub fn refresh(self) {
        let owner = self.staff.get_untracked().map(|s| s.id);
        spawn_local(async move {
            match device::summary(owner.as_deref()).await {
                Ok(summary) => self.summary.set(summary),
                Err(error) => log::warn!("could not read the outbox: {error}"),
            }
        });
    }

    /// Sends what waits (records that carry their own authority), then recounts.
    pub fn sync(self) {
        if self.syncing.get_untracked() {
            self.again.set(true);
            return;
        }
        self.syncing.set(true);
        let staff = self.staff.get_untracked();
        spawn_local(async move {
            let owner = staff.as_ref().map(|s| s.id.as_str());
            let token = staff.as_ref().map(|s| s.access_token.as_str());
            match device::flush(owner, token).await {
                Ok(flushed) => {
                    log::info!(
                        "outbox: {} sent, {} refused, stopped: {:?}",
                        flushed.sent,
                        flushed.refused,
                        flushed.stopped
                    );
                    self.stopped.set(flushed.stopped);
                }
                Err(error) => log::warn!("outbox not sent: {error}"),
            }
            self.syncing.set(false);
            self.synced.update(|n| *n += 1);
            self.refresh();
            if self.again.get_untracked() {
                self.again.set(false);
                self.sync();
            }
        });
    }
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

/// What a link into the app carries after `#` (tokens never travel in a path or query, so they
/// never reach a server log): a survey (`#t=`), results (`#r=`) or an unsubscribe (`#u=`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    Survey(String),
    Results(String),
    Unsubscribe(String),
}

impl Link {
    pub fn parse(hash: &str) -> Option<Link> {
        let (kind, token) = hash.strip_prefix('#')?.split_once('=')?;
        let token = token.trim().to_owned();
        if token.is_empty() {
            return None;
        }
        match kind {
            "t" => Some(Link::Survey(token)),
            "r" => Some(Link::Results(token)),
            "u" => Some(Link::Unsubscribe(token)),
            _ => None,
        }
    }
}

/// Reads a link's token from the address and removes it from the address bar and history at
/// once, so it is not left in history, bookmarks or a shared screenshot.
pub fn take_link() -> Option<Link> {
    let location = window().location();
    let link = Link::parse(&location.hash().ok()?)?;
    let path = location.pathname().unwrap_or_else(|_| "/".to_owned());
    if let Ok(history) = window().history()
        && let Err(error) = history.replace_state_with_url(&JsValue::NULL, "", Some(&path))
    {
        log::warn!("could not clear the link from the address bar: {error:?}");
    }
    Some(link)
}

/// Where `scripts/build-frontend` puts the worker; at the root so its scope is the whole app.
const SERVICE_WORKER_URL: &str = "/sw.js";

/// Starts both in the background; neither blocks the first render, and failure of either only
/// costs offline use, so it is logged, not shown.
pub fn start() {
    spawn_local(async {
        if let Err(error) = register_service_worker().await {
            log::warn!("service worker not registered: {error:?}");
        }
    });
    spawn_local(async {
        match request_persistent_storage().await {
            Ok(true) => log::info!("storage is persistent"),
            Ok(false) => log::info!("storage may be cleared by the browser under pressure"),
            Err(error) => log::warn!("could not ask for persistent storage: {error:?}"),
        }
    });
}

async fn register_service_worker() -> Result<(), JsValue> {
    let navigator = window().navigator();
    // Absent outside secure contexts (plain http to a LAN address) and in some private modes;
    // calling it then would throw through the wasm.
    if !Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))? {
        return Err(JsValue::from_str(
            "this browser has no service workers here",
        ));
    }
    JsFuture::from(navigator.service_worker().register(SERVICE_WORKER_URL)).await?;
    Ok(())
}

/// Asks the browser not to evict our data (the outbox) under storage pressure: queued records
/// lost that way are a failure peers have had. Chrome decides silently; Firefox may ask.
async fn request_persistent_storage() -> Result<bool, JsValue> {
    let navigator = window().navigator();
    if !Reflect::has(&navigator, &JsValue::from_str("storage"))? {
        return Ok(false);
    }
    let storage = navigator.storage();
    if JsFuture::from(storage.persisted()?).await?.as_bool() == Some(true) {
        return Ok(true);
    }
    Ok(JsFuture::from(storage.persist()?).await?.as_bool() == Some(true))
}

#[cfg(test)]
mod tests {
    use super::Link;

    #[test]
    fn links_are_read_from_the_fragment() {
        assert_eq!(Link::parse("#t=abc"), Some(Link::Survey("abc".into())));
        assert_eq!(Link::parse("#r=x-y_z"), Some(Link::Results("x-y_z".into())));
        assert_eq!(Link::parse("#u=q"), Some(Link::Unsubscribe("q".into())));
        assert_eq!(Link::parse("#t="), None);
        assert_eq!(Link::parse("#main"), None);
        assert_eq!(Link::parse("#x=1"), None);
        assert_eq!(Link::parse(""), None);
    }
}
