//! The staff app: specialists' field work (caseload, new clients, sessions, assisted surveys,
//! invitations, the outbox) that keeps working with no signal, and managers' dashboard and
//! needs-attention list. A second binary (`src/bin/staff.rs`) served under `/staff`.

mod api;
mod auth;
mod components;
mod offline;
mod pages;

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::components::{DisplaySettings, LanguageSwitch};
use crate::i18n::{I18n, StaffMessages, fill, tr, use_i18n};
use crate::offline::outbox::Stopped;
use crate::offline::{Outbox, use_outbox};
use crate::prefs::Prefs;

use auth::{Auth, use_auth};
use offline::cache::Caseload;
use pages::{
    assisted, attention, caseload, client, dashboard, login, outbox, session_form, swemwbs,
};

/// A page of the staff app, one per path under `/staff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Caseload,
    NewClient,
    Client(Uuid),
    NewSession(Uuid),
    EditSession(Uuid),
    Swemwbs(Uuid),
    /// A survey handed to the client on this phone: the participant and which survey.
    Ask(Uuid, assisted::Ask),
    Outbox,
    Dashboard,
    Attention,
}

impl Route {
    pub fn path(&self) -> String {
        match self {
            Route::Caseload => "/staff/".to_owned(),
            Route::NewClient => "/staff/clients/new".to_owned(),
            Route::Client(id) => format!("/staff/clients/{id}"),
            Route::NewSession(id) => format!("/staff/episodes/{id}/session"),
            Route::EditSession(id) => format!("/staff/sessions/{id}/edit"),
            Route::Swemwbs(id) => format!("/staff/episodes/{id}/swemwbs"),
            Route::Ask(id, ask) => format!("/staff/clients/{id}/ask/{}", ask.as_str()),
            Route::Outbox => "/staff/outbox".to_owned(),
            Route::Dashboard => "/staff/dashboard".to_owned(),
            Route::Attention => "/staff/attention".to_owned(),
        }
    }

    pub fn parse(path: &str) -> Route {
        let parts: Vec<&str> = path
            .trim_start_matches("/staff")
            .split('/')
            .filter(|p| !p.is_empty())
            .collect();
        let id = |s: &str| Uuid::parse_str(s).ok();
        match parts.as_slice() {
            ["clients", "new"] => Route::NewClient,
            ["clients", x] => id(x).map_or(Route::Caseload, Route::Client),
            ["clients", x, "ask", what] => match (id(x), assisted::Ask::parse(what)) {
                (Some(id), Some(ask)) => Route::Ask(id, ask),
                _ => Route::Caseload,
            },
            ["episodes", x, "session"] => id(x).map_or(Route::Caseload, Route::NewSession),
            ["sessions", x, "edit"] => id(x).map_or(Route::Caseload, Route::EditSession),
            ["episodes", x, "swemwbs"] => id(x).map_or(Route::Caseload, Route::Swemwbs),
            ["outbox"] => Route::Outbox,
            ["dashboard"] => Route::Dashboard,
            ["attention"] => Route::Attention,
            _ => Route::Caseload,
        }
    }
}

/// [`crate::i18n::tr`] for the staff app's own texts.
pub fn trs(pick: fn(&'static StaffMessages) -> &'static str) -> Signal<&'static str> {
    let i18n = use_i18n();
    Signal::derive(move || pick(i18n.s()))
}

/// [`trs`] for places that take owned text (page headings).
pub fn trs_owned(pick: fn(&'static StaffMessages) -> &'static str) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || pick(i18n.s()).to_owned())
}

/// Moves between pages with the browser's history, so Back works as people expect.
#[derive(Debug, Clone, Copy)]
pub struct Router(RwSignal<Route>);

impl Router {
    pub fn go(self, route: Route) {
        if let Ok(history) = window().history()
            && let Err(error) =
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&route.path()))
        {
            log::warn!("could not change the address: {error:?}");
        }
        self.0.set(route);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    pub fn route(self) -> Route {
        self.0.get()
    }
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

