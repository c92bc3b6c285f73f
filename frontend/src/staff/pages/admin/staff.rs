//! Staff accounts (admins; managers read the list): who works here, with role, team and whether they can log in;
//! adding an account with a first password the admin passes on; and one account's role, team,
//! access and password.

use domain::org::{Staff, Team};
use domain::{Email, Name, Password, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use uuid::Uuid;

use super::{Place, saved_note, show_refusal};
use crate::components::PageHeading;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::load::load;
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::WideTable;
use crate::staff::components::checked::{Choice, Input, Problem, ProblemSummary, Select};
use crate::staff::route::{Link, Route};
use crate::staff::text::{trs, trs_owned};

pub fn role_label(t: &'static StaffMessages, role: Role) -> &'static str {
    match role {
        Role::Admin => t.staff_admin_role_admin,
        Role::Manager => t.staff_admin_role_manager,
        Role::Specialist => t.staff_admin_role_specialist,
        // Commissioners are never staff: the API never lists one here.
        Role::Commissioner => role.as_str(),
    }
}

fn role_options(t: &'static StaffMessages) -> Vec<(&'static str, &'static str)> {
    [Role::Specialist, Role::Manager, Role::Admin]
        .into_iter()
        .map(|r| (r.as_str(), role_label(t, r)))
        .collect()
}

fn team_options(teams: &[Team]) -> Vec<(String, String)> {
    teams
        .iter()
        .map(|t| (t.id.to_string(), t.name.clone()))
        .collect()
}

fn team_name(t: &'static StaffMessages, teams: &[Team], id: Option<Uuid>) -> String {
    id.and_then(|id| teams.iter().find(|team| team.id == id))
        .map_or_else(
            || t.staff_admin_no_team.to_owned(),
            |team| team.name.clone(),
        )
}

/// The team chosen in a select: `None` for "No team".
fn chosen_team(value: &str) -> Option<Uuid> {
    Uuid::parse_str(value).ok()
}

#[component]
pub fn StaffPage() -> impl IntoView {
    let auth = use_auth();
    let reload = RwSignal::new(0u32);
    let added = RwSignal::new(None::<String>);
    // Managers read the list (as the API lets them); only admins open and change accounts.
    let admin = auth.is_admin();
    let data = load(move || {
        reload.track();
        async move { (api::staff(auth).await, api::teams(auth).await) }
    });
    view! {
        <PageHeading text=trs_owned(|t| t.staff_admin_staff_title) />
        {(!admin).then(|| view! { <p class="hint" id="read-only">{trs(|t| t.staff_admin_read_only)}</p> })}
        {move || match data.get() {
            None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
            Some((Ok(staff), Ok(teams))) => view! {
                <StaffTable staff teams=teams.clone() links=admin />
                {admin.then(|| view! { <AddStaff teams reload added /> })}
            }.into_any(),
            Some(_) => view! {
                <p class="error-message" role="alert">{trs(|t| t.staff_admin_load_failed)}</p>
            }.into_any(),
        }}
    }
}

#[component]
fn StaffTable(staff: Vec<Staff>, teams: Vec<Team>, links: bool) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        let t = i18n.s();
        staff.clone().into_iter().map(|s| {
            let name = s.name;
            let status = if s.active {
                t.staff_admin_active
            } else {
                t.staff_admin_inactive
            };
            view! {
                <tr data-staff=s.id.to_string() data-active=s.active.to_string() data-role=s.role.as_str()>
                    <th scope="row">
                        {if links {
                            view! { <Link route=Route::AdminStaffMember(s.id)>{name}</Link> }.into_any()
                        } else {
                            name.into_any()
                        }}
                    </th>
                    <td>{s.email.to_string()}</td>
                    <td>{role_label(t, s.role)}</td>
                    <td>{team_name(t, &teams, s.team_id)}</td>
                    <td>{status}</td>
                </tr>
            }
        })
        .collect_view()
    };
    view! {
        <h2 id="staff-list-title">{trs(|t| t.staff_admin_staff_list)}</h2>
        <WideTable labelled_by="staff-list-title">
            <table class="table" id="staff-table">
                <thead>
                    <tr>
                        <th scope="col">{trs(|t| t.staff_admin_name)}</th>
                        <th scope="col">{trs(|t| t.staff_admin_email)}</th>
                        <th scope="col">{trs(|t| t.staff_admin_role)}</th>
                        <th scope="col">{trs(|t| t.staff_admin_team)}</th>
                        <th scope="col">{trs(|t| t.staff_admin_status)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </WideTable>
    }
}

/// The form for a new account. The first password is shown as typed: the admin passes it on.
#[component]
fn AddStaff(
    teams: Vec<Team>,
    reload: RwSignal<u32>,
    added: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let problem = Problem::new();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Specialist.as_str().to_owned());
    let team = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        added.set(None);
        let Ok(checked_name) = Name::parse(&name.get_untracked()) else {
            return problem.set(t.staff_admin_name_missing, "new-name");
        };
        let Ok(checked_email) = Email::parse(&email.get_untracked()) else {
            return problem.set(t.staff_admin_email_invalid, "new-email");
        };
        let Ok(checked_password) = Password::parse(&password.get_untracked()) else {
            return problem.set(t.staff_admin_password_short, "new-password");
        };
        problem.clear();
        let body = json!({
            "name": checked_name.as_str(),
            "email": checked_email.as_str(),
            "role": role.get_untracked(),
            "team_id": chosen_team(&team.get_untracked()),
            "password": checked_password.expose(),
        });
        spawn_local(async move {
            match api::add_staff(auth, &body).await {
                Ok(staff) => {
                    added.set(Some(fill(
                        t.staff_admin_staff_added,
                        &[("name", &staff.name)],
                    )));
                    reload.update(|n| *n += 1);
                }
                Err(e) if e.status() == Some(409) => {
                    problem.set(t.staff_admin_email_taken, "new-email");
                }
                Err(e) => {
                    let places: [Place; 5] = [
                        ("name", "new-name", t.staff_admin_name_missing),
                        ("email", "new-email", t.staff_admin_email_invalid),
                        ("role", "new-role-specialist", t.staff_admin_role_missing),
                        ("team_id", "new-team", t.staff_admin_team_missing),
                        ("password", "new-password", t.staff_admin_password_short),
                    ];
                    show_refusal(problem, t, &e, &places, "new-name");
                }
            }
        });
    };
    let t = i18n.s();
    view! {
        {saved_note(added, "staff-added")}
        <section class="admin-section" aria-labelledby="add-staff-title">
            <h2 id="add-staff-title">{trs(|t| t.staff_admin_add_staff)}</h2>
            <ProblemSummary problem />
            <form class="staff-form" on:submit=submit novalidate>
                <Input id="new-name" label=trs(|t| t.staff_admin_name) value=name problem />
                <Input id="new-email" label=trs(|t| t.staff_admin_email) value=email problem kind="email" />
                <Choice
                    name="new-role"
                    legend=trs(|t| t.staff_admin_role)
                    options=role_options(t)
                    value=role
                    problem
                    target="new-role-specialist"
                />
                <Select
                    id="new-team"
                    label=trs(|t| t.staff_admin_team)
                    options=team_options(&teams)
                    blank=t.staff_admin_no_team
                    value=team
                    problem
                />
                <Input
                    id="new-password"
                    label=trs(|t| t.staff_admin_first_password)
                    hint=trs(|t| t.staff_admin_first_password_hint)
                    value=password
                    problem
                />
                <button type="submit" class="button" id="add-staff">{trs(|t| t.staff_admin_add_staff)}</button>
            </form>
        </section>
    }
}

