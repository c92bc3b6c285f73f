//! Pages kept out of a survey's first download (issue 19): the question pages come in the main
//! wasm, and the pages after them (comment, check, thank-you) and those a survey link never
//! needs (the code entry, results, unsubscribe) in chunks of their own, cut off by
//! `wasm-split` at build time (scripts/build-frontend) at the functions marked with
//! [`split_page!`]. The problem pages stay in the main wasm: "No signal" must show without one.
//! A chunk is fetched the first time one of its pages shows (the service worker keeps every
//! chunk, so it is there offline), and a survey asks for its remaining pages as soon as its
//! first question shows (`survey::fetch_survey_end`), so losing the signal half-way loses
//! nothing. If a chunk cannot be fetched, the page says so and offers to try again.

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use send_wrapper::SendWrapper;

use crate::components::PageHeading;
use crate::i18n::{tr, tr_owned};

/// Marks `fn name(args) -> AnyView` as the entry of chunk `chunk`: calling it returns a future
/// of `Result<AnyView, SplitLoaderError>` that fetches the chunk first when it is not loaded.
/// With `fetch = NAME`, `NAME()` fetches the chunk without showing anything.
macro_rules! split_page {
    ($chunk:ident, $(fetch = $fetch:ident,)? $(#[$meta:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> AnyView $body:block) => {
        $(#[$meta])*
        #[::leptos::wasm_split::wasm_split(
            $chunk,
            wasm_split_path = ::leptos::wasm_split,
            fallible,
            $(preload($fetch),)?
            return_wrapper(let page = _; { Ok(page) } -> Result<AnyView, ::leptos::wasm_split::SplitLoaderError>)
        )]
        fn $name($($arg: $ty),*) -> AnyView $body
    };
}
pub(crate) use split_page;

/// Shows the page `load` gives once its chunk is here, and "Opening…" while it is fetched (a
/// chunk already here arrives before the browser paints, so that line never flashes); says so,
/// with a button to try again, when the chunk cannot be fetched.
pub fn page<F>(load: impl Fn() -> F + Send + Sync + 'static) -> impl IntoView
where
    F: Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
{
    let attempt = RwSignal::new(0u32);
    let waiting = RwSignal::new(true);
    let page = move || {
        attempt.track();
        waiting.set(true);
        let loading = SendWrapper::new(load());
        Suspend::new(async move {
            let result = loading.await;
            waiting.set(false);
            match result {
                Ok(page) => page,
                Err(error) => {
                    log::warn!("a page could not be fetched: {error}");
                    view! {
                        <section class="problem" data-problem="not-loaded">
                            <PageHeading text=tr_owned(|t| t.page_not_loaded_title) />
                            <p class="lead">{tr(|t| t.page_not_loaded)}</p>
                            <button
                                type="button"
                                class="button"
                                on:click=move |_| attempt.update(|n| *n += 1)
                            >
                                {tr(|t| t.try_again)}
                            </button>
                        </section>
                    }
                    .into_any()
                }
            }
        })
    };
    view! {
        <Show when=move || waiting.get()>
            <p class="opening" role="status">
                {tr(|t| t.opening)}
            </p>
        </Show>
        {page}
    }
}
