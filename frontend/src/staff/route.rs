//! The staff app's pages as addresses under `/staff`, and moving between them with the
//! browser's history, so Back works as people expect.

use leptos::prelude::*;
use uuid::Uuid;

use super::pages::assisted::Ask;

/// A page of the staff app, one per path under `/staff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Caseload,
    NewClient,
    Client(Uuid),
    NewSession(Uuid),
    EditSession(Uuid),
    Swemwbs(Uuid),
    /// A journey's steps: a referral for a client, a job and its end, the support end, and
    /// the vocational profile's start, each by the id of what it belongs to.
    NewReferral(Uuid),
    StartSupport(Uuid),
    NewJob(Uuid),
    EndJob(Uuid),
    EndSupport(Uuid),
    Profile(Uuid),
    /// A survey handed to the client on this phone: the participant and which survey.
    Ask(Uuid, Ask),
    Outbox,
    Dashboard,
    Attention,
    /// The quality reports: publish one, and the published ones.
    Reports,
    /// A commissioner's home: the reports of the organisations that share with them.
    Shared,
    /// The admin screens: staff accounts (and one account), teams, the audit trail, settings.
    AdminStaff,
    AdminStaffMember(Uuid),
    AdminTeams,
    AdminAudit,
    AdminSettings,
    /// SWEMWBS's official translations (admins load them, managers read).
    AdminTranslations,
    /// The commissioners the organisation shares its reports with (admins).
    AdminCommissioners,
    /// "You said, we did": the actions managers write about what people said.
    Actions,
}

impl Route {
    /// Whether only admins may open the page: the audit trail, changing an account and
    /// sharing reports with commissioners.
    pub fn admin_only(&self) -> bool {
        matches!(
            self,
            Route::AdminStaffMember(_) | Route::AdminAudit | Route::AdminCommissioners
        )
    }

    /// Whether only a commissioner may open the page (the API answers no one else there).
    pub fn commissioners_only(&self) -> bool {
        matches!(self, Route::Shared)
    }

    /// Whether managers may read the page (as the API lets them) and admins change it.
    pub fn managers_read(&self) -> bool {
        matches!(
            self,
            Route::AdminStaff | Route::AdminTeams | Route::AdminSettings | Route::AdminTranslations
        )
    }

    pub fn path(&self) -> String {
        match self {
            Route::Caseload => "/staff/".to_owned(),
            Route::NewClient => "/staff/clients/new".to_owned(),
            Route::Client(id) => format!("/staff/clients/{id}"),
            Route::NewSession(id) => format!("/staff/episodes/{id}/session"),
            Route::EditSession(id) => format!("/staff/sessions/{id}/edit"),
            Route::Swemwbs(id) => format!("/staff/episodes/{id}/swemwbs"),
            Route::NewReferral(id) => format!("/staff/clients/{id}/referral"),
            Route::StartSupport(id) => format!("/staff/referrals/{id}/start"),
            Route::NewJob(id) => format!("/staff/episodes/{id}/job"),
            Route::EndJob(id) => format!("/staff/jobs/{id}/end"),
            Route::EndSupport(id) => format!("/staff/episodes/{id}/end"),
            Route::Profile(id) => format!("/staff/episodes/{id}/profile"),
            Route::Ask(id, ask) => format!("/staff/clients/{id}/ask/{}", ask.as_str()),
            Route::Outbox => "/staff/outbox".to_owned(),
            Route::Dashboard => "/staff/dashboard".to_owned(),
            Route::Attention => "/staff/attention".to_owned(),
            Route::Reports => "/staff/reports".to_owned(),
            Route::Shared => "/staff/shared".to_owned(),
            Route::AdminStaff => "/staff/admin/staff".to_owned(),
            Route::AdminStaffMember(id) => format!("/staff/admin/staff/{id}"),
            Route::AdminTeams => "/staff/admin/teams".to_owned(),
            Route::AdminAudit => "/staff/admin/audit".to_owned(),
            Route::AdminSettings => "/staff/admin/settings".to_owned(),
            Route::AdminTranslations => "/staff/admin/swemwbs-translations".to_owned(),
            Route::AdminCommissioners => "/staff/admin/commissioners".to_owned(),
            Route::Actions => "/staff/actions".to_owned(),
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
            ["clients", x, "ask", what] => match (id(x), Ask::parse(what)) {
                (Some(id), Some(ask)) => Route::Ask(id, ask),
                _ => Route::Caseload,
            },
            ["episodes", x, "session"] => id(x).map_or(Route::Caseload, Route::NewSession),
            ["sessions", x, "edit"] => id(x).map_or(Route::Caseload, Route::EditSession),
            ["episodes", x, "swemwbs"] => id(x).map_or(Route::Caseload, Route::Swemwbs),
            ["clients", x, "referral"] => id(x).map_or(Route::Caseload, Route::NewReferral),
            ["referrals", x, "start"] => id(x).map_or(Route::Caseload, Route::StartSupport),
            ["episodes", x, "job"] => id(x).map_or(Route::Caseload, Route::NewJob),
            ["jobs", x, "end"] => id(x).map_or(Route::Caseload, Route::EndJob),
            ["episodes", x, "end"] => id(x).map_or(Route::Caseload, Route::EndSupport),
            ["episodes", x, "profile"] => id(x).map_or(Route::Caseload, Route::Profile),
            ["outbox"] => Route::Outbox,
            ["dashboard"] => Route::Dashboard,
            ["attention"] => Route::Attention,
            ["reports"] => Route::Reports,
            ["shared"] => Route::Shared,
            ["admin", "staff"] => Route::AdminStaff,
            ["admin", "staff", x] => id(x).map_or(Route::AdminStaff, Route::AdminStaffMember),
            ["admin", "teams"] => Route::AdminTeams,
            ["admin", "audit"] => Route::AdminAudit,
            ["admin", "settings"] => Route::AdminSettings,
            ["admin", "swemwbs-translations"] => Route::AdminTranslations,
            ["admin", "commissioners"] => Route::AdminCommissioners,
            ["actions"] => Route::Actions,
            _ => Route::Caseload,
        }
    }
}