/// One account: its role and team, whether it can log in, and a new password.
#[component]
pub fn StaffMemberPage(id: Uuid) -> impl IntoView {
    let auth = use_auth();
    let data = load(move || async move { (api::staff(auth).await, api::teams(auth).await) });
    move || match data.get() {
        None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
        Some((Ok(staff), Ok(teams))) => match staff.into_iter().find(|s| s.id == id) {
            Some(member) => view! { <Member member teams /> }.into_any(),
            None => view! {
                <PageHeading text=trs_owned(|t| t.staff_admin_member_missing) />
                <p><Link route=Route::AdminStaff>{trs(|t| t.staff_admin_back_to_staff)}</Link></p>
            }
            .into_any(),
        },
        Some(_) => view! {
            <PageHeading text=trs_owned(|t| t.staff_admin_staff_title) />
            <p class="error-message" role="alert">{trs(|t| t.staff_admin_load_failed)}</p>
        }
        .into_any(),
    }
}

#[component]
fn Member(member: Staff, teams: Vec<Team>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let t = i18n.s();
    let id = member.id;
    let shown = RwSignal::new(member.clone());
    let problem = Problem::new();
    let saved = RwSignal::new(None::<String>);
    let role = RwSignal::new(member.role.as_str().to_owned());
    let team = RwSignal::new(member.team_id.map(|t| t.to_string()).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);

    // Every change is a PATCH of some fields; `done` is what to say once it is saved.
    let change = move |body: serde_json::Value,
                       done: &'static str,
                       places: Vec<Place>,
                       first: &'static str| {
        let t = i18n.s();
        problem.clear();
        saved.set(None);
        spawn_local(async move {
            match api::change_staff(auth, id, &body).await {
                Ok(staff) => {
                    saved.set(Some(fill(done, &[("name", &staff.name)])));
                    shown.set(staff);
                }
                Err(e) => show_refusal(problem, t, &e, &places, first),
            }
        });
    };
    let save_role = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let body =
            json!({ "role": role.get_untracked(), "team_id": chosen_team(&team.get_untracked()) });
        let places = vec![
            ("role", "role-specialist", t.staff_admin_own_role),
            ("team_id", "team", t.staff_admin_team_missing),
        ];
        change(body, t.staff_admin_role_saved, places, "role-specialist");
    };
    let save_password = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let Ok(checked) = Password::parse(&password.get_untracked()) else {
            return problem.set(t.staff_admin_password_short, "reset-password");
        };
        let places = vec![("password", "reset-password", t.staff_admin_password_short)];
        change(
            json!({ "password": checked.expose() }),
            t.staff_admin_password_saved,
            places,
            "reset-password",
        );
        password.set(String::new());
    };
    let set_active = move |active: bool| {
        let t = i18n.s();
        confirming.set(false);
        let done = if active {
            t.staff_admin_reactivated
        } else {
            t.staff_admin_deactivated
        };
        let places = vec![("active", "access-button", t.staff_admin_own_access)];
        change(json!({ "active": active }), done, places, "access-button");
    };
    let active = move || shown.with(|s| s.active);
    let summary = {
        let teams = teams.clone();
        move || {
            let t = i18n.s();
            let s = shown.get();
            let status = if s.active {
                t.staff_admin_active
            } else {
                t.staff_admin_inactive
            };
            view! {
                <dl class="summary-list" id="member-summary" data-active=s.active.to_string() data-role=s.role.as_str()>
                    <div class="summary-row"><dt>{t.staff_admin_email}</dt><dd>{s.email.to_string()}</dd></div>
                    <div class="summary-row"><dt>{t.staff_admin_role}</dt><dd>{role_label(t, s.role)}</dd></div>
                    <div class="summary-row"><dt>{t.staff_admin_team}</dt><dd>{team_name(t, &teams, s.team_id)}</dd></div>
                    <div class="summary-row"><dt>{t.staff_admin_status}</dt><dd>{status}</dd></div>
                </dl>
            }
        }
    };
    view! {
        <ProblemSummary problem />
        <PageHeading text=Signal::derive(move || shown.with(|s| s.name.clone())) />
        <p><Link route=Route::AdminStaff>{trs(|t| t.staff_admin_back_to_staff)}</Link></p>
        {summary}
        {saved_note(saved, "member-saved")}
        <section class="admin-section" aria-labelledby="role-title">
            <h2 id="role-title">{trs(|t| t.staff_admin_role_and_team)}</h2>
            <form class="staff-form" on:submit=save_role novalidate>
                <Choice name="role" legend=trs(|t| t.staff_admin_role) options=role_options(t) value=role problem target="role-specialist" />
                <Select id="team" label=trs(|t| t.staff_admin_team) options=team_options(&teams) blank=t.staff_admin_no_team value=team problem />
                <button type="submit" class="button" id="save-role">{trs(|t| t.staff_admin_save_role)}</button>
            </form>
        </section>
        <section class="admin-section" aria-labelledby="access-title">
            <h2 id="access-title">{trs(|t| t.staff_admin_access)}</h2>
            <p class="hint">{trs(|t| t.staff_admin_access_hint)}</p>
            {move || problem.at("access-button").get().map(|m| view! {
                <p class="error-message" id="access-button-error">{m}</p>
            })}
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" class="button button-secondary" id="access-button" on:click=move |_| confirming.set(true)>
                        {move || if active() { i18n.s().staff_admin_deactivate } else { i18n.s().staff_admin_reactivate }}
                    </button>
                }
            >
                <div class="admin-confirm" role="group" aria-labelledby="confirm-question">
                    <p id="confirm-question">
                        {move || {
                            let name = shown.with(|s| s.name.clone());
                            let text = if active() { i18n.s().staff_admin_confirm_deactivate } else { i18n.s().staff_admin_confirm_reactivate };
                            fill(text, &[("name", &name)])
                        }}
                    </p>
                    <div class="button-group">
                        <button type="button" class="button button-warning" id="confirm-access" on:click=move |_| set_active(!active())>
                            {move || if active() { i18n.s().staff_admin_yes_deactivate } else { i18n.s().staff_admin_yes_reactivate }}
                        </button>
                        <button type="button" class="button button-secondary" id="cancel-access" on:click=move |_| confirming.set(false)>
                            {trs(|t| t.staff_admin_cancel)}
                        </button>
                    </div>
                </div>
            </Show>
        </section>
        <section class="admin-section" aria-labelledby="password-title">
            <h2 id="password-title">{trs(|t| t.staff_admin_reset_password)}</h2>
            <form class="staff-form" on:submit=save_password novalidate>
                <Input
                    id="reset-password"
                    label=trs(|t| t.staff_admin_new_password)
                    hint=trs(|t| t.staff_admin_first_password_hint)
                    value=password
                    problem
                />
                <button type="submit" class="button" id="save-password">{trs(|t| t.staff_admin_reset_password)}</button>
            </form>
        </section>
    }
}
