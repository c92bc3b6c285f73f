//! The manager's dashboard: KPI C, KPI D and wellbeing change for any period as large tiles
//! (each with its n, its 95% interval, a small-sample mark and the previous period), charts by
//! month or by quarter with their intervals and a table alternative, each satisfaction KPI split
//! by completion mode (help while answering, and whose device), the SWEMWBS gaps and coverage
//! (due vs answered), records that arrived after the period's report was published, the
//! comments behind the ratings (voice ones played in the page), the outcomes (KPIs A, B and E,
//! access, jobs, cost, caseload and equality splits), the CSV exports and the period's SEQF audit
//! workbook. Filters by
//! team, specialist and programme ask the server, so the figures are exactly the API's.

mod comments;
mod coverage;
mod downloads;
pub(crate) mod filters;
mod late;
mod outcomes;
mod period;
mod split;
mod tiles;
mod trends;

/// The bands table, shown again with the outcome settings.
pub(crate) use outcomes::judge::Unit;
/// Figures in their units and RAG words, as a commissioner's page shows them too.
pub(crate) use outcomes::judge::{amount, rag_word};
pub(crate) use outcomes::kpis::BandsTable;

use std::future::Future;

use domain::period::Period;
use leptos::prelude::*;

use crate::components::PageHeading;
use crate::i18n::{fill, use_i18n};
use crate::load::load;
use crate::staff::api::Filters;
use crate::staff::text::trs_owned;
use crate::staff::time::{date, today};
use comments::CommentSection;
use coverage::CoverageSection;
use downloads::Downloads;
use filters::{Chosen, FilterForm, Picker};
use late::LateNotice;
use outcomes::OutcomesSection;
use tiles::Headline;
use trends::TrendSection;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let picker = Picker::new();
    let chosen = Chosen::new();
    let shown = Shown {
        // While a custom period's dates are wrong (the errors are beside the fields), the last
        // right period stays shown, so the page does not empty and jump under the person typing.
        period: Memo::new(move |before: Option<&Option<Period>>| {
            picker.period().or_else(|| before.copied().flatten())
        }),
        filters: Memo::new(move |_| chosen.filters()),
        financial: Memo::new(move |_| picker.pick.with(|p| p.kind.financial())),
    };
    let period_shown = move || {
        let p = shown.period.get()?;
        let (first, last) = (date(p.first), date(p.last));
        let name = picker.pick.get().name(today(), i18n.s(), i18n.t());
        Some(match name {
            Some(name) => fill(
                i18n.s().staff_period_named,
                &[("name", &name), ("first", &first), ("last", &last)],
            ),
            None => fill(
                i18n.s().staff_period_shown,
                &[("first", &first), ("last", &last)],
            ),
        })
    };
    view! {
        <PageHeading text=trs_owned(|t| t.staff_dashboard_title) />
        <FilterForm picker chosen />
        <p class="hint" id="period-shown" aria-live="polite">{period_shown}</p>
        <LateNotice shown />
        <Headline shown />
        <CoverageSection shown />
        <OutcomesSection shown />
        <TrendSection shown />
        <CommentSection shown />
        <Downloads shown />
    }
}

/// The period and filters chosen, which every figure on the page follows.
#[derive(Debug, Clone, Copy)]
struct Shown {
    period: Memo<Option<Period>>,
    filters: Memo<Filters>,
    /// The period follows the financial year, so its quarters are financial ones.
    financial: Memo<bool>,
}

impl Shown {
    /// `fetch(period, filters)`, again whenever either changes: `None` until it is done, and
    /// `Some(None)` when it gave nothing or there is no period to show.
    fn load<T, F>(
        self,
        fetch: impl Fn(Period, Filters) -> F + 'static,
    ) -> ReadSignal<Option<Option<T>>, LocalStorage>
    where
        T: 'static,
        F: Future<Output = Option<T>> + 'static,
    {
        load(move || {
            let (period, filters) = (self.period.get(), self.filters.get());
            let work = period.map(|p| fetch(p, filters));
            async move {
                match work {
                    Some(work) => work.await,
                    None => None,
                }
            }
        })
    }
}
