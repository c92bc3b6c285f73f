//! What a page shows when the record it was opened for is not on this device.

use leptos::prelude::*;

use crate::components::PageHeading;
use crate::staff::route::{Link, Route};
use crate::staff::text::{trs, trs_owned};

/// Pages share this to show a caseload lookup that failed.
pub fn not_found_view() -> impl IntoView {
    view! {
        <PageHeading text=trs_owned(|t| t.staff_not_found) />
        <p>
            <Link route=Route::Caseload>{trs(|t| t.staff_back_to_caseload)}</Link>
        </p>
    }
}
