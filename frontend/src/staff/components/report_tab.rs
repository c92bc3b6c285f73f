//! Opening a published report's printable page in a new tab. A plain link cannot send the
//! login's token, so the page is fetched with it and shown from a `blob:` URL.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::staff::api;
use crate::staff::auth::Auth;

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