/// Moves between pages with the browser's history, so Back works as people expect.
#[derive(Debug, Clone, Copy)]
pub struct Router(RwSignal<Route>);

impl Router {
    /// Starts on the page the address names and follows Back and Forward; call once, from the
    /// app.
    pub fn provide() -> Router {
        let router = Router(RwSignal::new(Route::parse(&current_path())));
        provide_context(router);
        // A survey's own history entries keep the address: only a real change of page rebuilds it.
        let popstate = window_event_listener(leptos::ev::popstate, move |_| {
            let route = Route::parse(&current_path());
            if router.0.get_untracked() != route {
                router.0.set(route);
            }
        });
        on_cleanup(move || popstate.remove());
        router
    }

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

    /// Shows `route` in place of the current page, without a new history entry (Back does
    /// not return to the address it replaces).
    pub fn replace(self, route: Route) {
        if let Ok(history) = window().history()
            && let Err(error) = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&route.path()),
            )
        {
            log::warn!("could not change the address: {error:?}");
        }
        self.0.set(route);
    }

    pub fn route(self) -> Route {
        self.0.get()
    }
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

fn current_path() -> String {
    window()
        .location()
        .pathname()
        .unwrap_or_else(|_| "/staff/".to_owned())
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

#[cfg(test)]
mod tests {
    use super::Route;
    use uuid::Uuid;

    #[test]
    fn admin_addresses_open_their_page_and_say_who_may_open_it() {
        let id = Uuid::from_u128(7);
        for route in [
            Route::AdminStaff,
            Route::AdminStaffMember(id),
            Route::AdminTeams,
            Route::AdminAudit,
            Route::AdminSettings,
            Route::AdminTranslations,
            Route::AdminCommissioners,
        ] {
            assert_eq!(Route::parse(&route.path()), route);
            // Each is either for admins alone or read by managers too, never both or neither.
            assert_ne!(route.admin_only(), route.managers_read(), "{route:?}");
        }
        assert!(Route::AdminAudit.admin_only());
        assert!(Route::AdminStaffMember(id).admin_only());
        assert!(Route::AdminSettings.managers_read());
        assert!(Route::AdminTranslations.managers_read());
        assert_eq!(Route::parse("/staff/admin/staff/nope"), Route::AdminStaff);
        assert!(!Route::Dashboard.admin_only() && !Route::Dashboard.managers_read());
        assert!(Route::AdminCommissioners.admin_only());
    }

    #[test]
    fn a_commissioner_s_page_has_its_own_address_and_is_theirs_alone() {
        assert_eq!(Route::parse(&Route::Shared.path()), Route::Shared);
        assert!(Route::Shared.commissioners_only());
        assert!(!Route::Shared.admin_only() && !Route::Shared.managers_read());
        assert!(!Route::Reports.commissioners_only());
    }
}