/// A link to a page of the app: a real `href` (open in a new tab works), handled in the page.
#[component]
pub fn Link(
    route: Route,
    children: Children,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let router = use_router();
    let href = route.path();
    view! {
        <a
            href=href
            class=class
            on:click=move |ev| {
                if !ev.ctrl_key() && !ev.meta_key() && !ev.shift_key() {
                    ev.prevent_default();
                    router.go(route.clone());
                }
            }
        >
            {children()}
        </a>
    }
}

/// The device's clock (chrono's own clock is not wired to the browser's).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

fn current_path() -> String {
    window()
        .location()
        .pathname()
        .unwrap_or_else(|_| "/staff/".to_owned())
}

#[component]
pub fn StaffApp() -> impl IntoView {
    let i18n = I18n::provide();
    Prefs::provide();
    crate::offline::start();
    let outbox = Outbox::provide();
    let auth = Auth::provide(outbox);
    let caseload = Caseload::provide(auth.me_untracked().map(|m| m.id));
    let router = Router(RwSignal::new(Route::parse(&current_path())));
    provide_context(router);
    let handed_over = assisted::HandedOver(RwSignal::new(false));
    provide_context(handed_over);
    // A survey's own history entries keep the address: only a real change of page rebuilds it.
    let popstate = window_event_listener(leptos::ev::popstate, move |_| {
        let route = Route::parse(&current_path());
        if router.0.get_untracked() != route {
            router.0.set(route);
        }
    });
    on_cleanup(move || popstate.remove());

    // An access token lives minutes: when a sync stops for the login, refresh it and carry on.
    Effect::new(move || {
        if outbox.stopped() == Some(Stopped::Login) {
            spawn_local(async move {
                if let Err(error) = auth.refresh().await {
                    log::info!("login not refreshed: {error}");
                }
            });
        }
    });
    // The caseload is fetched at every start and after every sync while online.
    Effect::new(move || {
        let _ = outbox.synced();
        if auth.me_untracked().is_some() {
            caseload::fetch(auth, caseload);
        }
    });

    // Who is logged in, not their tokens: a token refresh must not rebuild the page being filled.
    let logged_in = Memo::new(move |_| auth.me().map(|m| m.id));
    let is_manager = Memo::new(move |_| auth.is_manager());

    view! {
        <a href="#main" class="skip-link">{tr(|t| t.skip_to_content)}</a>
        <header class="masthead">
            <p class="app-name">
                // The person holding the phone sees the app they would see on their own.
                {move || if handed_over.0.get() { i18n.t().app_name } else { i18n.s().staff_app_name }}
            </p>
            <div class="masthead-tools">
                <DisplaySettings />
                <LanguageSwitch />
            </div>
        </header>
        <Show when=move || logged_in.get().is_some() && !handed_over.0.get()>
            <StaffNav />
            <SyncStatus />
        </Show>
        <main id="main" class="content staff-content" tabindex="-1">
            {move || {
                if logged_in.get().is_none() {
                    return view! { <login::LoginPage /> }.into_any();
                }
                match router.route() {
                    Route::Caseload => view! { <caseload::CaseloadPage /> }.into_any(),
                    Route::NewClient => view! { <client::NewClientPage /> }.into_any(),
                    Route::Client(id) => view! { <client::ClientPage id /> }.into_any(),
                    Route::NewSession(id) => view! { <session_form::SessionPage episode=id /> }.into_any(),
                    Route::EditSession(id) => view! { <session_form::EditSessionPage session=id /> }.into_any(),
                    Route::Swemwbs(id) => view! { <swemwbs::SwemwbsPage episode=id /> }.into_any(),
                    Route::Ask(id, ask) => view! { <assisted::AskPage participant=id ask /> }.into_any(),
                    Route::Outbox => view! { <outbox::OutboxPage /> }.into_any(),
                    Route::Dashboard if is_manager.get() => view! { <dashboard::DashboardPage /> }.into_any(),
                    Route::Attention if is_manager.get() => view! { <attention::AttentionPage /> }.into_any(),
                    Route::Dashboard | Route::Attention => view! { <caseload::CaseloadPage /> }.into_any(),
                }
            }}
        </main>
    }
}

