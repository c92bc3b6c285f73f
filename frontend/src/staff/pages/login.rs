//! Logging in: a plain email and password form that password managers fill and paste works in
//! (WCAG 3.3.8: no cognitive test). Records another person left waiting on this phone stay
//! theirs: they are never sent under this login.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::components::{ErrorSummary, PageHeading};
use crate::i18n::{StaffMessages, use_i18n};
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::form::Field;
use crate::staff::offline::use_caseload;
use crate::staff::route::{Route, use_router};
use crate::staff::text::{trs, trs_owned};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let caseload = use_caseload();
    let router = use_router();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if email.get_untracked().trim().is_empty() || password.get_untracked().is_empty() {
            error.set(Some(i18n.s().staff_login_missing));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::login(email.get_untracked().trim(), &password.get_untracked()).await {
                Ok(tokens) => {
                    // Each lands on the page they come for.
                    let home = match tokens.staff.role {
                        domain::Role::Manager | domain::Role::Admin => Route::Dashboard,
                        domain::Role::Specialist => Route::Caseload,
                        domain::Role::Commissioner => Route::Shared,
                    };
                    caseload.reset(Some(tokens.staff.id));
                    error.set(None);
                    auth.set(Some(tokens.into()));
                    router.go(home);
                }
                Err(e) => error.set(Some(refusal(i18n.s(), &e))),
            }
            busy.set(false);
        });
    };

    view! {
        {move || error.get().map(|message| view! { <ErrorSummary message=message target="email" /> })}
        <PageHeading text=trs_owned(|t| t.staff_login_title) />
        <p class="lead">{trs(|t| t.staff_login_lead)}</p>
        <form class="staff-form" on:submit=submit novalidate>
            <Field id="email" label=trs(|t| t.staff_email)>
                <input
                    class="input"
                    id="email"
                    name="email"
                    type="email"
                    autocomplete="username"
                    spellcheck="false"
                    autocapitalize="none"
                    bind:value=email
                />
            </Field>
            <Field id="password" label=trs(|t| t.staff_password)>
                <input
                    class="input"
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    bind:value=password
                />
            </Field>
            <button type="submit" class="button" disabled=move || busy.get()>
                {trs(|t| t.staff_login_button)}
            </button>
        </form>
    }
}

/// Why a login did not work, in words. A server too busy to check a password (503, e.g. during
/// a flood of logins) must not tell the person their password is wrong.
fn refusal(t: &'static StaffMessages, error: &ApiError) -> &'static str {
    match error {
        ApiError::Unreachable(_) => t.staff_login_offline,
        e if e.status() == Some(429) => t.staff_login_throttled,
        e if e.status() == Some(503) => t.staff_login_busy,
        _ => t.staff_login_refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_busy_server_is_not_a_wrong_password() {
        let t = Lang::En.staff();
        assert_eq!(refusal(t, &ApiError::Status(503)), t.staff_login_busy);
        assert_eq!(refusal(t, &ApiError::Status(429)), t.staff_login_throttled);
        assert_eq!(refusal(t, &ApiError::Status(401)), t.staff_login_refused);
        assert_eq!(
            refusal(t, &ApiError::Unreachable("no signal".into())),
            t.staff_login_offline
        );
        assert_ne!(Lang::Cy.staff().staff_login_busy, t.staff_login_busy);
    }
}
