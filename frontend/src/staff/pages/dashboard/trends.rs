//! Month-by-month charts of the three KPIs, each with a table of the same figures.

use leptos::prelude::*;

use super::Shown;
use super::period::twelve_months_to;
use crate::i18n::use_i18n;
use crate::staff::api::{self, Trend};
use crate::staff::auth::use_auth;
use crate::staff::components::chart::TrendChart;
use crate::staff::text::trs;

/// The three KPIs month by month over the twelve months to the period's end.
#[component]
pub fn TrendSection(shown: Shown) -> impl IntoView {
    let auth = use_auth();
    let trend = shown.load(move |p, f| async move {
        let range = twelve_months_to(p.last)?;
        api::trend(auth, range, &f).await.ok()
    });
    move || {
        trend
            .get()
            .flatten()
            .map(|trend| view! { <Charts trend /> })
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
