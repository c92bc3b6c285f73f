//! The dashboard's filters: the period, and the team, specialist and programme the figures are
//! for (empty: all). Each change asks the server again.

use domain::period::Period;
use leptos::prelude::*;

use super::period::{
    DateProblem, DateProblems, Kind, Pick, calendar_quarter_of_financial, custom, fy_label,
    month_name, quarter_months,
};
use crate::i18n::{fill, use_i18n};
use crate::load::load;
use crate::staff::api::{self, Filters};
use crate::staff::auth::use_auth;
use crate::staff::components::form::Field;
use crate::staff::text::trs;
use crate::staff::time::today;

/// The period being picked: the kind and its selects, and a custom period's two dates as the
/// date fields hold them (kept apart so a half-typed date is not lost).
#[derive(Debug, Clone, Copy)]
pub struct Picker {
    pub pick: RwSignal<Pick>,
    first: RwSignal<String>,
    last: RwSignal<String>,
}

impl Picker {
    /// Opens on this calendar quarter.
    pub fn new() -> Picker {
        Picker {
            pick: RwSignal::new(Pick::seeded(Kind::ThisQuarter, None, today())),
            first: RwSignal::new(String::new()),
            last: RwSignal::new(String::new()),
        }
    }

    /// The period picked; `None` while a custom period's dates are not right.
    pub fn period(self) -> Option<Period> {
        let pick = self.pick.get();
        match pick.kind {
            Kind::Custom => self.custom().ok(),
            _ => pick.period(today()),
        }
    }

    fn custom(self) -> Result<Period, DateProblems> {
        self.first
            .with(|first| self.last.with(|last| custom(first, last)))
    }

    /// Changes the kind, starting its selects (or dates) from the period shown until now.
    fn choose(self, kind: Kind) {
        let shown = self.period_untracked();
        if kind == Kind::Custom
            && let Some(p) = shown
        {
            self.first.set(p.first.to_string());
            self.last.set(p.last.to_string());
        }
        self.pick.set(Pick::seeded(kind, shown, today()));
    }

