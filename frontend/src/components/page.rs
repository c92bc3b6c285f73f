//! The parts every page has: its heading, which takes the focus when the page changes (so a
//! screen reader announces the new page, as on a page load), and the error summary.

use leptos::html;
use leptos::prelude::*;

use crate::i18n::tr;

#[component]
pub fn PageHeading(
    #[prop(into)] text: Signal<String>,
    /// Shown above the heading, e.g. "Question 2 of 6".
    #[prop(optional, into)]
    caption: Option<Signal<String>>,
    /// The language of the heading's text when it differs from the page's.
    #[prop(optional, into)]
    lang: Option<Signal<String>>,
) -> impl IntoView {
    let heading = NodeRef::<html::H1>::new();
    focus_new_page(heading);
    view! {
        {caption.map(|caption| view! { <span class="caption">{move || caption.get()}</span> })}
        <h1 class="heading" tabindex="-1" node_ref=heading lang=move || lang.map(|l| l.get())>
            {move || text.get()}
        </h1>
    }
}

/// A new page starts at its top, with the focus on its heading (`tabindex="-1"`), as a page
/// load would: a screen reader announces it, and the next Tab goes to its first control.
pub fn focus_new_page(heading: NodeRef<html::H1>) {
    Effect::new(move || {
        if let Some(heading) = heading.get() {
            // A page that opens with an error (a refused code) gives the focus to its summary.
            let summary_focused = document()
                .active_element()
                .is_some_and(|e| e.class_list().contains("error-summary"));
            if !summary_focused && let Err(error) = heading.focus() {
                log::debug!("could not focus the heading: {error:?}");
            }
            // After the focus, which scrolls only as far as the heading.
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
}

/// GOV.UK's error summary: at the top of the page, focused, linking to the field at fault.
#[component]
pub fn ErrorSummary(#[prop(into)] message: Signal<String>, target: &'static str) -> impl IntoView {
    let summary = NodeRef::<html::Div>::new();
    Effect::new(move || {
        if let Some(summary) = summary.get() {
            let _ = summary.focus();
        }
    });
    view! {
        <div class="error-summary" role="alert" tabindex="-1" node_ref=summary aria-labelledby="error-summary-title">
            <h2 class="error-summary-title" id="error-summary-title">
                {tr(|t| t.error_summary_title)}
            </h2>
            <ul class="plain-list">
                <li>
                    <a href=format!("#{target}")>{move || message.get()}</a>
                </li>
            </ul>
        </div>
    }
}
