//! Pieces of the staff app's pages that more than one page (or the app shell) uses.

pub mod chart;
pub mod checked;
pub mod comment_choices;
pub mod form;
pub mod nav;
pub mod not_found;
pub mod report_tab;
pub mod voice;

use leptos::prelude::*;

/// A table that may be wider than a phone: it scrolls sideways in its own box instead of
/// widening the page (which makes a phone zoom the whole page out). The box can take the
/// focus, so it can be scrolled with the keyboard, and is named by `labelled_by`.
#[component]
pub fn WideTable(#[prop(into)] labelled_by: String, children: Children) -> impl IntoView {
    view! {
        <div class="table-scroll" role="group" tabindex="0" aria-labelledby=labelled_by>
            {children()}
        </div>
    }
}
