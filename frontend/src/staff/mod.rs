//! The staff app: specialists' field work (caseload, new clients, sessions, assisted surveys,
//! invitations, the outbox) that keeps working with no signal, managers' dashboard and
//! needs-attention list, admins' screens (staff, teams, audit trail, settings, commissioners),
//! and a commissioner's page of the reports shared with them. A second
//! binary (`src/bin/staff.rs`) served under `/staff`. This file is the app's shell: what it
//! provides to every page, and which page each address shows.

mod api;
mod auth;
mod components;
mod offline;
mod pages;
mod route;
mod text;
mod time;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{DisplaySettings, LanguageSwitch};
use crate::i18n::{I18n, tr};
use crate::offline::Outbox;
use crate::offline::outbox::Stopped;
use crate::prefs::Prefs;

use auth::Auth;
use components::nav::{StaffNav, SyncStatus};
use offline::Caseload;
use pages::{
    actions, admin, assisted, attention, caseload, client, dashboard, journey, login, new_client,
    outbox, reports, session_form, shared, swemwbs,
};
use route::{Route, Router};

#[component]
pub fn StaffApp() -> impl IntoView {
    let i18n = I18n::provide();
    Prefs::provide();
    crate::offline::start();
    let outbox = Outbox::provide();
    let auth = Auth::provide(outbox);
    let caseload = Caseload::provide(auth.me_untracked().map(|m| m.id));
    offline::ShellKept::provide();
    let router = Router::provide();
    let handed_over = assisted::HandedOver(RwSignal::new(false));
    provide_context(handed_over);

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
        // Not before the device's copy is read, which the fetch would otherwise overwrite.
        // A commissioner has no caseload (the API refuses them one).
        let staff = auth.me_untracked().is_some_and(|m| m.role.is_staff());
        if caseload.ready() && staff {
            offline::fetch::caseload(auth, caseload);
        }
    });

    // Who is logged in, not their tokens: a token refresh must not rebuild the page being filled.
    let logged_in = Memo::new(move |_| auth.me().map(|m| m.id));
    let is_manager = Memo::new(move |_| auth.is_manager());
    let is_admin = Memo::new(move |_| auth.is_admin());
    let is_commissioner = Memo::new(move |_| auth.is_commissioner());
    // The app's own start (`/staff/`) is a commissioner's page for a commissioner.
    Effect::new(move || {
        if is_commissioner.get() && router.route() == Route::Caseload {
            router.replace(Route::Shared);
        }
    });

    view! {
        <a href="#main" class="skip-link">{tr(|t| t.skip_to_content)}</a>
        <header class="masthead">
            <p class="app-name">
                // The person holding the phone sees the app they would see on their own; a
                // commissioner, outside the service, is not told it is the staff's.
                {move || {
                    if handed_over.0.get() {
                        i18n.t().app_name
                    } else if is_commissioner.get() {
                        i18n.s().staff_app_name_commissioners
                    } else {
                        i18n.s().staff_app_name
                    }
                }}
            </p>
            <div class="masthead-tools">
                <DisplaySettings />
                <LanguageSwitch />
            </div>
        </header>
        <Show when=move || logged_in.get().is_some() && !handed_over.0.get()>
            <StaffNav />
            // A commissioner records nothing on the device: nothing waits to be sent.
            <Show when=move || !is_commissioner.get()>
                <SyncStatus />
            </Show>
        </Show>
        <main id="main" class="content staff-content" tabindex="-1">
            {move || {
                if logged_in.get().is_none() {
                    return view! { <login::LoginPage /> }.into_any();
                }
                // Reading the caseload kept on the device takes a moment.
                if !caseload.ready() {
                    return ().into_any();
                }
                let access = Access { manager: is_manager, admin: is_admin, commissioner: is_commissioner };
                page(router.route(), access)
            }}
        </main>
    }
}

