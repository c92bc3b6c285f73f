//! The manager's dashboard: KPI C, KPI D and wellbeing change for a period as large tiles (each
//! with its n, a small-sample mark and the previous period), month-by-month charts with a table
//! alternative, the split by completion mode, and the SWEMWBS gaps. Filters by team, specialist
//! and programme ask the server, so the figures are exactly the API's.

use chrono::{Datelike, Months, NaiveDate};
use domain::Hundredths;
use domain::kpi::{SatisfactionKpi, WellbeingKpi};
use domain::period::Period;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::PageHeading;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::load::load;
use crate::staff::{trs, trs_owned};

use super::api::{self, Filters, Trend, today};
use super::auth::use_auth;
use super::chart::TrendChart;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    ThisQuarter,
    LastQuarter,
    FinancialYear,
    TwelveMonths,
}

impl Choice {
    const ALL: [Choice; 4] = [
        Choice::ThisQuarter,
        Choice::LastQuarter,
        Choice::FinancialYear,
        Choice::TwelveMonths,
    ];

    fn key(self) -> &'static str {
        match self {
            Choice::ThisQuarter => "this-quarter",
            Choice::LastQuarter => "last-quarter",
            Choice::FinancialYear => "financial-year",
            Choice::TwelveMonths => "twelve-months",
        }
    }

    fn label(self, t: &'static StaffMessages) -> &'static str {
        match self {
            Choice::ThisQuarter => t.staff_period_this_quarter,
            Choice::LastQuarter => t.staff_period_last_quarter,
            Choice::FinancialYear => t.staff_period_financial_year,
            Choice::TwelveMonths => t.staff_period_twelve_months,
        }
    }

    fn period(self, today: NaiveDate) -> Option<Period> {
        let this_quarter = Period::quarter(today.year(), (today.month() - 1) / 3 + 1).ok()?;
        match self {
            Choice::ThisQuarter => Some(this_quarter),
            Choice::LastQuarter => this_quarter.previous(),
            Choice::FinancialYear => {
                let start = if today.month() >= 4 {
                    today.year()
                } else {
                    today.year() - 1
                };
                Period::financial_year(start).ok()
            }
            Choice::TwelveMonths => twelve_months_to(today),
        }
    }
}

/// The twelve calendar months ending with the one that holds `day`.
fn twelve_months_to(day: NaiveDate) -> Option<Period> {
    let month = Period::month(day.year(), day.month()).ok()?;
    let first = month.first.checked_sub_months(Months::new(11))?;
    Period::new(first, month.last).ok()
}

