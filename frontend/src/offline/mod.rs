//! What keeps both apps useful with no signal (DESIGN §6): the service worker that caches the
//! shell, a request that the browser keep our storage, and the outbox ([`outbox`]) with its
//! sync loop ([`sync`]).

pub mod outbox;
pub mod sync;

use js_sys::Reflect;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

pub use sync::{Outbox, StaffIdentity, use_outbox};

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
