//! Answering a survey, one question per page (DESIGN §5): intro, questions, comment, check your
//! answers, thank-you. The draft is saved on the device after every change; sending puts the
//! response in the outbox, which sends it now or when the signal returns.

mod check;
mod comment;
mod done;
pub mod draft;
mod intro;
mod question;
mod read_aloud;

use std::cell::RefCell;

use domain::records::ExchangeResponse;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

pub use draft::{Assisted, Draft, Step, text};

use crate::{device, later, store};

const DRAFT_PREFIX: &str = "soundings.survey.";
/// Where an earlier version kept surveys handed over on a specialist's phone, in clear; moved
/// into the encrypted store when found.
const ASSISTED_PREFIX: &str = "soundings.assisted.";

thread_local! {
    /// Surveys handed over on a specialist's phone and not sent yet: kept apart,
    /// so the participant app's start page on the same phone never lists them. On the device
    /// they are one draft encrypted with the specialist's key ([`assisted_drafts_key`]), which
    /// logging out removes.
    static ASSISTED: RefCell<Vec<Draft>> = const { RefCell::new(Vec::new()) };
}
const LINKS_KEY: &str = "soundings.links";

fn draft_key(invitation: uuid::Uuid) -> String {
    format!("{DRAFT_PREFIX}{invitation}")
}

/// The draft for an opened invitation: the one saved here if the person started before (their
/// answers and place kept), else a new one.
pub fn resume_or_start(opened: ExchangeResponse, link: Option<&str>) -> Draft {
    let ExchangeResponse {
        access_token,
        survey,
    } = opened;
    let key = draft_key(survey.invitation_id);
    let draft = match store::get::<Draft>(&key) {
        Some(mut saved) if saved.survey.instrument == survey.instrument => {
            // A fresh token and the server's latest view; the person's answers stay.
            saved.access_token = access_token;
            saved.survey = survey;
            saved
        }
        _ => Draft::new(access_token, survey),
    };
    store::set(&key, &draft);
    if let Some(link) = link {
        let mut links: std::collections::BTreeMap<String, uuid::Uuid> =
            store::get(LINKS_KEY).unwrap_or_default();
        links.insert(link.to_owned(), draft.survey.invitation_id);
        store::set(LINKS_KEY, &links);
    }
    draft
}

/// Whether this device has a draft (answered or not) for the invitation.
pub fn has_draft(invitation: uuid::Uuid) -> bool {
    store::get::<Draft>(&draft_key(invitation)).is_some()
}

/// With no signal: the survey this link opened here before, if it did.
pub fn saved_for_link(link: &str) -> Option<Draft> {
    let links: std::collections::BTreeMap<String, uuid::Uuid> = store::get(LINKS_KEY)?;
    store::get(&draft_key(*links.get(link)?))
}

/// Surveys started on this device and not yet sent, for the start page.
pub fn unfinished() -> Vec<Draft> {
    let mut drafts: Vec<Draft> = store::keys_with_prefix(DRAFT_PREFIX)
        .iter()
        .filter_map(|key| store::get::<Draft>(key))
        .filter(|draft| draft.sent_at.is_none())
        .collect();
    drafts.sort_by_key(|d| d.survey.expires_at);
    drafts
}

fn save(draft: &Draft) {
    match &draft.assisted {
        Some(assisted) => {
            let id = draft.survey.invitation_id;
            ASSISTED.with(|a| {
                let mut a = a.borrow_mut();
                a.retain(|d| d.survey.invitation_id != id);
                a.push(draft.clone());
            });
            keep_assisted(assisted.owner);
        }
        None => store::set(&draft_key(draft.survey.invitation_id), draft),
    }
}

/// The device's draft holding `owner`'s handed-over surveys.
fn assisted_drafts_key(owner: uuid::Uuid) -> String {
    format!("assisted:{owner}")
}

/// Keeps `owner`'s handed-over surveys on the device, encrypted with their key.
fn keep_assisted(owner: uuid::Uuid) {
    let mine: Vec<Draft> = ASSISTED.with(|a| {
        a.borrow()
            .iter()
            .filter(|d| d.assisted.as_ref().is_some_and(|x| x.owner == owner))
            .cloned()
            .collect()
    });
    let text = match serde_json::to_string(&mine) {
        Ok(text) => text,
        Err(error) => {
            log::warn!("could not encode the handed-over surveys: {error}");
            return;
        }
    };
    leptos::task::spawn_local(async move {
        let key = assisted_drafts_key(owner);
        let value = JsValue::from_str(&text);
        if let Err(error) = device::put_draft(&key, &value, Some(owner.to_string())).await {
            log::warn!("could not keep the handed-over surveys: {error}");
        }
    });
}

/// Reads `owner`'s handed-over surveys kept on the device (the staff app, before it shows a
/// page), and only theirs. Any an earlier version kept in clear in `localStorage` move into the
/// encrypted store.
pub async fn load_assisted(owner: uuid::Uuid) {
    let kept = device::get_draft(&assisted_drafts_key(owner))
        .await
        .ok()
        .and_then(|value| value.as_string())
        .and_then(|text| serde_json::from_str::<Vec<Draft>>(&text).ok())
        .unwrap_or_default();
    ASSISTED.with(|a| *a.borrow_mut() = kept);
    let mut moved = false;
    for key in store::keys_with_prefix(ASSISTED_PREFIX) {
        if let Some(draft) = store::get::<Draft>(&key)
            && draft.assisted.as_ref().is_some_and(|a| a.owner == owner)
        {
            ASSISTED.with(|a| a.borrow_mut().push(draft));
            store::remove(&key);
            moved = true;
        }
    }
    if moved {
        keep_assisted(owner);
    }
}