fn some(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

/// The three headline figures for one period.
#[derive(Debug, Clone, PartialEq)]
struct Figures {
    kpi_c: SatisfactionKpi,
    kpi_d: SatisfactionKpi,
    wellbeing: WellbeingKpi,
}

async fn figures(
    auth: super::auth::Auth,
    period: Period,
    filters: Filters,
) -> Result<Figures, ApiError> {
    Ok(Figures {
        kpi_c: api::kpi_c(auth, period, &filters).await?,
        kpi_d: api::kpi_d(auth, period, &filters).await?,
        wellbeing: api::wellbeing(auth, period, &filters).await?,
    })
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let choice = RwSignal::new(Choice::ThisQuarter);
    let team = RwSignal::new(String::new());
    let specialist = RwSignal::new(String::new());
    let programme = RwSignal::new(String::new());
    let filters = Memo::new(move |_| Filters {
        team_id: some(team.get()),
        specialist_id: some(specialist.get()),
        programme: some(programme.get()),
    });
    let period = Memo::new(move |_| choice.get().period(today()));
    let teams = load(move || async move { api::teams(auth).await.unwrap_or_default() });
    let staff = load(move || async move {
        let mut staff = api::staff(auth).await.unwrap_or_default();
        staff.retain(|s| s.role == domain::Role::Specialist && s.active);
        staff
    });
    let current = load(move || {
        let (period, filters) = (period.get(), filters.get());
        async move {
            match period {
                Some(p) => figures(auth, p, filters).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let previous = load(move || {
        let (period, filters) = (period.get().and_then(|p| p.previous()), filters.get());
        async move {
            match period {
                Some(p) => figures(auth, p, filters).await.ok(),
                None => None,
            }
        }
    });
    let trend = load(move || {
        let (period, filters) = (period.get(), filters.get());
        async move {
            let range = period.and_then(|p| twelve_months_to(p.last))?;
            api::trend(auth, range, &filters).await.ok()
        }
    });
    let loaded = move || matches!(current.get(), Some(Ok(Some(_))));

    view! {
        <PageHeading text=trs_owned(|t| t.staff_dashboard_title) />
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <div class="form-group">
                <label class="label" for="period">{trs(|t| t.staff_period)}</label>
                <select class="input" id="period" on:change=move |ev| {
                    let key = event_target_value(&ev);
                    if let Some(c) = Choice::ALL.into_iter().find(|c| c.key() == key) {
                        choice.set(c);
                    }
                }>
                    {Choice::ALL
                        .into_iter()
                        .map(|c| view! {
                            <option value=c.key() selected=move || choice.get() == c>
                                {move || c.label(i18n.s())}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="form-group">
                <label class="label" for="team">{trs(|t| t.staff_team)}</label>
                <select class="input" id="team" on:change=move |ev| team.set(event_target_value(&ev))>
                    <option value="">{trs(|t| t.staff_all_teams)}</option>
                    {move || teams.get().unwrap_or_default().into_iter().map(|t| {
                        let id = t.id.to_string();
                        view! { <option value=id.clone() selected=move || team.get() == id>{t.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="form-group">
                <label class="label" for="specialist">{trs(|t| t.staff_specialist)}</label>
                <select class="input" id="specialist" on:change=move |ev| specialist.set(event_target_value(&ev))>
                    <option value="">{trs(|t| t.staff_all_specialists)}</option>
                    {move || staff.get().unwrap_or_default().into_iter().map(|s| {
                        let id = s.id.to_string();
                        view! { <option value=id.clone() selected=move || specialist.get() == id>{s.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="form-group">
                <label class="label" for="programme">{trs(|t| t.staff_programme)}</label>
                <select class="input" id="programme" on:change=move |ev| programme.set(event_target_value(&ev))>
                    <option value="">{trs(|t| t.staff_all_programmes)}</option>
                    <option value="seqf">"SEQF"</option>
                    <option value="ips">"IPS"</option>
                </select>
            </div>
        </form>
        <p class="hint" id="period-shown">
            {move || period.get().map(|p| fill(
                i18n.s().staff_period_shown,
                &[("first", &p.first.format("%d/%m/%Y").to_string()), ("last", &p.last.format("%d/%m/%Y").to_string())],
            ))}
        </p>
        <div class="dashboard" data-loaded=move || loaded().to_string() aria-busy=move || (!loaded()).to_string()>
            {move || match current.get() {
                None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
                Some(Err(error)) => {
                    log::warn!("dashboard: {error}");
                    view! { <p class="error-message" role="alert">{trs(|t| t.staff_dashboard_error)}</p> }.into_any()
                }
                Some(Ok(None)) => ().into_any(),
                Some(Ok(Some(now))) => {
                    let before = previous.get().flatten();
                    view! { <Tiles now before /> }.into_any()
                }
            }}
        </div>
        {move || trend.get().flatten().map(|trend| view! { <Charts trend /> })}
    }
}

fn change_text(
    t: &'static StaffMessages,
    now: Option<Hundredths>,
    before: Option<Hundredths>,
) -> String {
    match (now, before) {
        (Some(now), Some(before)) => {
            let diff = Hundredths(now.0 - before.0);
            let sign = if diff.0 > 0 { "+" } else { "" };
            fill(
                t.staff_compared,
                &[
                    ("before", &before.to_string()),
                    ("diff", &format!("{sign}{diff}")),
                ],
            )
        }
        _ => t.staff_compared_none.to_owned(),
    }
}

#[component]
fn Tile(
    id: &'static str,
    title: &'static str,
    value: Option<Hundredths>,
    n: u64,
    small: bool,
    comparison: String,
    #[prop(optional)] unit: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = value
        .map(|v| format!("{v}{unit}"))
        .unwrap_or_else(|| "–".to_owned());
    view! {
        <section class="tile" id=id aria-labelledby=format!("{id}-title")>
            <h2 class="tile-title" id=format!("{id}-title")>{title}</h2>
            <p class="tile-value" data-value=value.map(|v| v.to_string()).unwrap_or_default()>{shown}</p>
            <p class="tile-n" data-n=n.to_string()>{move || fill(i18n.s().staff_n, &[("n", &n.to_string())])}</p>
            {small.then(|| view! { <p class="small-sample tile-small">{move || i18n.s().staff_small_sample_long}</p> })}
            <p class="tile-compare">{comparison}</p>
        </section>
    }
}

#[component]
fn Tiles(now: Figures, before: Option<Figures>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.s();
    let b = before.as_ref();
    let w = now.wellbeing.clone();
    let split = now.kpi_d.by_support.clone();
    view! {
        <div class="tiles">
            <Tile
                id="kpi-c"
                title=t.staff_kpi_c
                value=now.kpi_c.mean
                n=now.kpi_c.n
                small=now.kpi_c.small_sample
                comparison=change_text(t, now.kpi_c.mean, b.and_then(|b| b.kpi_c.mean))
            />
            <Tile
                id="kpi-d"
                title=t.staff_kpi_d
                value=now.kpi_d.mean
                n=now.kpi_d.n
                small=now.kpi_d.small_sample
                comparison=change_text(t, now.kpi_d.mean, b.and_then(|b| b.kpi_d.mean))
            />
            <Tile
                id="wellbeing"
                title=t.staff_wellbeing
                value=w.mean_change
                n=w.paired_n
                small=w.small_sample
                comparison=change_text(t, w.mean_change, b.and_then(|b| b.wellbeing.mean_change))
            />
        </div>
        <section class="dashboard-detail" aria-labelledby="wellbeing-detail">
            <h2 id="wellbeing-detail">{trs(|t| t.staff_wellbeing_detail)}</h2>
            <ul class="plain-list">
                <li id="wellbeing-bands">
                    {fill(t.staff_bands, &[
                        ("improved", &w.improved.to_string()),
                        ("same", &w.no_meaningful_change.to_string()),
                        ("declined", &w.declined.to_string()),
                    ])}
                </li>
                <li id="gap-end">{fill(t.staff_gap_end, &[("n", &w.ended_without_end_score.to_string())])}</li>
                <li id="gap-start">{fill(t.staff_gap_start, &[("n", &w.started_without_start_score.to_string())])}</li>
            </ul>
        </section>
        <section class="dashboard-detail" aria-labelledby="split-title">
            <h2 id="split-title">{trs(|t| t.staff_split_title)}</h2>
            <table class="table" id="split-support">
                <caption class="visually-hidden">{trs(|t| t.staff_split_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{trs(|t| t.staff_support)}</th>
                        <th scope="col">{trs(|t| t.staff_kpi_d)}</th>
                        <th scope="col">"n"</th>
                    </tr>
                </thead>
                <tbody>
                    {split.into_iter().map(|s| view! {
                        <tr>
                            <th scope="row">{support_label(t, &s.key)}</th>
                            <td>
                                {s.mean.map(|m| m.to_string()).unwrap_or_else(|| "–".to_owned())}
                                {s.small_sample.then(|| view! { <span class="small-sample">" " {t.staff_small_sample}</span> })}
                            </td>
                            <td>{s.n}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

fn support_label(t: &'static StaffMessages, key: &str) -> &'static str {
    match key {
        "none" => t.staff_support_none,
        "read_aloud" => t.staff_support_read_aloud,
        "staff_assisted" => t.staff_support_assisted,
        _ => t.staff_support_other,
    }
}

#[component]
fn Charts(trend: Trend) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.s();
    view! {
        <section class="charts" aria-labelledby="charts-title">
            <h2 id="charts-title">{trs(|t| t.staff_trends)}</h2>
            <TrendChart id="chart-kpi-c" title=t.staff_kpi_c.to_owned() points=trend.kpi_c min=1.0 max=5.0 />
            <TrendChart id="chart-kpi-d" title=t.staff_kpi_d.to_owned() points=trend.kpi_d min=1.0 max=5.0 />
            <TrendChart id="chart-wellbeing" title=t.staff_wellbeing.to_owned() points=trend.wellbeing_change min=-10.0 max=10.0 />
        </section>
    }
}
