//! The equality split view (DESIGN §4a): pick a dimension, see KPIs A, B, E, access and KPI D
//! by group. This is the manager's working view (`working=true`): every group is shown, and a
//! group smaller than the organisation's small-number threshold is marked "fewer than N — small
//! sample" (reports and exports suppress them instead).

use domain::outcomes::{EqualityDimension, EqualityFigures, EqualitySplit, GroupFigure};
use leptos::prelude::*;

use super::super::Shown;
use super::judge::{Unit, amount};
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::WideTable;
use crate::staff::components::checked::{Problem, Select};
use crate::staff::text::{group_label, trs};

pub fn dimension_label(t: &'static StaffMessages, d: EqualityDimension) -> &'static str {
    match d {
        EqualityDimension::Gender => t.staff_gender,
        EqualityDimension::AgeBand => t.staff_age_band,
        EqualityDimension::Ethnicity => t.staff_ethnicity,
        EqualityDimension::Disability => t.staff_disability,
        EqualityDimension::LivingSituation => t.staff_living,
        EqualityDimension::Area => t.staff_area,
        EqualityDimension::PayVsMinimumWage => t.staff_pay_vs_minimum,
    }
}

#[component]
pub fn EqualityView(shown: Shown, as_of: Memo<chrono::NaiveDate>) -> impl IntoView {
    let t = use_i18n().s();
    let auth = use_auth();
    let by = RwSignal::new(String::new());
    let figures = shown.load(move |p, f| {
        let (by, as_of) = (EqualityDimension::parse(&by.get()).ok(), as_of.get());
        async move { api::outcome_equality(auth, p, as_of, &f, by?).await.ok() }
    });
    let dimensions = EqualityDimension::ALL
        .iter()
        .map(|d| (d.as_str().to_owned(), dimension_label(t, *d).to_owned()))
        .collect();
    view! {
        <h3 id="equality-title">{t.staff_equality_split_title}</h3>
        <p class="hint">{t.staff_equality_split_lead}</p>
        <Select
            id="equality-by"
            label=trs(|t| t.staff_equality_by)
            options=dimensions
            blank=t.staff_equality_choose
            value=by
            problem=Problem::new()
        />
        {move || figures.get().flatten().map(|f| view! { <EqualityTables figures=f /> })}
    }
}

#[component]
fn EqualityTables(figures: EqualityFigures) -> impl IntoView {
    let t = use_i18n().s();
    let threshold = figures.threshold;
    let note = fill(t.staff_equality_threshold, &[("n", &threshold.to_string())]);
    view! {
        <div class="equality-split" data-by=figures.by.as_str() id="equality-split">
            <p class="hint">{note}</p>
            {figures.splits.into_iter().map(|s| split_table(t, s, threshold)).collect_view()}
        </div>
    }
}

fn figure_name(t: &'static StaffMessages, figure: &str) -> (&'static str, Unit) {
    match figure {
        "kpi_a" => (t.staff_kpi_a, Unit::Percent),
        "kpi_b" => (t.staff_kpi_b, Unit::Weeks),
        "kpi_e" => (t.staff_kpi_e, Unit::Percent),
        "access" => (t.staff_access_title, Unit::Percent),
        _ => (t.staff_kpi_d, Unit::Count),
    }
}

fn split_table(
    t: &'static StaffMessages,
    split: EqualitySplit,
    threshold: u64,
) -> impl IntoView + use<> {
    let (name, unit) = figure_name(t, &split.figure);
    let id = format!("equality-{}", split.figure);
    let caption_id = format!("{id}-caption");
    let rows = split
        .groups
        .into_iter()
        .map(|g| group_row(t, g, unit, threshold))
        .collect_view();
    view! {
        <WideTable labelled_by=caption_id.clone()>
            <table class="table equality-table" id=id>
                <caption id=caption_id>{name}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.staff_group}</th>
                        <th scope="col">{t.staff_value}</th>
                        <th scope="col">"n"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </WideTable>
    }
}

fn group_row(
    t: &'static StaffMessages,
    g: GroupFigure,
    unit: Unit,
    threshold: u64,
) -> impl IntoView + use<> {
    let fewer = fill(t.staff_fewer_than, &[("n", &threshold.to_string())]);
    // An empty group has no value to read with care.
    let small = !g.suppressed && g.n.is_some_and(|n| n > 0 && n < threshold);
    let value = if g.suppressed {
        fewer.clone()
    } else {
        g.value
            .map(|v| amount(t, v, unit))
            .unwrap_or_else(|| "–".to_owned())
    };
    let label = group_label(t, &g.group).unwrap_or(&g.group).to_owned();
    view! {
        <tr
            data-group=g.group.clone()
            data-n=g.n.map(|n| n.to_string()).unwrap_or_default()
            data-small=small.to_string()
        >
            <th scope="row">{label}</th>
            <td>
                {value}
                {small.then(|| view! { <span class="small-sample">" " {fill(t.staff_fewer_small, &[("fewer", &fewer)])}</span> })}
            </td>
            <td>{g.n.map(|n| n.to_string()).unwrap_or_else(|| "–".to_owned())}</td>
        </tr>
    }
}