/// A survey handed over on this phone and not sent yet, for the episode and survey named.
pub fn assisted_unfinished(episode: uuid::Uuid, instrument: &str) -> Option<Draft> {
    ASSISTED.with(|a| {
        a.borrow()
            .iter()
            .find(|d| {
                d.sent_at.is_none()
                    && d.survey.instrument.key.as_str() == instrument
                    && d.assisted.as_ref().and_then(|a| a.episode_id) == Some(episode)
            })
            .cloned()
    })
}

/// Forgets a handed-over survey (sent, or given up by the specialist).
pub fn forget_assisted(draft: &Draft) {
    let id = draft.survey.invitation_id;
    ASSISTED.with(|a| a.borrow_mut().retain(|d| d.survey.invitation_id != id));
    if let Some(assisted) = &draft.assisted {
        keep_assisted(assisted.owner);
    }
}

/// Logging out of a shared phone: no handed-over survey of anyone's stays (in memory; on the
/// device they go with the person's other drafts and key).
pub fn forget_all_assisted() {
    ASSISTED.with(|a| a.borrow_mut().clear());
    for key in store::keys_with_prefix(ASSISTED_PREFIX) {
        store::remove(&key);
    }
}

/// What the staff app does when a handed-over survey is sent and when the specialist takes the
/// phone back (provided by the staff app; absent on a participant's own phone).
#[derive(Clone, Copy)]
pub struct HandBack {
    pub sent: Callback<Draft>,
    pub back: Callback<()>,
}

/// Where the voice comment waits on the device before it is sent.
fn voice_draft_key(draft: &Draft) -> String {
    format!("voice:{}", draft.response_id)
}

/// Leptos context for the pages of one survey.
#[derive(Debug, Clone, Copy)]
pub struct Flow {
    pub draft: RwSignal<Draft>,
    /// The step shown; changes only when the person moves, so pages are not rebuilt while
    /// they type.
    pub step: Memo<Step>,
}

impl Flow {
    pub fn go(self, step: Step) {
        self.draft.update(|d| d.step = step);
        push_history(step);
    }

    pub fn next(self) {
        let step = self.draft.with_untracked(|d| d.next(d.step));
        self.go(step);
    }

    pub fn back(self) {
        if let Some(step) = self.draft.with_untracked(|d| d.previous(d.step)) {
            self.go(step);
        }
    }
}

pub fn use_flow() -> Flow {
    expect_context::<Flow>()
}

/// Each step is a history entry, so the phone's own back button goes back a question.
fn push_history(step: Step) {
    let Ok(state) = serde_json::to_string(&step) else {
        return;
    };
    if let Ok(history) = window().history() {
        let _ = history.push_state(&JsValue::from_str(&state), "");
    }
}

#[component]
pub fn SurveyFlow(draft: RwSignal<Draft>) -> impl IntoView {
    let step = Memo::new(move |_| draft.with(|d| d.step));
    let flow = Flow { draft, step };
    provide_context(flow);
    // Saved on every change: leaving half-way loses nothing.
    Effect::new(move || draft.with(save));
    // Read aloud with no signal later: the clips of the language shown, kept on the phone.
    let i18n = crate::i18n::use_i18n();
    let clip_language = Memo::new(move |_| draft.with(|d| d.content_language(i18n.lang().code())));
    Effect::new(move || {
        let lang = clip_language.get();
        let instrument = draft.with_untracked(|d| d.instrument().clone());
        leptos::task::spawn_local(read_aloud::keep_clips_offline(instrument, lang));
    });

    let popstate = window_event_listener(leptos::ev::popstate, move |ev| {
        let step = ev
            .state()
            .as_string()
            .and_then(|s| serde_json::from_str::<Step>(&s).ok());
        if let Some(step) = step
            && draft.with_untracked(|d| d.sent_at.is_none())
        {
            draft.update(|d| d.step = step);
        }
    });
    on_cleanup(move || popstate.remove());
    if let Ok(history) = window().history()
        && let Ok(state) = serde_json::to_string(&step.get_untracked())
    {
        let _ = history.replace_state(&JsValue::from_str(&state), "");
    }

    // Once a question shows (not before: the first question waits for nothing else), the pages
    // after the questions are fetched while the person answers, so they are here if the signal
    // goes before the service worker has kept them; tried again at each page until they are.
    let end_fetched = StoredValue::new(false);
    Effect::new(move || {
        if step.get() == Step::Intro || end_fetched.get_value() {
            return;
        }
        leptos::task::spawn_local(async move {
            match fetch_survey_end().await {
                Ok(()) => end_fetched.set_value(true),
                Err(_) => log::warn!("the survey's last pages could not be fetched yet"),
            }
        });
    });

    move || match step.get() {
        Step::Intro => view! { <intro::Intro /> }.into_any(),
        Step::Question(index) => view! { <question::Question index /> }.into_any(),
        Step::Comment => later::page(comment_page).into_any(),
        Step::Check => later::page(check_page).into_any(),
        Step::Done => later::page(done_page).into_any(),
    }
}

// The pages after the questions, in a chunk of their own (see `later`).
later::split_page!(
    survey_end,
    fetch = fetch_survey_end,
    fn comment_page() -> AnyView {
        view! { <comment::Comment /> }.into_any()
    }
);

later::split_page!(
    survey_end,
    fn check_page() -> AnyView {
        view! { <check::Check /> }.into_any()
    }
);

later::split_page!(
    survey_end,
    fn done_page() -> AnyView {
        view! { <done::Done /> }.into_any()
    }
);
