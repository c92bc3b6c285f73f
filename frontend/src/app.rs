//! The participant app: a survey opened from an invitation link (the token after `#`), a short
//! code typed in, or a survey left half-way on this device. No password, no account.

use domain::feedback::ResultsSession;
use domain::records::{Accessibility, ExchangeRequest, Language};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::{DisplaySettings, LanguageSwitch, OutboxStatus, ServiceStatus};
use crate::i18n::{I18n, Lang, tr};
use crate::later;
use crate::link::{Link, take_link};
use crate::offline::{self, Outbox};
use crate::pages::{
    CodeEntry, Problem, ProblemPage, ResultsPage, Retry, StartPage, UnsubscribedPage,
};
use crate::prefs::Prefs;
use crate::survey::{self, Draft, SurveyFlow};

/// What the app shows.
#[derive(Debug, Clone)]
pub enum Screen {
    Start(CodeEntry),
    Opening,
    Survey(RwSignal<Draft>),
    Results(ResultsSession),
    Unsubscribed,
    Problem(Problem),
}

/// Lets pages move the app between screens. Holds what opening a survey needs, since the
/// opening finishes in a task where the component context is gone.
#[derive(Debug, Clone, Copy)]
pub struct Navigator {
    screen: RwSignal<Screen>,
    i18n: I18n,
    prefs: Prefs,
}

impl Navigator {
    pub fn show(self, screen: Screen) {
        self.screen.set(screen);
    }

    /// Opens an invitation by its link token or short code.
    pub fn open(self, request: ExchangeRequest, link: Option<String>) {
        self.show(Screen::Opening);
        // A code typed on the start page goes back there when refused, kept as typed.
        let typed = match (&request.short_code, &link) {
            (Some(code), None) => Some(code.clone()),
            _ => None,
        };
        spawn_local(async move {
            let screen = match api::open_invitation(&request).await {
                Ok(opened)
                    if opened.survey.invitation_answered
                        && !survey::has_draft(opened.survey.invitation_id) =>
                {
                    Screen::Problem(Problem::AlreadyAnswered)
                }
                Ok(opened) => {
                    let draft = survey::resume_or_start(opened, link.as_deref());
                    self.adopt_preferences(&draft);
                    Screen::Survey(RwSignal::new(draft))
                }
                Err(ApiError::Unreachable(_)) => link
                    .as_deref()
                    .and_then(survey::saved_for_link)
                    .map(|draft| Screen::Survey(RwSignal::new(draft)))
                    .unwrap_or(Screen::Problem(Problem::Offline(Retry::Open(
                        request, link,
                    )))),
                Err(error) => {
                    let problem = Problem::from_error(&error, Retry::Open(request, link));
                    match (typed, problem.code_error()) {
                        (Some(typed), Some(error)) => Screen::Start(CodeEntry {
                            typed,
                            error: Some(error),
                        }),
                        _ => Screen::Problem(problem),
                    }
                }
            };
            self.show(screen);
        });
    }

    /// Follows a link into the app: a survey, results, or an unsubscribe.
    pub fn follow(self, link: Link) {
        let token = match &link {
            Link::Survey(token) => {
                let request = ExchangeRequest {
                    token: Some(token.clone()),
                    short_code: None,
                };
                return self.open(request, Some(token.clone()));
            }
            Link::Results(token) | Link::Unsubscribe(token) => token.clone(),
        };
        self.show(Screen::Opening);
        spawn_local(async move {
            let opened = match &link {
                Link::Results(_) => api::open_results(&token).await.map(|session| {
                    self.adopt(session.language, &session.accessibility);
                    Screen::Results(session)
                }),
                _ => api::unsubscribe(&token).await.map(|done| {
                    self.adopt(done.language, &Default::default());
                    Screen::Unsubscribed
                }),
            };
            let screen = opened.unwrap_or_else(|error| {
                let retry = Retry::Link(link);
                Screen::Problem(match error {
                    ApiError::Unreachable(_) => Problem::Offline(retry),
                    error => Problem::from_error(&error, retry),
                })
            });
            self.show(screen);
        });
    }

    /// The person's recorded needs (language, text size, contrast) set the app up for them.
    fn adopt_preferences(self, draft: &Draft) {
        self.adopt(draft.survey.language, &draft.survey.accessibility);
    }

    fn adopt(self, language: Language, needs: &Accessibility) {
        if let Some(lang) = Lang::from_tag(language.as_str()) {
            self.i18n.set(lang);
        }
        self.prefs.at_least(needs.large_text, needs.high_contrast);
    }
}

pub fn use_navigator() -> Navigator {
    expect_context::<Navigator>()
}

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::provide();
    let prefs = Prefs::provide();
    offline::start();
    Outbox::provide();

    let screen = RwSignal::new(Screen::Start(CodeEntry::default()));
    let navigator = Navigator {
        screen,
        i18n,
        prefs,
    };
    provide_context(navigator);
    // The link's token is read once and removed from the address bar at once, so it is not
    // left in history, bookmarks or a shared screenshot.
    let open_link = move || {
        if let Some(link) = take_link() {
            navigator.follow(link);
        }
    };
    open_link();
    // A second link opened while the app is showing (same page, new `#t=`).
    let hash_change = window_event_listener(leptos::ev::hashchange, move |_| open_link());
    on_cleanup(move || hash_change.remove());

    view! {
        <a href="#main" class="skip-link">{tr(|t| t.skip_to_content)}</a>
        <header class="masthead">
            <p class="app-name">{tr(|t| t.app_name)}</p>
            <div class="masthead-tools">
                <DisplaySettings />
                <LanguageSwitch />
            </div>
        </header>
        <ServiceStatus />
        <OutboxStatus />
        <main id="main" class="content" tabindex="-1">
            {move || match screen.get() {
                Screen::Start(entry) => later::page(move || start_page(entry.clone())).into_any(),
                Screen::Opening => {
                    view! {
                        <p class="opening" role="status">
                            {tr(|t| t.opening)}
                        </p>
                    }
                        .into_any()
                }
                Screen::Survey(draft) => view! { <SurveyFlow draft /> }.into_any(),
                Screen::Results(session) => {
                    later::page(move || results_page(session.clone())).into_any()
                }
                Screen::Unsubscribed => later::page(unsubscribed_page).into_any(),
                Screen::Problem(problem) => view! { <ProblemPage problem /> }.into_any(),
            }}
        </main>
    }
}

// The pages a survey link does not need, kept out of its first download (see `later`).
later::split_page!(
    other_pages,
    fn start_page(entry: CodeEntry) -> AnyView {
        view! { <StartPage entry /> }.into_any()
    }
);

later::split_page!(
    other_pages,
    fn results_page(session: ResultsSession) -> AnyView {
        view! { <ResultsPage session /> }.into_any()
    }
);

later::split_page!(
    other_pages,
    fn unsubscribed_page() -> AnyView {
        view! { <UnsubscribedPage /> }.into_any()
    }
);
