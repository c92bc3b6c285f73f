//! The manager's dashboard: KPI C, KPI D and wellbeing change for a period as large tiles (each
//! with its n, a small-sample mark and the previous period), month-by-month charts with a table
//! alternative, each satisfaction KPI split by completion mode (help while answering, and whose
//! device), the SWEMWBS gaps and coverage (due vs answered), the comments behind the ratings
//! (voice ones played in the page) and the CSV exports. Filters by team, specialist and
//! programme ask the server, so the figures are exactly the API's.

mod comments;
mod coverage;
mod downloads;
mod filters;
mod period;
mod split;
mod tiles;
mod trends;

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
use filters::{Chosen, FilterForm};
use period::Choice;
use tiles::Headline;
use trends::TrendSection;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let choice = RwSignal::new(Choice::ThisQuarter);
    let chosen = Chosen::new();
    let shown = Shown {
        period: Memo::new(move |_| choice.get().period(today())),
        filters: Memo::new(move |_| chosen.filters()),
    };
    let period_shown = move || {
        shown.period.get().map(|p| {
            fill(
                i18n.s().staff_period_shown,
                &[("first", &date(p.first)), ("last", &date(p.last))],
            )
        })
    };
    view! {
        <PageHeading text=trs_owned(|t| t.staff_dashboard_title) />
        <FilterForm choice chosen />
        <p class="hint" id="period-shown">{period_shown}</p>
        <Headline shown />
        <CoverageSection shown />
        <TrendSection shown />
        <CommentSection shown />
        <Downloads />
    }
}

/// The period and filters chosen, which every figure on the page follows.
#[derive(Debug, Clone, Copy)]
struct Shown {
    period: Memo<Option<Period>>,
    filters: Memo<Filters>,
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