#[component]
fn StaffNav() -> impl IntoView {
    let auth = use_auth();
    let router = use_router();
    let current = move |r: Route| move || (router.route() == r).then_some("page");
    view! {
        <nav class="staff-nav" aria-label=trs(|t| t.staff_nav_label)>
            <ul class="staff-nav-list">
                <Show when=move || auth.is_manager()>
                    <li>
                        <a href="/staff/dashboard" aria-current=current(Route::Dashboard) on:click=move |ev| {
                            ev.prevent_default();
                            router.go(Route::Dashboard);
                        }>{trs(|t| t.staff_nav_dashboard)}</a>
                    </li>
                    <li>
                        <a href="/staff/attention" aria-current=current(Route::Attention) on:click=move |ev| {
                            ev.prevent_default();
                            router.go(Route::Attention);
                        }>{trs(|t| t.staff_nav_attention)}</a>
                    </li>
                </Show>
                <li>
                    <a href="/staff/" aria-current=current(Route::Caseload) on:click=move |ev| {
                        ev.prevent_default();
                        router.go(Route::Caseload);
                    }>{trs(|t| t.staff_nav_caseload)}</a>
                </li>
                <li>
                    <a href="/staff/outbox" aria-current=current(Route::Outbox) on:click=move |ev| {
                        ev.prevent_default();
                        router.go(Route::Outbox);
                    }>{trs(|t| t.staff_nav_outbox)}</a>
                </li>
            </ul>
            <p class="staff-who">
                {move || auth.me().map(|m| m.name).unwrap_or_default()}
            </p>
        </nav>
    }
}

/// Always in view: how many of this person's records wait, and when the server last took some.
#[component]
fn SyncStatus() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let auth = use_auth();
    let waiting = move || outbox.summary().waiting;
    let last = move || {
        outbox
            .summary()
            .last_sync
            .map(outbox::time_of)
            .unwrap_or_else(|| i18n.s().staff_never.to_owned())
    };
    view! {
        <div class="staff-sync" role="status" data-waiting=move || waiting().to_string()>
            <Show when=move || auth.me().is_some()>
                <p>
                    {move || fill(i18n.s().staff_sync_waiting, &[("n", &waiting().to_string())])}
                    " · "
                    {move || fill(i18n.s().staff_sync_last, &[("when", &last())])}
                </p>
                <Show when=move || outbox.stopped() == Some(Stopped::Offline)>
                    <p class="staff-offline">{trs(|t| t.staff_offline)}</p>
                </Show>
            </Show>
        </div>
    }
}

/// Pages share this to show a caseload lookup that failed.
pub fn not_found_view() -> impl IntoView {
    view! {
        <crate::components::PageHeading text=trs_owned(|t| t.staff_not_found) />
        <p>
            <Link route=Route::Caseload>{trs(|t| t.staff_back_to_caseload)}</Link>
        </p>
    }
}

/// One radio button of a choice kept in a string signal (the staff forms' choices).
fn radio(
    name: &'static str,
    value: &'static str,
    label: &'static str,
    signal: RwSignal<String>,
) -> impl IntoView {
    let id = format!("{name}-{value}");
    view! {
        <div class="radio">
            <input
                type="radio"
                id=id.clone()
                name=name
                value=value
                prop:checked=move || signal.get() == value
                on:change=move |_| signal.set(value.to_owned())
            />
            <label for=id>{label}</label>
        </div>
    }
}

/// When in support a SWEMWBS form belongs to: start, review or end (radio names `{name}-…`).
fn timing_choice(name: &'static str, signal: RwSignal<String>) -> impl IntoView {
    let t = use_i18n().s();
    view! {
        <fieldset class="fieldset">
            <legend class="legend">{trs(|t| t.staff_timing)}</legend>
            <div class="radios">
                {radio(name, "start", t.staff_timing_start, signal)}
                {radio(name, "review", t.staff_timing_review, signal)}
                {radio(name, "end", t.staff_timing_end, signal)}
            </div>
        </fieldset>
    }
}
