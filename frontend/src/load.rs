//! A value that arrives later (an answer from the server, the outbox, the speech engine), as a
//! plain signal: `None` until it arrives, refreshed whenever a signal read while starting the
//! work changes. Lighter in the wasm than Leptos' resources, which the first download feels.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

pub fn load<T, F>(start: impl Fn() -> F + 'static) -> ReadSignal<Option<T>, LocalStorage>
where
    T: 'static,
    F: Future<Output = T> + 'static,
{
    let (value, set_value) = signal_local(None::<T>);
    // A later start may finish first; only the newest result is kept.
    let generation = StoredValue::new(0u64);
    Effect::new(move || {
        let work = start();
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        spawn_local(async move {
            let result = work.await;
            if generation.try_get_value() == Some(mine) {
                set_value.try_set(Some(result));
            }
        });
    });
    value
}
