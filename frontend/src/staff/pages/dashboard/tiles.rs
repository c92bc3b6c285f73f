//! The headline figures of the period as large tiles (KPI C, KPI D and wellbeing change, each
//! with its n, its 95% interval, a small-sample mark and the previous period), then the
//! wellbeing means, bands and gaps, and each satisfaction KPI split by how it was completed.

use domain::Hundredths;
use domain::kpi::interval::Interval;
use domain::kpi::{SatisfactionKpi, WellbeingKpi};
use domain::period::Period;
use leptos::prelude::*;

use super::Shown;
use super::split::SplitTables;
use crate::api::ApiError;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::staff::api::{self, Filters};
use crate::staff::auth::{Auth, use_auth};
use crate::staff::components::chart::interval_text;
use crate::staff::text::trs;

/// The three headline figures for one period.
#[derive(Debug, Clone, PartialEq)]
struct Figures {
    kpi_c: SatisfactionKpi,
    kpi_d: SatisfactionKpi,
    wellbeing: WellbeingKpi,
}

async fn figures(auth: Auth, period: Period, filters: Filters) -> Result<Figures, ApiError> {
    // The three at once: the page waits for the slowest, not for the sum.
    let (kpi_c, kpi_d, wellbeing) = futures_util::try_join!(
        api::kpi_c(auth, period, &filters),
        api::kpi_d(auth, period, &filters),
        api::wellbeing(auth, period, &filters),
    )?;
    Ok(Figures {
        kpi_c,
        kpi_d,
        wellbeing,
    })
}

/// The period's figures, compared with the previous period's; the page says it is busy until
/// they are in.
#[component]
pub fn Headline(shown: Shown) -> impl IntoView {
    let auth = use_auth();
    let current = shown.load(move |p, f| async move { Some(figures(auth, p, f).await) });
    let previous =
        shown.load(move |p, f| async move { figures(auth, p.previous()?, f).await.ok() });
    let loaded = move || matches!(current.get(), Some(Some(Ok(_))));
    view! {
        <div class="dashboard" data-loaded=move || loaded().to_string() aria-busy=move || (!loaded()).to_string()>
            {move || match current.get() {
                None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
                Some(Some(Err(error))) => {
                    log::warn!("dashboard: {error}");
                    view! { <p class="error-message" role="alert">{trs(|t| t.staff_dashboard_error)}</p> }.into_any()
                }
                Some(None) => ().into_any(),
                Some(Some(Ok(now))) => {
                    let before = previous.get().flatten();
                    view! {
                        <Tiles now=now.clone() before />
                        <p class="hint" id="interval-help">{trs(|t| t.staff_interval_help)}</p>
                        <WellbeingDetail wellbeing=now.wellbeing />
                        <Splits kpi_c=now.kpi_c kpi_d=now.kpi_d />
                    }
                    .into_any()
                }
            }}
        </div>
    }
}

#[component]
fn Tiles(now: Figures, before: Option<Figures>) -> impl IntoView {
    let t = use_i18n().s();
    let b = before.as_ref();
    view! {
        <div class="tiles">
            <Tile id="kpi-c" title=t.staff_kpi_c now=(&now.kpi_c).into() before=b.and_then(|b| b.kpi_c.mean) />
            <Tile id="kpi-d" title=t.staff_kpi_d now=(&now.kpi_d).into() before=b.and_then(|b| b.kpi_d.mean) />
            <Tile
                id="wellbeing"
                title=t.staff_wellbeing
                now=(&now.wellbeing).into()
                before=b.and_then(|b| b.wellbeing.mean_change)
            />
        </div>
    }
}

/// What a tile shows of a KPI: its value and 95% interval, how many it rests on, and whether
/// that is few.
#[derive(Debug, Clone, Copy)]
struct Figure {
    value: Option<Hundredths>,
    interval: Option<Interval>,
    n: u64,
    small: bool,
}

impl From<&SatisfactionKpi> for Figure {
    fn from(kpi: &SatisfactionKpi) -> Figure {
        Figure {
            value: kpi.mean,
            interval: kpi.mean_interval,
            n: kpi.n,
            small: kpi.small_sample,
        }
    }
}

impl From<&WellbeingKpi> for Figure {
    fn from(kpi: &WellbeingKpi) -> Figure {
        Figure {
            value: kpi.mean_change,
            interval: kpi.mean_change_interval,
            n: kpi.paired_n,
            small: kpi.small_sample,
        }
    }
}

/// A figure in a table cell, its interval on a smaller line under it (so a column stays
/// narrow enough for a phone); "–" when there is no figure.
pub fn figure_cell(
    t: &'static StaffMessages,
    value: Option<Hundredths>,
    interval: Option<Interval>,
) -> impl IntoView + use<> {
    let shown = value
        .map(|v| v.to_string())
        .unwrap_or_else(|| "–".to_owned());
    let interval = value
        .and(interval)
        .map(|i| view! { <span class="ci">" (" {interval_text(t.staff_ci, i, "")} ")"</span> });
    view! { {shown} {interval} }
}

