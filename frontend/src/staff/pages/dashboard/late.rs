//! Published reports that touch the period shown (DESIGN.md §4 Late records): a published
//! report never changes, so when records answered in its period arrived after it was
//! published, the live figures here differ from it and the page says by how many records.

use leptos::prelude::*;

use super::Shown;
use crate::i18n::{fill, long_date, use_i18n};
use crate::staff::api::{self, LateArrivals};
use crate::staff::auth::use_auth;
use crate::staff::components::report_tab::open_report;
use crate::staff::time::local_date;

/// One line per published report of the period; nothing when there is none. A report takes no
/// filters (it is the whole organisation's), so neither does this.
#[component]
pub fn LateNotice(shown: Shown) -> impl IntoView {
    let auth = use_auth();
    let reports = shown.load(move |p, _| async move {
        match api::late_arrivals(auth, p).await {
            Ok(list) => Some(list),
            Err(error) => {
                // Figures still show without it; the notice is only missing.
                log::warn!("late arrivals: {error}");
                None
            }
        }
    });
    move || {
        reports
            .get()
            .flatten()
            .filter(|l| !l.is_empty())
            .map(|list| {
                view! {
                    <div class="late-reports" id="late-reports">
                        {list.into_iter().map(|r| view! { <Report report=r /> }).collect_view()}
                    </div>
                }
            })
    }
}

#[component]
fn Report(report: LateArrivals) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let problem = RwSignal::new(false);
    let LateArrivals {
        report_id,
        title,
        published_at,
        late_records,
        print_url,
        ..
    } = report;
    let published = local_date(published_at);
    let open = {
        let url = print_url.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            open_report(auth, url.clone(), problem);
        }
    };
    let link_text = move || {
        let t = i18n.s();
        let on = long_date(published, i18n.t());
        let template = if late_records == 0 {
            t.staff_published_on
        } else {
            t.staff_late_link
        };
        fill(template, &[("date", &on)])
    };
    let count = move || {
        let t = i18n.s();
        match late_records {
            1 => t.staff_late_record_one.to_owned(),
            n => fill(t.staff_late_records, &[("n", &n.to_string())]),
        }
    };
    let moved = late_records > 0;
    view! {
        <div
            class="late-report"
            class:late-report-moved=moved
            data-report=report_id.to_string()
            data-late=late_records.to_string()
        >
            <p>
                <strong>{title}": "</strong>
                {moved.then(|| view! { {count}". "{move || i18n.s().staff_late_lead}" " })}
                <a class="late-report-link" href=print_url on:click=open>{link_text}</a>
            </p>
            {move || problem.get().then(|| view! {
                <p class="error-message" role="alert">{move || i18n.s().staff_report_failed}</p>
            })}
        </div>
    }
}
