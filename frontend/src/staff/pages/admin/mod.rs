//! The admin screens: staff accounts, teams, the audit trail, the organisation's settings and
//! SWEMWBS translations (managers read staff, teams, settings and translations, as the API
//! lets them); and what anyone the API
//! would refuse sees at their addresses.

pub mod audit;
pub mod commissioners;
pub mod outcomes;
pub mod settings;
pub mod staff;
pub mod teams;
pub mod translations;

use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::PageHeading;
use crate::i18n::StaffMessages;
use crate::staff::auth::use_auth;
use crate::staff::components::checked::Problem;
use crate::staff::route::{Link, Route};
use crate::staff::text::{trs, trs_owned};

/// A page opened by someone whose role does not include it: a clear answer and nothing else,
/// and the way back to their own page.
#[component]
pub fn NoAccess() -> impl IntoView {
    let auth = use_auth();
    let back = if auth.is_commissioner() {
        view! { <Link route=Route::Shared>{trs(|t| t.staff_back_to_shared)}</Link> }.into_any()
    } else {
        view! { <Link route=Route::Caseload>{trs(|t| t.staff_back_to_caseload)}</Link> }.into_any()
    };
    view! {
        <PageHeading text=trs_owned(|t| t.staff_admin_no_access) />
        <p id="no-access">{trs(|t| t.staff_admin_no_access_lead)}</p>
        <p>{back}</p>
    }
}

/// Where a form's fields are, for a refusal: the API's field name, the control's id and what
/// to say there.
pub type Place = (&'static str, &'static str, &'static str);

/// Puts a failed save beside the field the server named (GOV.UK style), else beside `first`
/// (the form's first control) with a general message: no signal, or a refusal of no field.
pub fn show_refusal(
    problem: Problem,
    t: &'static StaffMessages,
    error: &ApiError,
    places: &[Place],
    first: &'static str,
) {
    log::info!("admin save refused: {error}");
    let named = match error {
        ApiError::Refused { body, .. } => body.field.as_deref(),
        _ => None,
    };
    let place = named.and_then(|field| places.iter().find(|(api, _, _)| *api == field));
    match place {
        Some((_, control, message)) => problem.set(*message, control),
        None if error.status().is_some() => problem.set(t.staff_admin_refused, first),
        None => problem.set(t.staff_admin_not_sent, first),
    }
}

/// A short confirmation under a form that saved, read out by screen readers.
pub fn saved_note(saved: RwSignal<Option<String>>, id: &'static str) -> impl IntoView {
    move || {
        saved
            .get()
            .map(|text| view! { <p class="admin-saved" role="status" id=id>{text}</p> })
    }
}
