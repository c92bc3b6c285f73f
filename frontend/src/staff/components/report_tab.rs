//! Opening a published report's printable page in a new tab. A plain link cannot send the
//! login's token, so the page is fetched with it and shown from a `blob:` URL. And the three
//! ways to take a published report away (the printable page, XLSX, CSV), which a manager's
//! list and a commissioner's page both show.

use domain::period::Period;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::staff::api;
use crate::staff::auth::{Auth, use_auth};
use crate::staff::text::trs;

/// Opens `print_url` in a new tab; `problem` is set when it could not be fetched. Call it from
/// the click itself: the tab is opened at once, while the click still counts as the person's
/// (so no popup blocker stops it), and filled once the page has come. Where no tab can be
/// opened, the page is saved as a file.
pub fn open_report(auth: Auth, print_url: String, problem: RwSignal<bool>) {
    let tab = window()
        .open_with_url_and_target("", "_blank")
        .ok()
        .flatten();
    spawn_local(async move {
        match api::report_page(auth, &print_url).await {
            Ok(page) => {
                problem.set(false);
                let address = crate::device::object_url(&page);
                match tab {
                    Some(tab) => {
                        if let Err(error) = tab.location().set_href(&address) {
                            log::warn!("report not shown: {error:?}");
                        }
                    }
                    None => crate::device::save_file(&page, "soundings-report.html"),
                }
            }
            Err(error) => {
                log::warn!("report not fetched: {error}");
                if let Some(tab) = tab {
                    let _ = tab.close();
                }
                problem.set(true);
            }
        }
    });
}

/// A published report's printable page, XLSX and CSV, and what went wrong fetching one.
/// `about` names the report for screen readers ("… (Quarter 1)") where several are listed.
#[component]
pub fn ReportLinks(
    id: Uuid,
    period: Period,
    #[prop(optional, into)] about: Option<String>,
) -> impl IntoView {
    let auth = use_auth();
    let problem = RwSignal::new(false);
    let open = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        open_report(auth, format!("/api/reports/{id}/print"), problem);
    };
    let download = move |kind: &'static str| {
        spawn_local(async move {
            match api::report_file(auth, id, kind).await {
                Ok(file) => {
                    problem.set(false);
                    let name = format!(
                        "soundings-report-{}-to-{}.{kind}",
                        period.first, period.last
                    );
                    crate::device::save_file(&file, &name);
                }
                Err(error) => {
                    log::warn!("report file not fetched: {error}");
                    problem.set(true);
                }
            }
        });
    };
    // The buttons' words are the same for every report; the hidden words say which one.
    let hidden = move || {
        about
            .clone()
            .map(|a| view! { <span class="visually-hidden">" (" {a} ")"</span> })
    };
    let (open_about, xlsx_about, csv_about) = (hidden(), hidden(), hidden());
    view! {
        <div class="button-group">
            <a class="button button-secondary report-open" href=format!("/api/reports/{id}/print") on:click=open>
                {trs(|t| t.staff_reports_open)}
                {open_about}
            </a>
            <button type="button" class="button button-secondary report-xlsx" on:click=move |_| download("xlsx")>
                {trs(|t| t.staff_reports_xlsx)}
                {xlsx_about}
            </button>
            <button type="button" class="button button-secondary report-csv" on:click=move |_| download("csv")>
                {trs(|t| t.staff_reports_csv)}
                {csv_about}
            </button>
        </div>
        {move || problem.get().then(|| view! {
            <p class="error-message" role="alert">{trs(|t| t.staff_reports_failed)}</p>
        })}
    }
}
