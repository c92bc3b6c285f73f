//! The application shell: heading, language switch and service status. Pages will be routed
//! inside `<main>`.

use leptos::prelude::*;

use crate::components::{LanguageSwitch, ServiceStatus};
use crate::i18n::I18n;
use crate::offline;

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::provide();
    offline::start();

    view! {
        <header class="masthead">
            <h1>{move || i18n.t().app_name}</h1>
            <LanguageSwitch />
        </header>
        <main id="main" class="content">
            <ServiceStatus />
        </main>
    }
}
