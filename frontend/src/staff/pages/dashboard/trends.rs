//! The three KPIs by month or by quarter (calendar quarters, or financial ones when the period
//! picked follows the financial year), each point with its n and 95% interval, each chart with
//! a table of the same figures.

use chrono::Datelike;
use domain::period::Period;
use leptos::prelude::*;

use super::Shown;
use super::period::{
    financial_quarter_of, fy_label, fy_quarter_name, month_name, monthly_range, quarter_name,
    quarterly_range,
};
use crate::i18n::{Messages, StaffMessages, fill, use_i18n};
use crate::staff::api::{self, Trend, TrendBy};
use crate::staff::auth::use_auth;
use crate::staff::components::chart::{PartLabel, TrendChart};
use crate::staff::components::form::radio_button;
use crate::staff::text::trs;
use crate::staff::time::date;

/// Month by month or quarter by quarter, as the person chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Month,
    Quarter,
}

/// The trend the server gave, with what it was asked for.
#[derive(Debug, Clone)]
struct Shape {
    by: TrendBy,
    range: Period,
    trend: Trend,
}

#[component]
pub fn TrendSection(shown: Shown) -> impl IntoView {
    let auth = use_auth();
    let step = RwSignal::new(Step::Month);
    let trend = shown.load(move |p, f| {
        let by = match step.get() {
            Step::Month => TrendBy::Month,
            Step::Quarter if shown.financial.get() => TrendBy::FinancialQuarter,
            Step::Quarter => TrendBy::Quarter,
        };
        async move {
            let range = match by {
                TrendBy::Month => monthly_range(p),
                TrendBy::Quarter | TrendBy::FinancialQuarter => quarterly_range(p),
            }?;
            let trend = api::trend(auth, range, &f, by).await.ok()?;
            Some(Shape { by, range, trend })
        }
    });
    view! {
        <section class="charts" aria-labelledby="charts-title">
            <h2 id="charts-title">{trs(|t| t.staff_trends)}</h2>
            <fieldset class="fieldset trend-step">
                <legend class="legend">{trs(|t| t.staff_trend_by)}</legend>
                <div class="radios radios-inline">
                    {radio_button("trend-by", "month", Step::Month, trs(|t| t.staff_trend_by_month), step)}
                    {radio_button("trend-by", "quarter", Step::Quarter, trs(|t| t.staff_trend_by_quarter), step)}
                </div>
            </fieldset>
            <p class="hint">{trs(|t| t.staff_trend_key)}</p>
            {move || trend.get().flatten().map(|shape| view! { <Charts shape /> })}
        </section>
    }
}

#[component]
fn Charts(shape: Shape) -> impl IntoView {
    let i18n = use_i18n();
    let (t, m) = (i18n.s(), i18n.t());
    let Shape { by, range, trend } = shape;
    let labels: Vec<PartLabel> = trend
        .kpi_d
        .iter()
        .map(|p| part_label(by, p.period, t, m))
        .collect();
    let part = match by {
        TrendBy::Month => trs(|t| t.staff_month),
        TrendBy::Quarter | TrendBy::FinancialQuarter => trs(|t| t.staff_period_quarter),
    };
    let covered = fill(
        t.staff_period_shown,
        &[("first", &date(range.first)), ("last", &date(range.last))],
    );
    view! {
        <div class="trend" data-by=by.as_str() data-first=range.first.to_string() data-last=range.last.to_string()>
            <p class="hint" id="trend-range">{covered}</p>
            <TrendChart id="chart-kpi-c" title=t.staff_kpi_c.to_owned() points=trend.kpi_c labels=labels.clone() part min=1.0 max=5.0 />
            <TrendChart id="chart-kpi-d" title=t.staff_kpi_d.to_owned() points=trend.kpi_d labels=labels.clone() part min=1.0 max=5.0 />
            <TrendChart id="chart-wellbeing" title=t.staff_wellbeing.to_owned() points=trend.wellbeing_change labels part min=-10.0 max=10.0 />
        </div>
    }
}

/// A month ("Apr 25" / "April 2025"), a calendar quarter ("Q2 25" / "2025 Q2 (Apr–Jun)") or a
/// financial one ("Q1 25-26" / "FY 2025-26 Q1 (Apr–Jun 2025)"), by the day it begins.
fn part_label(by: TrendBy, p: Period, t: &'static StaffMessages, m: &Messages) -> PartLabel {
    let day = p.first;
    let short_year = format!("{:02}", day.year().rem_euclid(100));
    match by {
        TrendBy::Month => {
            let name = month_name(m, day.month());
            let short: String = t
                .staff_months_short
                .split_whitespace()
                .nth(day.month0() as usize)
                .unwrap_or(name)
                .to_owned();
            PartLabel {
                short: format!("{short} {short_year}"),
                long: format!("{name} {}", day.year()),
            }
        }
        TrendBy::Quarter => {
            let q = day.month0() / 3 + 1;
            PartLabel {
                short: fill(
                    t.staff_quarter_short,
                    &[("q", &q.to_string()), ("year", &short_year)],
                ),
                long: quarter_name(t, day.year(), q),
            }
        }
        TrendBy::FinancialQuarter => {
            let (year, q) = financial_quarter_of(day);
            let fy = fy_label(year);
            PartLabel {
                short: fill(
                    t.staff_quarter_short,
                    &[("q", &q.to_string()), ("year", &fy[2..])],
                ),
                long: fy_quarter_name(t, year, q),
            }
        }
    }
}
