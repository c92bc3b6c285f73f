//! What a person sees when a link or code cannot be opened: never a blank screen, always what
//! happened in plain words and what to do next.

use domain::records::ExchangeRequest;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::app::{Screen, use_navigator};
use crate::components::PageHeading;
use crate::i18n::{Messages, tr, use_i18n};
use crate::link::Link;
use crate::pages::CodeError;

/// What "Try again" does.
#[derive(Debug, Clone)]
pub enum Retry {
    /// Open an invitation (by link token or short code) again.
    Open(ExchangeRequest, Option<String>),
    /// Follow a results or unsubscribe link again.
    Link(Link),
}

#[derive(Debug, Clone)]
pub enum Problem {
    /// No invitation has that token or code (made up, mistyped, or erased).
    NotFound,
    /// Expired, withdrawn, or already closed.
    Closed,
    /// Answered already, from another device (this device would show its own thank-you).
    AlreadyAnswered,
    TooManyTries,
    /// No signal, and this device has not opened the survey before.
    Offline(Retry),
    Unknown(Retry),
}

impl Problem {
    pub fn from_error(error: &ApiError, retry: Retry) -> Problem {
        log::info!("invitation not opened: {error}");
        match error.status() {
            Some(404 | 400 | 401 | 403) => Problem::NotFound,
            Some(410) => Problem::Closed,
            Some(429) => Problem::TooManyTries,
            _ => Problem::Unknown(retry),
        }
    }

    /// The same refusal said beside the code field, when the person typed the code.
    pub fn code_error(&self) -> Option<CodeError> {
        match self {
            Problem::NotFound => Some(CodeError::NotFound),
            Problem::Closed => Some(CodeError::Closed),
            Problem::TooManyTries => Some(CodeError::TooManyTries),
            _ => None,
        }
    }

    fn texts(&self, t: &'static Messages) -> (&'static str, &'static str) {
        match self {
            Problem::NotFound => (t.problem_not_found_title, t.problem_not_found_body),
            Problem::Closed => (t.problem_closed_title, t.problem_closed_body),
            Problem::AlreadyAnswered => (t.problem_answered_title, t.problem_answered_body),
            Problem::TooManyTries => (t.problem_throttled_title, t.problem_throttled_body),
            Problem::Offline(_) => (t.problem_offline_title, t.problem_offline_body),
            Problem::Unknown(_) => (t.problem_unknown_title, t.problem_unknown_body),
        }
    }

    /// Exposed as `data-problem` for styling and tests.
    fn name(&self) -> &'static str {
        match self {
            Problem::NotFound => "not-found",
            Problem::Closed => "closed",
            Problem::AlreadyAnswered => "already-answered",
            Problem::TooManyTries => "too-many-tries",
            Problem::Offline(_) => "offline",
            Problem::Unknown(_) => "unknown",
        }
    }

    fn retry(&self) -> Option<Retry> {
        match self {
            Problem::Offline(retry) | Problem::Unknown(retry) => Some(retry.clone()),
            _ => None,
        }
    }
}

#[component]
pub fn ProblemPage(problem: Problem) -> impl IntoView {
    let i18n = use_i18n();
    let navigator = use_navigator();
    let name = problem.name();
    let retry = problem.retry();
    let texts = move || problem.texts(i18n.t());
    let (title, body) = (texts.clone(), texts);
    view! {
        <section class="problem" data-problem=name>
            <PageHeading text=Signal::derive(move || title().0.to_owned()) />
            <p class="lead">{move || body().1}</p>
            {retry
                .map(|retry| {
                    view! {
                        <button
                            type="button"
                            class="button"
                            on:click=move |_| match retry.clone() {
                                Retry::Open(request, link) => navigator.open(request, link),
                                Retry::Link(link) => navigator.follow(link),
                            }
                        >
                            {tr(|t| t.try_again)}
                        </button>
                    }
                })}
            <p>
                <button
                    type="button"
                    class="link-button"
                    on:click=move |_| navigator.show(Screen::Start(Default::default()))
                >
                    {tr(|t| t.enter_code_instead)}
                </button>
            </p>
        </section>
    }
}
