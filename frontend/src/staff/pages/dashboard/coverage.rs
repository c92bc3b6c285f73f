//! Who was due each survey in the period and who answered: the gaps are the people missing.

use domain::coverage::{Coverage, DueAnswered};
use leptos::prelude::*;

use super::Shown;
use super::tiles::figure_cell;
use crate::i18n::{fill, use_i18n};
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::WideTable;
use crate::staff::text::trs;

/// The period's coverage, once the server has given it.
#[component]
pub fn CoverageSection(shown: Shown) -> impl IntoView {
    let auth = use_auth();
    let coverage = shown.load(move |p, f| async move { api::coverage(auth, p, &f).await.ok() });
    move || {
        coverage
            .get()
            .flatten()
            .map(|c| view! { <CoverageTable coverage=c /> })
    }
}

#[component]
fn CoverageTable(coverage: Coverage) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.s();
    let rows: [(&'static str, &'static str, DueAnswered); 4] = [
        (
            "swemwbs_start",
            t.staff_coverage_swemwbs_start,
            coverage.swemwbs_start,
        ),
        (
            "swemwbs_end",
            t.staff_coverage_swemwbs_end,
            coverage.swemwbs_end,
        ),
        (
            "jobseeker_satisfaction",
            t.staff_kpi_d,
            coverage.jobseeker_satisfaction,
        ),
        (
            "employer_satisfaction",
            t.staff_kpi_c,
            coverage.employer_satisfaction,
        ),
    ];
    view! {
        <section class="dashboard-detail" aria-labelledby="coverage-title">
            <h2 id="coverage-title">{trs(|t| t.staff_coverage_title)}</h2>
            <p class="hint">{trs(|t| t.staff_coverage_lead)}</p>
            <WideTable labelled_by="coverage-title">
            <table class="table" id="coverage">
                <caption class="visually-hidden">{trs(|t| t.staff_coverage_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.staff_coverage_survey}</th>
                        <th scope="col">{t.staff_coverage_due}</th>
                        <th scope="col">{t.staff_coverage_answered}</th>
                        <th scope="col">{t.staff_coverage_missing}</th>
                        <th scope="col">"%"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|(key, label, d)| view! {
                        <tr
                            data-key=key
                            data-due=d.due.to_string()
                            data-answered=d.answered.to_string()
                            data-low=d.pct_interval.map(|i| i.low.to_string()).unwrap_or_default()
                            data-high=d.pct_interval.map(|i| i.high.to_string()).unwrap_or_default()
                        >
                            <th scope="row">{label}</th>
                            <td>{d.due}</td>
                            <td>{d.answered}</td>
                            <td class="coverage-missing">{d.due.saturating_sub(d.answered)}</td>
                            <td>{figure_cell(t, d.pct, d.pct_interval)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </WideTable>
            <p id="coverage-invitations">
                {fill(t.staff_coverage_invitations, &[
                    ("sent", &coverage.invitations_sent.to_string()),
                    ("answered", &coverage.invitations_answered.to_string()),
                ])}
            </p>
        </section>
    }
}
