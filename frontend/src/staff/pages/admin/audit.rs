//! The audit trail (admins): who read or changed what and when, filtered as the API filters it
//! (who did it, whose record), in a table that scrolls in its own box on a phone, and the same
//! entries as a CSV file.

use domain::org::Staff;
use domain::privacy::AuditEntry;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::components::PageHeading;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::load::load;
use crate::staff::api::{self, AuditFilters};
use crate::staff::auth::use_auth;
use crate::staff::components::WideTable;
use crate::staff::components::checked::{Problem, Select};
use crate::staff::offline::use_caseload;
use crate::staff::text::{trs, trs_owned};
use crate::staff::time::{time_at, today};

/// An action in the person's language; one the app does not know is shown as the server wrote it.
fn action_label(t: &'static StaffMessages, action: &str) -> String {
    match action {
        "create" => t.staff_audit_create,
        "read" => t.staff_audit_read,
        "list" => t.staff_audit_list,
        "update" => t.staff_audit_update,
        "export" => t.staff_audit_export,
        "erase" => t.staff_audit_erase,
        "refused" => t.staff_audit_refused,
        "handle" => t.staff_audit_handle,
        other => other,
    }
    .to_owned()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let auth = use_auth();
    let staff = load(move || async move { api::staff(auth).await });
    view! {
        <PageHeading text=trs_owned(|t| t.staff_audit_title) />
        <p class="lead">{trs(|t| t.staff_audit_lead)}</p>
        {move || match staff.get() {
            None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
            Some(Ok(staff)) => view! { <Trail staff /> }.into_any(),
            Some(Err(_)) => view! {
                <p class="error-message" role="alert">{trs(|t| t.staff_admin_load_failed)}</p>
            }.into_any(),
        }}
    }
}

#[component]
fn Trail(staff: Vec<Staff>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let caseload = use_caseload();
    let problem = Problem::new();
    let who = RwSignal::new(String::new());
    let client = RwSignal::new(String::new());
    let filters = RwSignal::new(AuditFilters::default());
    let entries = load(move || {
        let f = filters.get();
        async move { api::audit(auth, &f).await }
    });
    let download_failed = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        filters.set(AuditFilters {
            staff_id: Uuid::parse_str(&who.get_untracked()).ok(),
            participant_id: Uuid::parse_str(&client.get_untracked()).ok(),
        });
    };
    let download = move |_| {
        let f = filters.get_untracked();
        spawn_local(async move {
            match api::audit_csv(auth, &f).await {
                Ok(blob) => {
                    download_failed.set(false);
                    crate::device::save_file(&blob, &format!("soundings-audit-{}.csv", today()));
                }
                Err(error) => {
                    log::warn!("audit not fetched: {error}");
                    download_failed.set(true);
                }
            }
        });
    };
    let staff_options: Vec<(String, String)> = staff
        .iter()
        .map(|s| (s.id.to_string(), s.name.clone()))
        .collect();
    let client_select = move || {
        let options: Vec<(String, String)> = caseload.with(|c| {
            c.participants
                .iter()
                .map(|p| (p.id.to_string(), p.reference.clone()))
                .collect()
        });
        view! {
            <Select id="audit-client" label=trs(|t| t.staff_audit_client) options blank=i18n.s().staff_audit_any_client value=client problem />
        }
    };
    let t = i18n.s();
    let names = StoredValue::new(staff);
    view! {
        <form class="staff-form" on:submit=submit novalidate aria-labelledby="audit-filters-title">
            <h2 id="audit-filters-title">{trs(|t| t.staff_audit_filters)}</h2>
            <Select id="audit-who" label=trs(|t| t.staff_audit_who) options=staff_options blank=t.staff_audit_anyone value=who problem />
            {client_select}
            <button type="submit" class="button" id="audit-show">{trs(|t| t.staff_audit_show)}</button>
        </form>
        <section class="admin-section" aria-labelledby="audit-results-title">
            <h2 id="audit-results-title">{trs(|t| t.staff_audit_results)}</h2>
            <button type="button" class="button button-secondary" id="audit-download" on:click=download>
                {trs(|t| t.staff_audit_download)}
            </button>
            <Show when=move || download_failed.get()>
                <p class="error-message" role="alert">{trs(|t| t.staff_download_failed)}</p>
            </Show>
            {move || match entries.get() {
                None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
                Some(Err(_)) => view! {
                    <p class="error-message" role="alert">{trs(|t| t.staff_admin_load_failed)}</p>
                }.into_any(),
                Some(Ok(list)) => names.with_value(|staff| entries_table(i18n.s(), list, staff, caseload)).into_any(),
            }}
        </section>
    }
}

fn entries_table(
    t: &'static StaffMessages,
    list: Vec<AuditEntry>,
    staff: &[Staff],
    caseload: crate::staff::offline::Caseload,
) -> impl IntoView + use<> {
    let n = list.len().to_string();
    let who = |e: &AuditEntry| {
        e.actor_id
            .and_then(|id| staff.iter().find(|s| s.id == id))
            .map_or_else(|| e.actor_kind.clone(), |s| s.name.clone())
    };
    let client = |id: Option<Uuid>| {
        id.map(|id| {
            caseload.with_untracked(|c| {
                c.participants
                    .iter()
                    .find(|p| p.id == id)
                    .map_or_else(|| id.to_string(), |p| p.reference.clone())
            })
        })
        .unwrap_or_default()
    };
    let rows = list
        .iter()
        .map(|e| {
            let record = match &e.detail {
                d if d.is_empty() => e.entity.clone(),
                d => format!("{} ({d})", e.entity),
            };
            view! {
                <tr data-action=e.action.clone() data-entity=e.entity.clone() data-actor=e.actor_id.map(|a| a.to_string()).unwrap_or_default()>
                    <td>{time_at(e.at)}</td>
                    <td>{who(e)}</td>
                    <td>{action_label(t, &e.action)}</td>
                    <td>{record}</td>
                    <td>{client(e.participant_id)}</td>
                    <td>{e.address.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p id="audit-count" data-n=n.clone()>{fill(t.staff_audit_count, &[("n", &n)])}</p>
        <WideTable labelled_by="audit-results-title">
            <table class="table" id="audit-table">
                <thead>
                    <tr>
                        <th scope="col">{t.staff_audit_when}</th>
                        <th scope="col">{t.staff_audit_who}</th>
                        <th scope="col">{t.staff_audit_action}</th>
                        <th scope="col">{t.staff_audit_record}</th>
                        <th scope="col">{t.staff_audit_client}</th>
                        <th scope="col">{t.staff_audit_from}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </WideTable>
    }
}