/// A figure with its interval beside it, "4.20 (95% CI 3.85–4.55)", `unit` after each number
/// ("%" for a percentage); "–" when there is no figure.
pub fn with_interval(
    t: &'static StaffMessages,
    value: Option<Hundredths>,
    interval: Option<Interval>,
    unit: &str,
) -> String {
    match (value, interval) {
        (Some(v), Some(i)) => format!("{v}{unit} ({})", interval_text(t.staff_ci, i, unit)),
        (Some(v), None) => format!("{v}{unit}"),
        (None, _) => "–".to_owned(),
    }
}

/// One KPI's tile; `before` is its value in the previous period.
#[component]
fn Tile(
    id: &'static str,
    title: &'static str,
    now: Figure,
    before: Option<Hundredths>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Figure {
        value,
        interval,
        n,
        small,
    } = now;
    let shown = value
        .map(|v| v.to_string())
        .unwrap_or_else(|| "–".to_owned());
    let comparison = change_text(i18n.s(), value, before);
    view! {
        <section class="tile" id=id aria-labelledby=format!("{id}-title")>
            <h2 class="tile-title" id=format!("{id}-title")>{title}</h2>
            <p class="tile-value" data-value=value.map(|v| v.to_string()).unwrap_or_default()>{shown}</p>
            {interval.map(|i| view! {
                <p class="tile-interval" data-low=i.low.to_string() data-high=i.high.to_string()>
                    {move || interval_text(i18n.s().staff_ci, i, "")}
                </p>
            })}
            <p class="tile-n" data-n=n.to_string()>{move || fill(i18n.s().staff_n, &[("n", &n.to_string())])}</p>
            {small.then(|| view! { <p class="small-sample tile-small">{move || i18n.s().staff_small_sample_long}</p> })}
            <p class="tile-compare">{comparison}</p>
        </section>
    }
}

/// How the figure compares with the previous period's, in words.
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

/// The wellbeing means (start, end, change) and who improved, stayed the same or declined,
/// each with its interval, then the SWEMWBS forms missing at start or end.
#[component]
fn WellbeingDetail(wellbeing: WellbeingKpi) -> impl IntoView {
    let t = use_i18n().s();
    let w = wellbeing;
    let mean = |template: &str, value, interval| {
        fill(
            template,
            &[("value", &with_interval(t, value, interval, ""))],
        )
    };
    let band = |template: &str, n: u64, pct, interval| {
        fill(
            template,
            &[
                ("n", &n.to_string()),
                ("pct", &with_interval(t, pct, interval, "%")),
            ],
        )
    };
    view! {
        <section class="dashboard-detail" aria-labelledby="wellbeing-detail">
            <h2 id="wellbeing-detail">{trs(|t| t.staff_wellbeing_detail)}</h2>
            <ul class="plain-list" id="wellbeing-figures">
                <li id="wellbeing-pairs">{fill(t.staff_wellbeing_pairs, &[("n", &w.paired_n.to_string())])}</li>
                <li id="wellbeing-start">{mean(t.staff_wellbeing_mean_start, w.mean_start, w.mean_start_interval)}</li>
                <li id="wellbeing-end">{mean(t.staff_wellbeing_mean_end, w.mean_end, w.mean_end_interval)}</li>
                <li id="wellbeing-change">{mean(t.staff_wellbeing_mean_change, w.mean_change, w.mean_change_interval)}</li>
            </ul>
            <ul class="plain-list" id="wellbeing-bands">
                <li>{band(t.staff_band_improved, w.improved, w.improved_pct, w.improved_pct_interval)}</li>
                <li>{band(t.staff_band_same, w.no_meaningful_change, w.no_meaningful_change_pct, w.no_meaningful_change_pct_interval)}</li>
                <li>{band(t.staff_band_declined, w.declined, w.declined_pct, w.declined_pct_interval)}</li>
            </ul>
            <ul class="plain-list">
                <li id="gap-end">{fill(t.staff_gap_end, &[("n", &w.ended_without_end_score.to_string())])}</li>
                <li id="gap-start">{fill(t.staff_gap_start, &[("n", &w.started_without_start_score.to_string())])}</li>
            </ul>
        </section>
    }
}

#[component]
fn Splits(kpi_c: SatisfactionKpi, kpi_d: SatisfactionKpi) -> impl IntoView {
    let t = use_i18n().s();
    view! {
        <section class="dashboard-detail" aria-labelledby="split-title">
            <h2 id="split-title">{trs(|t| t.staff_split_title)}</h2>
            <p class="hint">{trs(|t| t.staff_split_lead)}</p>
            <SplitTables id="kpi-c" title=t.staff_kpi_c kpi=kpi_c />
            <SplitTables id="kpi-d" title=t.staff_kpi_d kpi=kpi_d />
        </section>
    }
}
