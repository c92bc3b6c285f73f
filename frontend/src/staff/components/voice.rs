//! Playing a voice comment in the page: an `<audio>` cannot send the login's token, so the
//! recording is fetched with it and played from a `blob:` URL.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::i18n::use_i18n;
use crate::staff::api;
use crate::staff::auth::use_auth;

/// What the play button does: fetches response `id`'s recording into `audio` (its URL), or
/// says it failed in `problem`.
pub fn play_voice(
    id: Uuid,
    audio: RwSignal<Option<String>>,
    problem: RwSignal<Option<&'static str>>,
) -> impl Fn() + Copy + 'static {
    let i18n = use_i18n();
    let auth = use_auth();
    move || {
        spawn_local(async move {
            match api::voice(auth, id).await {
                Ok(blob) => audio.set(Some(crate::device::object_url(&blob))),
                Err(error) => {
                    log::warn!("voice comment not fetched: {error}");
                    problem.set(Some(i18n.s().staff_attention_failed));
                }
            }
        });
    }
}
