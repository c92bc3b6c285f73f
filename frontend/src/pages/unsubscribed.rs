//! The page an email's unsubscribe link opens: done, no login, in the person's language.

use leptos::prelude::*;

use crate::components::PageHeading;
use crate::i18n::{tr, tr_owned};

#[component]
pub fn UnsubscribedPage() -> impl IntoView {
    view! {
        <div class="panel panel-confirmation">
            <PageHeading text=tr_owned(|t| t.unsubscribed_title) />
        </div>
        <p>{tr(|t| t.unsubscribed_body)}</p>
    }
}