/// What the person logged in may open.
#[derive(Clone, Copy)]
struct Access {
    manager: Memo<bool>,
    admin: Memo<bool>,
    commissioner: Memo<bool>,
}

/// The page an address shows. Managers' pages show anyone else their caseload; the admin
/// screens tell anyone the API would refuse that they have no access. A commissioner (outside
/// the service) opens their own page and nothing else.
fn page(route: Route, access: Access) -> AnyView {
    let is_manager = access.manager;
    if access.commissioner.get() {
        return match route {
            Route::Shared => view! { <shared::SharedPage /> }.into_any(),
            // The app's start: moved to their page at once (the effect in `StaffApp`).
            Route::Caseload => ().into_any(),
            _ => view! { <admin::NoAccess /> }.into_any(),
        };
    }
    let refused = (route.admin_only() && !access.admin.get())
        || (route.managers_read() && !is_manager.get())
        || route.commissioners_only();
    if refused {
        return view! { <admin::NoAccess /> }.into_any();
    }
    match route {
        Route::Caseload => view! { <caseload::CaseloadPage /> }.into_any(),
        Route::NewClient => view! { <new_client::NewClientPage /> }.into_any(),
        Route::Client(id) => view! { <client::ClientPage id /> }.into_any(),
        Route::NewSession(id) => view! { <session_form::SessionPage episode=id /> }.into_any(),
        Route::EditSession(id) => view! { <session_form::EditSessionPage session=id /> }.into_any(),
        Route::Swemwbs(id) => view! { <swemwbs::SwemwbsPage episode=id /> }.into_any(),
        Route::NewReferral(id) => {
            view! { <journey::new_referral::NewReferralPage participant=id /> }.into_any()
        }
        Route::StartSupport(id) => {
            view! { <journey::new_referral::StartSupportPage referral=id /> }.into_any()
        }
        Route::NewJob(id) => view! { <journey::job::NewJobPage episode=id /> }.into_any(),
        Route::EndJob(id) => view! { <journey::job_end::EndJobPage job=id /> }.into_any(),
        Route::EndSupport(id) => {
            view! { <journey::support_end::EndSupportPage episode=id /> }.into_any()
        }
        Route::Profile(id) => view! { <journey::profile::ProfilePage episode=id /> }.into_any(),
        Route::Ask(id, ask) => view! { <assisted::AskPage participant=id ask /> }.into_any(),
        Route::Outbox => view! { <outbox::OutboxPage /> }.into_any(),
        Route::Dashboard if is_manager.get() => view! { <dashboard::DashboardPage /> }.into_any(),
        Route::Attention if is_manager.get() => view! { <attention::AttentionPage /> }.into_any(),
        Route::Reports if is_manager.get() => view! { <reports::ReportsPage /> }.into_any(),
        Route::Reports => view! { <admin::NoAccess /> }.into_any(),
        Route::Dashboard | Route::Attention => view! { <caseload::CaseloadPage /> }.into_any(),
        Route::AdminStaff => view! { <admin::staff::StaffPage /> }.into_any(),
        Route::AdminStaffMember(id) => view! { <admin::staff::StaffMemberPage id /> }.into_any(),
        Route::AdminTeams => view! { <admin::teams::TeamsPage /> }.into_any(),
        Route::AdminAudit => view! { <admin::audit::AuditPage /> }.into_any(),
        Route::AdminSettings => view! { <admin::settings::SettingsPage /> }.into_any(),
        Route::AdminTranslations => view! { <admin::translations::TranslationsPage /> }.into_any(),
        Route::AdminCommissioners => {
            view! { <admin::commissioners::CommissionersPage /> }.into_any()
        }
        Route::Shared => view! { <admin::NoAccess /> }.into_any(),
        Route::Actions if is_manager.get() => view! { <actions::ActionsPage /> }.into_any(),
        Route::Actions => view! { <admin::NoAccess /> }.into_any(),
    }
}
