//! The frame of a page that records one change to a journey (a job's end, the support end, the
//! profile start): its heading and the client it is for, the fields, and the button. The change
//! is checked when the form is sent; refused, it says why beside the field and nothing is saved.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::Refusal;
use super::save::save_change;
use crate::components::PageHeading;
use crate::i18n::{StaffMessages, use_i18n};
use crate::staff::auth::use_auth;
use crate::staff::components::checked::{Problem, ProblemSummary};
use crate::staff::offline::journey::Change;
use crate::staff::offline::use_caseload;
use crate::staff::route::{Route, use_router};

/// An end's date and reason as typed and chosen (`date_id`, `reason_id`: their controls),
/// both needed.
pub fn ended<R>(
    t: &'static StaffMessages,
    (date, date_id): (RwSignal<String>, &'static str),
    (reason, reason_id): (RwSignal<String>, &'static str),
    parse: fn(&str) -> Result<R, domain::ParseError>,
) -> Result<(chrono::NaiveDate, R), Refusal> {
    let day = super::optional_date(&date.get_untracked())
        .ok()
        .flatten()
        .ok_or((t.staff_error_date.to_owned(), date_id))?;
    let why = reason
        .with_untracked(|r| parse(r))
        .map_err(|_| (t.staff_error_end_reason.to_owned(), reason_id))?;
    Ok((day, why))
}

/// What a change page checks when it is sent: the change and its words for the outbox list.
pub type Check = Box<dyn Fn(&'static StaffMessages) -> Result<(Change, String), Refusal>>;

#[component]
pub fn ChangeFrame(
    heading: Signal<String>,
    /// Whose page to go back to once saved.
    participant: Uuid,
    button: Signal<&'static str>,
    button_id: &'static str,
    problem: Problem,
    check: Check,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let (auth, caseload, router) = (use_auth(), use_caseload(), use_router());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let (change, label) = match check(t) {
            Ok(checked) => checked,
            Err((message, field)) => return problem.set(message, field),
        };
        problem.clear();
        spawn_local(async move {
            match save_change(auth, caseload, change, &label).await {
                Ok(()) => router.go(Route::Client(participant)),
                Err(e) => {
                    log::warn!("change not saved: {e}");
                    problem.set(t.staff_error_saving, "main");
                }
            }
        });
    };
    view! {
        <ProblemSummary problem />
        <PageHeading text=heading />
        <form class="staff-form" on:submit=submit novalidate>
            {children()}
            <button type="submit" class="button" id=button_id>{button}</button>
        </form>
    }
}
