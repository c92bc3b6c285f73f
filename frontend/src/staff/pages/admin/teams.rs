//! Teams (admins; managers read them): the organisation's teams, adding one, and renaming one.

use domain::Name;
use domain::org::{NewTeam, Team, UpdateTeam};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::{Place, saved_note, show_refusal};
use crate::api::ApiError;
use crate::components::PageHeading;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::load::load;
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::checked::{Input, Problem, ProblemSummary, Select};
use crate::staff::text::{trs, trs_owned};

#[component]
pub fn TeamsPage() -> impl IntoView {
    let auth = use_auth();
    let reload = RwSignal::new(0u32);
    let saved = RwSignal::new(None::<String>);
    let problem = Problem::new();
    // Managers read the teams; only admins add and rename them.
    let admin = auth.is_admin();
    let teams = load(move || {
        reload.track();
        async move { api::teams(auth).await }
    });
    view! {
        <ProblemSummary problem />
        <PageHeading text=trs_owned(|t| t.staff_admin_teams_title) />
        {(!admin).then(|| view! { <p class="hint" id="read-only">{trs(|t| t.staff_admin_read_only)}</p> })}
        {saved_note(saved, "team-saved")}
        {move || match teams.get() {
            None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
            Some(Ok(teams)) => view! {
                <TeamList teams=teams.clone() />
                {admin.then(|| view! {
                    <AddTeam reload saved problem />
                    <RenameTeam teams reload saved problem />
                })}
            }.into_any(),
            Some(Err(_)) => view! {
                <p class="error-message" role="alert">{trs(|t| t.staff_admin_load_failed)}</p>
            }.into_any(),
        }}
    }
}

#[component]
fn TeamList(teams: Vec<Team>) -> impl IntoView {
    let i18n = use_i18n();
    let count = teams.len().to_string();
    view! {
        <h2 id="team-list-title">{trs(|t| t.staff_admin_team_list)}</h2>
        <p class="hint" id="team-count">{move || fill(i18n.s().staff_admin_team_count, &[("n", &count)])}</p>
        <ul class="plain-list" id="team-list">
            {teams.into_iter().map(|t| view! { <li data-team=t.id.to_string()>{t.name}</li> }).collect_view()}
        </ul>
    }
}

#[component]
fn AddTeam(
    reload: RwSignal<u32>,
    saved: RwSignal<Option<String>>,
    problem: Problem,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let name = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        saved.set(None);
        let Ok(checked) = Name::parse(&name.get_untracked()) else {
            return problem.set(t.staff_admin_team_name_missing, "team-name");
        };
        problem.clear();
        spawn_local(async move {
            let result = api::add_team(auth, &NewTeam { name: checked }).await;
            let at = (t.staff_admin_team_added, "team-name", "team-name");
            team_saved(result, t, at, (saved, reload, problem));
        });
    };
    view! {
        <section class="admin-section" aria-labelledby="add-team-title">
            <h2 id="add-team-title">{trs(|t| t.staff_admin_add_team)}</h2>
            <form class="staff-form" on:submit=submit novalidate>
                <Input id="team-name" label=trs(|t| t.staff_admin_team_name) value=name problem />
                <button type="submit" class="button" id="add-team">{trs(|t| t.staff_admin_add_team)}</button>
            </form>
        </section>
    }
}

/// Once a team is saved: says so (`done`, with its name) and lists the teams again; else the
/// refusal beside `field` (a clash of names, or a name the server would not take), or `first`.
fn team_saved(
    result: Result<Team, ApiError>,
    t: &'static StaffMessages,
    (done, field, first): (&'static str, &'static str, &'static str),
    (saved, reload, problem): (RwSignal<Option<String>>, RwSignal<u32>, Problem),
) {
    match result {
        Ok(team) => {
            saved.set(Some(fill(done, &[("name", &team.name)])));
            reload.update(|n| *n += 1);
        }
        Err(e) => {
            let message = if e.status() == Some(409) {
                t.staff_admin_team_name_taken
            } else {
                t.staff_admin_team_name_missing
            };
            let places: [Place; 1] = [("name", field, message)];
            show_refusal(problem, t, &e, &places, first);
        }
    }
}

#[component]
fn RenameTeam(
    teams: Vec<Team>,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<String>>,
    problem: Problem,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let which = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        saved.set(None);
        let Ok(team) = Uuid::parse_str(&which.get_untracked()) else {
            return problem.set(t.staff_admin_team_choose, "rename-team");
        };
        let Ok(checked) = Name::parse(&name.get_untracked()) else {
            return problem.set(t.staff_admin_team_name_missing, "rename-name");
        };
        problem.clear();
        spawn_local(async move {
            let result = api::rename_team(auth, team, &UpdateTeam { name: checked }).await;
            let at = (t.staff_admin_team_renamed, "rename-name", "rename-team");
            team_saved(result, t, at, (saved, reload, problem));
        });
    };
    if teams.is_empty() {
        return None;
    }
    let options = teams
        .iter()
        .map(|t| (t.id.to_string(), t.name.clone()))
        .collect::<Vec<_>>();
    let t = i18n.s();
    Some(view! {
            <section class="admin-section" aria-labelledby="rename-team-title">
                <h2 id="rename-team-title">{trs(|t| t.staff_admin_rename_team)}</h2>
                <form class="staff-form" on:submit=submit novalidate>
                    <Select id="rename-team" label=trs(|t| t.staff_admin_team) options blank=t.staff_admin_team_pick value=which problem />
                    <Input id="rename-name" label=trs(|t| t.staff_admin_new_team_name) value=name problem />
                    <button type="submit" class="button" id="rename">{trs(|t| t.staff_admin_rename_team)}</button>
                </form>
            </section>
    })
}
