//! The outbox's sync loop, one for both apps: on start, when the browser comes online, as soon
//! as any request reaches the server after one failed, every half minute while records wait,
//! and on demand; the page sees what waits, and whether there is a signal, through [`Outbox`].

use std::cell::Cell;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::outbox::{self, Stopped, Summary};

/// How often waiting records are retried while the app is open.
const RETRY_EVERY: Duration = Duration::from_secs(30);

/// How often, with no signal, the app asks the server whether it can be reached again. The
/// browser's `online` event never fires when the phone had a network but the server did not
/// answer (a dead spot behind a working Wi-Fi, or the server down), so the app must look itself.
const PROBE_EVERY: Duration = Duration::from_secs(3);

thread_local! {
    /// The page's outbox, so that every request the app makes can report whether it reached the
    /// server ([`server_reached`], [`server_unreachable`]).
    static CURRENT: Cell<Option<Outbox>> = const { Cell::new(None) };
}

/// The outbox as the page sees it: what waits, and a way to send it now.
#[derive(Debug, Clone, Copy)]
pub struct Outbox {
    summary: RwSignal<Summary>,
    syncing: RwSignal<bool>,
    /// The staff member logged in on this device (the staff app only): their records are sent
    /// with their token, and nobody else's are.
    staff: RwSignal<Option<StaffIdentity>>,
    /// Why the last sync stopped early, if it did (a login that expired asks to log in again).
    stopped: RwSignal<Option<Stopped>>,
    /// Bumped after every sync, so pages that list records can reread them.
    synced: RwSignal<u64>,
    /// A sync was asked for while one ran (e.g. a login arrived): run again after it.
    again: RwSignal<bool>,
    /// The last request (a sync or any other) failed for want of a network: "No signal".
    no_signal: RwSignal<bool>,
    /// A probe of the server is in flight.
    probing: RwSignal<bool>,
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
            no_signal: RwSignal::new(false),
            probing: RwSignal::new(false),
        };
        provide_context(outbox);
        CURRENT.with(|current| current.set(Some(outbox)));
        outbox.sync();
        let online = window_event_listener(leptos::ev::online, move |_| outbox.sync());
        // The listener lives as long as the page.
        std::mem::forget(online);
        outbox::watch(move || outbox.refresh());
        // Retries are cheap when nothing waits: the loop only counts then.
        set_interval(
            move || {
                if outbox.summary.get_untracked().waiting > 0 {
                    outbox.sync();
                }
            },
            RETRY_EVERY,
        );
        set_interval(
            move || {
                if outbox.no_signal.get_untracked() {
                    outbox.probe();
                }
            },
            PROBE_EVERY,
        );
        outbox
    }

    /// Whether the last request failed for want of a network.
    pub fn no_signal(self) -> bool {
        self.no_signal.get()
    }

    /// Asks the server whether it answers; the answer (through [`server_reached`]) sends what
    /// waits.
    fn probe(self) {
        if self.probing.get_untracked() {
            return;
        }
        self.probing.set(true);
        spawn_local(async move {
            if let Err(error) = crate::api::probe().await {
                log::debug!("still no signal: {error}");
            }
            self.probing.set(false);
        });
    }

    pub fn summary(self) -> Summary {
        self.summary.get()
    }

    /// Sets (or clears, on logout) the staff member whose records this device sends, then
    /// syncs with their login.
    pub fn set_staff(self, staff: Option<StaffIdentity>) {
        // The service worker's background sync sends with the same login, until logout.
        let sender = staff.clone();
        spawn_local(async move {
            let sender = sender
                .as_ref()
                .map(|s| (s.id.as_str(), s.access_token.as_str()));
            if let Err(error) = outbox::set_sender(sender).await {
                log::warn!("the service worker cannot send staff records: {error}");
            }
        });
        self.staff.set(staff);
        self.stopped.set(None);
        self.sync();
    }

    pub fn stopped(self) -> Option<Stopped> {
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
            match outbox::summary(owner.as_deref()).await {
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
            match outbox::flush(owner, token).await {
                Ok(flushed) => {
                    log::info!(
                        "outbox: {} sent, {} refused, stopped: {:?}",
                        flushed.sent,
                        flushed.refused,
                        flushed.stopped
                    );
                    self.stopped.set(flushed.stopped);
                    // A flush with nothing to send asked nothing of the server, so says
                    // nothing about the signal.
                    match flushed.stopped {
                        Some(Stopped::Offline) => self.no_signal.set(true),
                        Some(_) => self.no_signal.set(false),
                        None if flushed.sent + flushed.refused > 0 => self.no_signal.set(false),
                        None => {}
                    }
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

/// A request reached the server (whatever it answered): the signal is back, so "No signal"
/// goes and what waits is sent now, not at the next retry.
pub fn server_reached() {
    let Some(outbox) = CURRENT.with(Cell::get) else {
        return;
    };
    if outbox.no_signal.get_untracked() {
        outbox.no_signal.set(false);
        outbox.sync();
    }
}

/// A request could not reach the server (no network, or no answer in time): "No signal" shows,
/// and the app looks for the server every few seconds until it answers.
pub fn server_unreachable() {
    let Some(outbox) = CURRENT.with(Cell::get) else {
        return;
    };
    if !outbox.no_signal.get_untracked() {
        outbox.no_signal.set(true);
    }
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}
