//! The outbox's sync loop, one for both apps: on start, when the browser comes online, every
//! half minute while records wait, and on demand; the page sees what waits through [`Outbox`].

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::outbox::{self, Stopped, Summary};

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
    stopped: RwSignal<Option<Stopped>>,
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
