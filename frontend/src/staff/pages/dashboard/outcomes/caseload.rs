//! Active caseload per specialist on a day (episodes started and not ended), each beside the
//! programme's benchmark and the organisation's target with its RAG word.

use domain::outcomes::{CaseloadFigures, Rag};
use leptos::prelude::*;

use super::judge::{Unit, asks, rag_word};
use crate::i18n::{fill, use_i18n};
use crate::staff::components::WideTable;
use crate::staff::time::date;

#[component]
pub fn CaseloadTable(figures: CaseloadFigures) -> impl IntoView {
    let t = use_i18n().s();
    let caption = fill(t.staff_caseload_on, &[("date", &date(figures.on))]);
    let judged = move |b: Option<domain::outcomes::Benchmark>, rag: Option<Rag>| match (b, rag) {
        (Some(b), Some(r)) => view! {
            <span class=format!("rag rag-{}", r.as_str())>{rag_word(t, r)}</span>
            " — " {asks(t, b, Unit::Count)}
        }
        .into_any(),
        (Some(b), None) => asks(t, b, Unit::Count).into_any(),
        (None, _) => "–".into_any(),
    };
    let empty = figures.specialists.is_empty();
    let rows = figures
        .specialists
        .into_iter()
        .map(|s| {
            view! {
                <tr data-specialist=s.specialist_id.to_string() data-active=s.active.to_string()>
                    <th scope="row">{s.name}</th>
                    <td>{s.active}</td>
                    <td data-rag=s.judged.benchmark_rag.map(|r| r.as_str()).unwrap_or("")>{judged(s.judged.benchmark, s.judged.benchmark_rag)}</td>
                    <td>{judged(s.judged.target, s.judged.target_rag)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3 id="caseload-title">{t.staff_caseload_figures_title}</h3>
        <WideTable labelled_by="caseload-caption">
            <table class="table" id="active-caseload">
                <caption id="caseload-caption">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.staff_specialist}</th>
                        <th scope="col">{t.staff_active_clients}</th>
                        <th scope="col">{t.staff_benchmark}</th>
                        <th scope="col">{t.staff_target}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows}
                    {empty.then(|| view! { <tr><td colspan="4">{t.staff_none_in_period}</td></tr> })}
                </tbody>
            </table>
        </WideTable>
    }
}
