//! Small JSON values kept on the device in `localStorage`: display choices and survey drafts.
//! Storage can be missing (private mode) or full; then the app keeps working for this visit and
//! logs why, rather than failing.

use leptos::prelude::window;
use serde::{Serialize, de::DeserializeOwned};

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage()?.get_item(key).ok().flatten()?;
    match serde_json::from_str(&text) {
        Ok(value) => Some(value),
        Err(error) => {
            log::warn!("ignoring unreadable stored value {key}: {error}");
            None
        }
    }
}

pub fn set<T: Serialize>(key: &str, value: &T) {
    let Some(storage) = storage() else { return };
    match serde_json::to_string(value) {
        Ok(text) => {
            if let Err(error) = storage.set_item(key, &text) {
                log::warn!("could not store {key}: {error:?}");
            }
        }
        Err(error) => log::warn!("could not encode {key}: {error}"),
    }
}

/// Keys that start with `prefix`, for listing drafts.
pub fn keys_with_prefix(prefix: &str) -> Vec<String> {
    let Some(storage) = storage() else {
        return Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(prefix))
        .collect()
}

pub fn remove(key: &str) {
    if let Some(storage) = storage()
        && let Err(error) = storage.remove_item(key)
    {
        log::warn!("could not remove {key}: {error:?}");
    }
}
