//! On every page while logged in: the menu of pages (with an Admin section for managers and
//! admins; a commissioner's has only their page and signing out), and how many of this
//! person's records wait and when the server last took some.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{I18n, fill, use_i18n};
use crate::offline::{Outbox, use_outbox};
use crate::staff::auth::use_auth;
use crate::staff::offline::use_caseload;
use crate::staff::pages::outbox::log_out;
use crate::staff::route::{Route, use_router};
use crate::staff::text::trs;
use crate::staff::time::time_of;

#[component]
pub fn StaffNav() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Show when=move || auth.is_commissioner() fallback=|| view! { <ServiceNav /> }>
            <CommissionerNav />
        </Show>
    }
}

/// A commissioner's menu: their page, and signing out (nothing of theirs waits on the device).
#[component]
fn CommissionerNav() -> impl IntoView {
    let auth = use_auth();
    let caseload = use_caseload();
    let busy = RwSignal::new(false);
    let sign_out = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            log_out(auth, caseload).await;
            busy.set(false);
        });
    };
    view! {
        <nav class="staff-nav" aria-label=trs(|t| t.staff_nav_label)>
            <ul class="staff-nav-list">
                <NavItem route=Route::Shared label=trs(|t| t.staff_nav_shared) />
            </ul>
            <p class="staff-who">
                {move || auth.me().map(|m| m.name).unwrap_or_default()}
            </p>
            <button type="button" class="button button-secondary nav-sign-out" id="sign-out" on:click=sign_out>
                {trs(|t| t.staff_logout)}
            </button>
        </nav>
    }
}

/// The menu of the service's own staff.
#[component]
fn ServiceNav() -> impl IntoView {
    let auth = use_auth();
    view! {
        <nav class="staff-nav" aria-label=trs(|t| t.staff_nav_label)>
            <ul class="staff-nav-list">
                <Show when=move || auth.is_manager()>
                    <NavItem route=Route::Dashboard label=trs(|t| t.staff_nav_dashboard) />
                    <NavItem route=Route::Attention label=trs(|t| t.staff_nav_attention) />
                    <NavItem route=Route::Reports label=trs(|t| t.staff_nav_reports) />
                    <NavItem route=Route::Actions label=trs(|t| t.staff_actions_nav) />
                </Show>
                <NavItem route=Route::Caseload label=trs(|t| t.staff_nav_caseload) />
                <NavItem route=Route::Outbox label=trs(|t| t.staff_nav_outbox) />
            </ul>
            // Managers read staff, teams and settings; only admins change them or read the trail.
            <Show when=move || auth.is_manager()>
                <div class="staff-nav-admin">
                    <h2 class="staff-nav-section" id="nav-admin">{trs(|t| t.staff_nav_admin)}</h2>
                    <ul class="staff-nav-list" aria-labelledby="nav-admin">
                        <NavItem route=Route::AdminStaff label=trs(|t| t.staff_nav_admin_staff) />
                        <NavItem route=Route::AdminTeams label=trs(|t| t.staff_nav_admin_teams) />
                        <Show when=move || auth.is_admin()>
                            <NavItem route=Route::AdminAudit label=trs(|t| t.staff_nav_admin_audit) />
                        </Show>
                        <NavItem route=Route::AdminSettings label=trs(|t| t.staff_nav_admin_settings) />
                        <NavItem route=Route::AdminTranslations label=trs(|t| t.staff_set_tr_nav) />
                        <Show when=move || auth.is_admin()>
                            <NavItem route=Route::AdminCommissioners label=trs(|t| t.staff_nav_admin_commissioners) />
                        </Show>
                    </ul>
                </div>
            </Show>
            <p class="staff-who">
                {move || auth.me().map(|m| m.name).unwrap_or_default()}
            </p>
        </nav>
    }
}

/// One page in the menu, marked as the current one while it is shown.
#[component]
fn NavItem(route: Route, label: Signal<&'static str>) -> impl IntoView {
    let router = use_router();
    let href = route.path();
    let current = {
        let route = route.clone();
        move || (router.route() == route).then_some("page")
    };
    view! {
        <li>
            <a href=href aria-current=current on:click=move |ev| {
                ev.prevent_default();
                router.go(route.clone());
            }>{label}</a>
        </li>
    }
}

/// Always in view: how many of this person's records wait, and when the server last took some.
#[component]
pub fn SyncStatus() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let auth = use_auth();
    let waiting = move || outbox.summary().waiting;
    view! {
        <div class="staff-sync" role="status" data-waiting=move || waiting().to_string()>
            <Show when=move || auth.me().is_some()>
                <p>
                    {move || fill(i18n.s().staff_sync_waiting, &[("n", &waiting().to_string())])}
                    " · "
                    {move || last_sync(i18n, outbox)}
                </p>
                <Show when=move || outbox.no_signal()>
                    <p class="staff-offline">{trs(|t| t.staff_offline)}</p>
                </Show>
            </Show>
        </div>
    }
}

/// When the server last took records from this device, as the sync line says it.
pub fn last_sync(i18n: I18n, outbox: Outbox) -> String {
    let when = outbox
        .summary()
        .last_sync
        .map(time_of)
        .unwrap_or_else(|| i18n.s().staff_never.to_owned());
    fill(i18n.s().staff_sync_last, &[("when", &when)])
}
