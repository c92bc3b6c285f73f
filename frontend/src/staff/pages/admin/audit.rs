//! The audit trail (admins): who read or changed what and when, filtered as the API filters it
//! (who did it, whose record, what was done to what kind of record, between which days), in a
//! table that scrolls in its own box on a phone, and the same entries as a CSV file.

use chrono::NaiveDate;
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
use crate::staff::components::checked::{Input, Problem, ProblemSummary, Select};
use crate::staff::offline::use_caseload;
use crate::staff::text::{trs, trs_owned};
use crate::staff::time::{time_at, today};

/// The actions the server writes to the trail, as the action filter offers them.
const ACTIONS: [&str; 11] = [
    "create", "read", "list", "update", "export", "erase", "refused", "handle", "withdraw",
    "share", "unshare",
];

/// The kinds of record the server's trail entries are about, as the filter offers them.
const ENTITIES: [&str; 22] = [
    "participant",
    "consent",
    "episode",
    "episode_update",
    "session",
    "invitation",
    "response",
    "referral",
    "job",
    "job_end",
    "comment",
    "voice_comment",
    "settings",
    "team",
    "staff",
    "commissioner",
    "report",
    "mail",
    "seqf_workbook",
    "episodes_csv",
    "episodes_csv_with_equality",
    "responses_csv",
];

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
        "withdraw" => t.staff_audit_withdraw,
        "share" => t.staff_audit_share,
        "unshare" => t.staff_audit_unshare,
        other => other,
    }
    .to_owned()
}

/// A kind of record in the person's language; one the app does not know is shown as the
/// server wrote it.
fn entity_label(t: &'static StaffMessages, entity: &str) -> String {
    match entity {
        "participant" => t.staff_audit_entity_participant,
        "consent" => t.staff_audit_entity_consent,
        "episode" => t.staff_audit_entity_episode,
        "episode_update" => t.staff_audit_entity_episode_update,
        "session" => t.staff_audit_entity_session,
        "invitation" => t.staff_audit_entity_invitation,
        "response" => t.staff_audit_entity_response,
        "referral" => t.staff_audit_entity_referral,
        "job" => t.staff_audit_entity_job,
        "job_end" => t.staff_audit_entity_job_end,
        "comment" => t.staff_audit_entity_comment,
        "voice_comment" => t.staff_audit_entity_voice_comment,
        "settings" => t.staff_audit_entity_settings,
        "team" => t.staff_audit_entity_team,
        "staff" => t.staff_audit_entity_staff,
        "commissioner" => t.staff_audit_entity_commissioner,
        "report" => t.staff_audit_entity_report,
        "mail" => t.staff_audit_entity_mail,
        "seqf_workbook" => t.staff_audit_entity_seqf_workbook,
        "episodes_csv" => t.staff_audit_entity_episodes_csv,
        "episodes_csv_with_equality" => t.staff_audit_entity_episodes_csv_with_equality,
        "responses_csv" => t.staff_audit_entity_responses_csv,
        other => other,
    }
    .to_owned()
}

/// `(value, words)` for a select, in the person's language.
fn options(
    t: &'static StaffMessages,
    values: &[&str],
    label: fn(&'static StaffMessages, &str) -> String,
) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| ((*v).to_owned(), label(t, v)))
        .collect()
}

/// A chosen word, or none for the blank option.
fn chosen(value: RwSignal<String>) -> Option<String> {
    Some(value.get_untracked()).filter(|v| !v.is_empty())
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
    let action = RwSignal::new(String::new());
    let entity = RwSignal::new(String::new());
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let filters = RwSignal::new(AuditFilters::default());
    let entries = load(move || {
        let f = filters.get();
        async move { api::audit(auth, &f).await }
    });
    let download_failed = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        // A date field holds a full date or nothing; the order is checked here, beside the field.
        let day = |v: RwSignal<String>| v.get_untracked().parse::<NaiveDate>().ok();
        let (from, to) = (day(first), day(last));
        if from.zip(to).is_some_and(|(f, l)| l < f) {
            return problem.set(t.staff_audit_days_invalid, "audit-last");
        }
        problem.clear();
        filters.set(AuditFilters {
            staff_id: Uuid::parse_str(&who.get_untracked()).ok(),
            participant_id: Uuid::parse_str(&client.get_untracked()).ok(),
            action: chosen(action),
            entity: chosen(entity),
            from,
            to,
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
    // Drawn again when the language changes; the choice stays in its signal.
    let action_select = move || {
        let t = i18n.s();
        view! {
            <Select id="audit-action" label=trs(|t| t.staff_audit_action) options=options(t, &ACTIONS, action_label) blank=t.staff_audit_any_action value=action problem />
        }
    };
    let entity_select = move || {
        let t = i18n.s();
        view! {
            <Select id="audit-entity" label=trs(|t| t.staff_audit_kind) options=options(t, &ENTITIES, entity_label) blank=t.staff_audit_any_kind value=entity problem />
        }
    };
    let t = i18n.s();
    let names = StoredValue::new(staff);
    view! {
        <ProblemSummary problem />
        <form class="staff-form" on:submit=submit novalidate aria-labelledby="audit-filters-title">
            <h2 id="audit-filters-title">{trs(|t| t.staff_audit_filters)}</h2>
            <Select id="audit-who" label=trs(|t| t.staff_audit_who) options=staff_options blank=t.staff_audit_anyone value=who problem />
            {client_select}
            {action_select}
            {entity_select}
            <Input id="audit-first" label=trs(|t| t.staff_audit_first_day) hint=trs(|t| t.staff_audit_days_hint) value=first problem kind="date" />
            <Input id="audit-last" label=trs(|t| t.staff_audit_last_day) value=last problem kind="date" />
            <button type="submit" class="button" id="audit-show">{trs(|t| t.staff_audit_show)}</button>
        </form>
        <section class="admin-section" aria-labelledby="audit-results-title">
            <h2 id="audit-results-title">{trs(|t| t.staff_audit_results)}</h2>
            // A plain link could not send the login's token, so the button fetches the file
            // with the filters shown; `data-path` says which.
            <button
                type="button"
                class="button button-secondary"
                id="audit-download"
                data-path=move || filters.with(AuditFilters::csv_path)
                on:click=download
            >
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
) -> AnyView {
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
                d if d.is_empty() => entity_label(t, &e.entity),
                d => format!("{} ({d})", entity_label(t, &e.entity)),
            };
            view! {
                <tr data-id=e.id.to_string() data-action=e.action.clone() data-entity=e.entity.clone() data-actor=e.actor_id.map(|a| a.to_string()).unwrap_or_default()>
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
    if list.is_empty() {
        return view! {
            <p id="audit-count" data-n=n.clone()>{fill(t.staff_audit_count, &[("n", &n)])}</p>
            <p id="audit-none">{t.staff_audit_none}</p>
        }
        .into_any();
    }
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
    .into_any()
}