    fn period_untracked(self) -> Option<Period> {
        untrack(move || self.period())
    }
}
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
pub fn FilterForm(picker: Picker, chosen: Chosen) -> impl IntoView {
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
    view! {
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <PeriodChoice picker />
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

/// The kind of period (month, quarter, financial quarter or year, a custom range...) and the
/// fields that kind needs. Used by the dashboard's filters and the quality report's form.
#[component]
pub fn PeriodChoice(picker: Picker) -> impl IntoView {
    let i18n = use_i18n();
    let kinds = Kind::ALL
        .into_iter()
        .map(|k| {
            view! {
                <option value=k.key() selected=move || picker.pick.with(|p| p.kind == k)>
                    {move || k.label(i18n.s())}
                </option>
            }
        })
        .collect_view();
    // Only a new kind draws new fields: changing a month or a year keeps the focus where it is.
    let kind = Memo::new(move |_| picker.pick.with(|p| p.kind));
    view! {
        <Field id="period" label=trs(|t| t.staff_period)>
            <select class="input" id="period" on:change=move |ev| {
                let key = event_target_value(&ev);
                if let Some(k) = Kind::ALL.into_iter().find(|k| k.key() == key) {
                    picker.choose(k);
                }
            }>
                {kinds}
            </select>
        </Field>
        {move || period_fields(kind.get(), picker)}
    }
}

/// The fields a kind of period needs after the kind itself.
fn period_fields(kind: Kind, picker: Picker) -> AnyView {
    let pick = picker.pick;
    match kind {
        Kind::Month => view! {
            {month_select(pick)}
            {year_select(pick, false)}
        }
        .into_any(),
        Kind::Quarter => view! {
            {quarter_select(pick, false)}
            {year_select(pick, false)}
        }
        .into_any(),
        Kind::FinancialQuarter => view! {
            {year_select(pick, true)}
            {quarter_select(pick, true)}
        }
        .into_any(),
        Kind::FinancialYear => year_select(pick, true).into_any(),
        Kind::Custom => view! { <CustomDates picker /> }.into_any(),
        Kind::ThisQuarter | Kind::LastQuarter | Kind::ThisFinancialYear | Kind::TwelveMonths => {
            ().into_any()
        }
    }
}

/// One `<option>` of a number kept in the pick, selected while the pick holds it.
fn number_option(
    pick: RwSignal<Pick>,
    value: i64,
    get: fn(&Pick) -> i64,
    label: impl Fn() -> String + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <option value=value.to_string() selected=move || pick.with(|p| get(p) == value)>
            {label}
        </option>
    }
}

/// The calendar year, or (`financial`) the financial year: the last ten, and the one picked.
fn year_select(pick: RwSignal<Pick>, financial: bool) -> AnyView {
    let i18n = use_i18n();
    let now = Pick::seeded(
        if financial {
            Kind::FinancialYear
        } else {
            Kind::Month
        },
        None,
        today(),
    )
    .year;
    let picked = pick.get_untracked().year;
    let years = (picked.min(now - 10)..=picked.max(now)).rev();
    let options = years
        .map(|year| {
            let label = move || {
                if financial {
                    fill(i18n.s().staff_fy_name, &[("fy", &fy_label(year))])
                } else {
                    year.to_string()
                }
            };
            number_option(pick, i64::from(year), |p| i64::from(p.year), label)
        })
        .collect_view();
    let on_change = move |ev: leptos::ev::Event| {
        if let Ok(year) = event_target_value(&ev).parse() {
            pick.update(|p| p.year = year);
        }
    };
    if financial {
        view! {
            <Field id="period-fy" label=trs(|t| t.staff_period_fy) hint=trs(|t| t.staff_period_fy_hint)>
                <select class="input" id="period-fy" aria-describedby="period-fy-hint" on:change=on_change>
                    {options}
                </select>
            </Field>
        }
        .into_any()
    } else {
        view! {
            <Field id="period-year" label=trs(|t| t.staff_period_year)>
                <select class="input" id="period-year" on:change=on_change>
                    {options}
                </select>
            </Field>
        }
        .into_any()
    }
}

fn month_select(pick: RwSignal<Pick>) -> impl IntoView {
    let i18n = use_i18n();
    let options = (1..=12u32)
        .map(|month| {
            let label = move || month_name(i18n.t(), month).to_owned();
            number_option(pick, i64::from(month), |p| i64::from(p.month), label)
        })
        .collect_view();
    view! {
        <Field id="period-month" label=trs(|t| t.staff_month)>
            <select class="input" id="period-month" on:change=move |ev| {
                if let Ok(month) = event_target_value(&ev).parse() {
                    pick.update(|p| p.month = month);
                }
            }>
                {options}
            </select>
        </Field>
    }
}

/// The quarter: a calendar one, or (`financial`) one of the financial year, named with its
/// months ("Q1 (Apr–Jun)").
fn quarter_select(pick: RwSignal<Pick>, financial: bool) -> impl IntoView {
    let i18n = use_i18n();
    let options = (1..=4u32)
        .map(|q| {
            let label = move || {
                let t = i18n.s();
                let months = if financial {
                    quarter_months(t, calendar_quarter_of_financial(q))
                } else {
                    quarter_months(t, q)
                };
                fill(
                    t.staff_quarter_option,
                    &[("q", &q.to_string()), ("months", months)],
                )
            };
            number_option(pick, i64::from(q), |p| i64::from(p.quarter), label)
        })
        .collect_view();
    view! {
        <Field id="period-quarter" label=trs(|t| t.staff_period_quarter)>
            <select class="input" id="period-quarter" on:change=move |ev| {
                if let Ok(quarter) = event_target_value(&ev).parse() {
                    pick.update(|p| p.quarter = quarter);
                }
            }>
                {options}
            </select>
        </Field>
    }
}

/// A custom period's first and last days, each with its error beside it (GOV.UK style).
#[component]
fn CustomDates(picker: Picker) -> impl IntoView {
    let problems = Memo::new(move |_| picker.custom().err().unwrap_or_default());
    view! {
        <DateField
            id="period-first"
            label=trs(|t| t.staff_period_first)
            hint=trs(|t| t.staff_period_custom_hint)
            value=picker.first
            problem=Signal::derive(move || problems.get().first)
        />
        <DateField
            id="period-last"
            label=trs(|t| t.staff_period_last)
            value=picker.last
            problem=Signal::derive(move || problems.get().last)
        />
    }
}

#[component]
fn DateField(
    id: &'static str,
    label: Signal<&'static str>,
    #[prop(optional)] hint: Option<Signal<&'static str>>,
    value: RwSignal<String>,
    problem: Signal<Option<DateProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_hint = hint.is_some();
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.as_str());
            }
            if problem.get().is_some() {
                ids.push(error_id.as_str());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="form-group" class:form-group-error=move || problem.get().is_some()>
            <label class="label" for=id>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            {move || problem.get().map(|p| view! {
                <p class="error-message" id=error_id.clone()>{p.message(i18n.s())}</p>
            })}
            <input
                class="input"
                type="date"
                id=id
                aria-describedby=described
                aria-invalid=move || problem.get().is_some().to_string()
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            />
        </div>
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
