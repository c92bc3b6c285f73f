//! The dashboard's outcomes (DESIGN §4a) for the period and filters chosen above, read as of a
//! report date (today unless changed): KPIs A, B and E with their scores and bands, access,
//! starters into paid work, the jobs of the period, cost, active caseload per specialist, and
//! the equality split view. Every judged figure shows its benchmark and the organisation's
//! target with the RAG word beside its colour. The figures are the API's, not recomputed here.

mod caseload;
mod equality;
mod figures;
pub(crate) mod judge;
pub(crate) mod kpis;

use chrono::NaiveDate;
use domain::outcomes::OutcomeFigures;
use leptos::prelude::*;

use super::Shown;
use crate::i18n::{fill, use_i18n};
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::checked::{Input, Problem};
use crate::staff::text::trs;
use crate::staff::time::{date, today};
use caseload::CaseloadTable;
use equality::EqualityView;
use figures::{AccessFigures, CostFigures, JobFigures};
use kpis::{KpiA, KpiB, KpiE};

#[component]
pub fn OutcomesSection(shown: Shown) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let as_of_text = RwSignal::new(today().to_string());
    let problem = Problem::new();
    // A date being typed, or cleared, leaves the figures as of today.
    let as_of =
        Memo::new(move |_| as_of_text.with(|d| d.parse::<NaiveDate>().unwrap_or_else(|_| today())));
    let figures = shown.load(move |p, f| {
        let as_of = as_of.get();
        async move { Some(api::outcomes(auth, p, as_of, &f).await) }
    });
    let loaded = move || figures.with(|f| matches!(f, Some(Some(Ok(_)))));
    view! {
        <section class="dashboard-detail outcomes" id="outcomes" aria-labelledby="outcomes-title" data-loaded=move || loaded().to_string()>
            <h2 id="outcomes-title">{trs(|t| t.staff_outcomes_title)}</h2>
            <p class="hint">{trs(|t| t.staff_outcomes_lead)}</p>
            <Input
                id="as-of"
                label=trs(|t| t.staff_as_of)
                hint=trs(|t| t.staff_as_of_hint)
                kind="date"
                value=as_of_text
                problem
            />
            // Built in the language shown: a switch of language draws them again.
            {move || match (i18n.lang(), figures.get()).1 {
                None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
                Some(Some(Err(error))) => {
                    log::warn!("outcomes: {error}");
                    view! { <p class="error-message" role="alert">{trs(|t| t.staff_dashboard_error)}</p> }.into_any()
                }
                Some(None) => ().into_any(),
                Some(Some(Ok(f))) => view! { <Figures f /> }.into_any(),
            }}
            <CaseloadSection shown />
            <EqualityView shown as_of />
        </section>
    }
}

#[component]
fn Figures(f: OutcomeFigures) -> impl IntoView {
    let t = use_i18n().s();
    let about = fill(
        t.staff_outcomes_about,
        &[
            ("date", &date(f.as_of)),
            ("programme", &f.programme.as_str().to_uppercase()),
        ],
    );
    view! {
        <p
            class="hint"
            id="outcomes-shown"
            data-first=f.period.first.to_string()
            data-last=f.period.last.to_string()
            data-as-of=f.as_of.to_string()
        >
            {about}
        </p>
        <div class="tiles outcome-tiles">
            <KpiA kpi=f.kpi_a.clone() as_of=f.as_of />
            <KpiB kpi=f.kpi_b.clone() />
            <KpiE kpi=f.kpi_e.clone() />
        </div>
        <AccessFigures f=f.clone() />
        <JobFigures f=f.clone() />
        <CostFigures f />
    }
}

/// Active caseload on the period's last day, or today while the period is still running.
#[component]
fn CaseloadSection(shown: Shown) -> impl IntoView {
    let auth = use_auth();
    let figures = shown.load(move |p, f| async move {
        let on = p.last.min(today());
        api::outcome_caseload(auth, on, &f).await.ok()
    });
    move || {
        figures
            .get()
            .flatten()
            .map(|figures| view! { <CaseloadTable figures /> })
    }
}
