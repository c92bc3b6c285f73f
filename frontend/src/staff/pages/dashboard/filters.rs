//! The dashboard's filters: the period, and the team, specialist and programme the figures are
//! for (empty: all). Each change asks the server again.

use leptos::prelude::*;

use super::period::Choice;
use crate::i18n::use_i18n;
use crate::load::load;
use crate::staff::api::{self, Filters};
use crate::staff::auth::use_auth;
use crate::staff::components::form::Field;
use crate::staff::text::trs;

/// The team, specialist and programme chosen, as their ids (empty: all).
#[derive(Debug, Clone, Copy)]
pub struct Chosen {
    team: RwSignal<String>,
    specialist: RwSignal<String>,
    programme: RwSignal<String>,
}

impl Chosen {
    pub fn new() -> Chosen {
        Chosen {
            team: RwSignal::new(String::new()),
            specialist: RwSignal::new(String::new()),
            programme: RwSignal::new(String::new()),
        }
    }

    /// The filters as the KPI endpoints take them.
    pub fn filters(self) -> Filters {
        let some = |value: String| (!value.is_empty()).then_some(value);
        Filters {
            team_id: some(self.team.get()),
            specialist_id: some(self.specialist.get()),
            programme: some(self.programme.get()),
        }
    }
}

#[component]
pub fn FilterForm(choice: RwSignal<Choice>, chosen: Chosen) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let teams = load(move || async move {
        let teams = api::teams(auth).await.unwrap_or_default();
        teams
            .into_iter()
            .map(|t| (t.id.to_string(), t.name))
            .collect()
    });
    let specialists = load(move || async move {
        let staff = api::staff(auth).await.unwrap_or_default();
        staff
            .into_iter()
            .filter(|s| s.role == domain::Role::Specialist && s.active)
            .map(|s| (s.id.to_string(), s.name))
            .collect()
    });
    let periods = Choice::ALL
        .into_iter()
        .map(|c| {
            view! {
                <option value=c.key() selected=move || choice.get() == c>
                    {move || c.label(i18n.s())}
                </option>
            }
        })
        .collect_view();
    view! {
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <Field id="period" label=trs(|t| t.staff_period)>
                <select class="input" id="period" on:change=move |ev| {
                    let key = event_target_value(&ev);
                    if let Some(c) = Choice::ALL.into_iter().find(|c| c.key() == key) {
                        choice.set(c);
                    }
                }>
                    {periods}
                </select>
            </Field>
            <ListFilter
                id="team"
                label=trs(|t| t.staff_team)
                all=trs(|t| t.staff_all_teams)
                value=chosen.team
                options=teams
            />
            <ListFilter
                id="specialist"
                label=trs(|t| t.staff_specialist)
                all=trs(|t| t.staff_all_specialists)
                value=chosen.specialist
                options=specialists
            />
            <Field id="programme" label=trs(|t| t.staff_programme)>
                <select class="input" id="programme" on:change=move |ev| chosen.programme.set(event_target_value(&ev))>
                    <option value="">{trs(|t| t.staff_all_programmes)}</option>
                    <option value="seqf">"SEQF"</option>
                    <option value="ips">"IPS"</option>
                </select>
            </Field>
        </form>
    }
}

/// A filter chosen from a list the server gives, as `(id, name)` (none until it has); the
/// first choice is all.
#[component]
fn ListFilter(
    id: &'static str,
    label: Signal<&'static str>,
    all: Signal<&'static str>,
    value: RwSignal<String>,
    options: ReadSignal<Option<Vec<(String, String)>>, LocalStorage>,
) -> impl IntoView {
    let options = move || {
        let options = options.get().unwrap_or_default();
        options
            .into_iter()
            .map(|(option, name)| {
                let this = option.clone();
                view! { <option value=option selected=move || value.get() == this>{name}</option> }
            })
            .collect_view()
    };
    view! {
        <Field id=id label=label>
            <select class="input" id=id on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">{all}</option>
                {options}
            </select>
        </Field>
    }
}
