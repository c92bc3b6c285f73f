//! Who is logged in on this device. The login is kept in `localStorage` so the app opens with
//! no signal; the outbox is told whose records it may send. Logging out removes this person's
//! cached caseload and records from the device (a shared phone, DESIGN §6 and §8).

use domain::Role;
use domain::auth::{Me, TokenResponse};
use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

use crate::api::ApiError;
use crate::offline::{Outbox, StaffIdentity};
use crate::store;

use super::api;

const KEY: &str = "soundings-staff-login";

/// A refresh under way, which every caller waiting for a new access token shares.
type Refreshing = Shared<LocalBoxFuture<'static, Result<String, ApiError>>>;

thread_local! {
    /// One refresh in flight per device (the app runs on one thread): when the signal comes
    /// back, several requests find their access token expired at once, and each sending the
    /// same refresh token would look to the server like a stolen one being replayed.
    static IN_FLIGHT: RefCell<Option<Refreshing>> = const { RefCell::new(None) };
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Login {
    pub staff: Me,
    pub access_token: String,
    pub refresh_token: String,
}

impl From<TokenResponse> for Login {
    fn from(t: TokenResponse) -> Self {
        Login {
            staff: t.staff,
            access_token: t.access_token,
            refresh_token: t.refresh_token,
        }
    }
}

/// The login as the pages see it.
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    login: RwSignal<Option<Login>>,
    outbox: Outbox,
}

impl Auth {
    pub fn provide(outbox: Outbox) -> Auth {
        let login = store::get::<Login>(KEY);
        let auth = Auth {
            login: RwSignal::new(login),
            outbox,
        };
        auth.tell_outbox();
        provide_context(auth);
        auth
    }

    pub fn outbox(self) -> Outbox {
        self.outbox
    }

    pub fn login(self) -> Option<Login> {
        self.login.get()
    }

    pub fn me(self) -> Option<Me> {
        self.login.with(|l| l.as_ref().map(|l| l.staff.clone()))
    }

    pub fn me_untracked(self) -> Option<Me> {
        self.login
            .with_untracked(|l| l.as_ref().map(|l| l.staff.clone()))
    }

    pub fn is_manager(self) -> bool {
        self.login.with(|l| {
            l.as_ref()
                .is_some_and(|l| matches!(l.staff.role, Role::Manager | Role::Admin))
        })
    }

    pub fn is_admin(self) -> bool {
        self.login
            .with(|l| l.as_ref().is_some_and(|l| l.staff.role == Role::Admin))
    }

    /// A commissioner: outside the service, reading the reports shared with them and nothing
    /// else.
    pub fn is_commissioner(self) -> bool {
        self.login.with(|l| {
            l.as_ref()
                .is_some_and(|l| l.staff.role == Role::Commissioner)
        })
    }

    pub fn access_token(self) -> Option<String> {
        self.login
            .with_untracked(|l| l.as_ref().map(|l| l.access_token.clone()))
    }

    pub fn set(self, login: Option<Login>) {
        match &login {
            Some(login) => store::set(KEY, login),
            None => store::remove(KEY),
        }
        self.login.set(login);
        self.tell_outbox();
    }

    fn tell_outbox(self) {
        let identity = self.login.with_untracked(|l| {
            l.as_ref().map(|l| StaffIdentity {
                id: l.staff.id.to_string(),
                access_token: l.access_token.clone(),
            })
        });
        self.outbox.set_staff(identity);
    }

    /// A new access token from the refresh token: the refresh already in flight if there is
    /// one (every caller waits for it and gets its answer), else a new one. A refused refresh
    /// (expired, revoked) ends the login on this device but keeps its records: the person logs
    /// in again and sync carries on.
    pub async fn refresh(self) -> Result<String, ApiError> {
        let flight = IN_FLIGHT.with(|slot| {
            slot.borrow_mut()
                .get_or_insert_with(|| self.refresh_now().boxed_local().shared())
                .clone()
        });
        let result = flight.clone().await;
        IN_FLIGHT.with(|slot| {
            let mut slot = slot.borrow_mut();
            if slot.as_ref().is_some_and(|f| f.ptr_eq(&flight)) {
                *slot = None;
            }
        });
        result
    }

    async fn refresh_now(self) -> Result<String, ApiError> {
        let refresh_token = self
            .login
            .with_untracked(|l| l.as_ref().map(|l| l.refresh_token.clone()))
            .ok_or(ApiError::Status(401))?;
        match api::refresh(&refresh_token).await {
            Ok(tokens) => {
                let token = tokens.access_token.clone();
                self.set(Some(tokens.into()));
                Ok(token)
            }
            Err(error) if error.status().is_some() => {
                self.set(None);
                Err(error)
            }
            Err(error) => Err(error),
        }
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
