//! A satisfaction KPI split by completion mode: the help people had while answering, and whose
//! device carried the answers (answers read aloud or given on a staff phone can be biased).

use domain::kpi::{SatisfactionKpi, Split};
use leptos::prelude::*;

use super::tiles::figure_cell;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::staff::components::WideTable;

/// One KPI split by the help people had while answering and by whose device carried the
/// answers, then the answers of the period that were not counted, and why.
#[component]
pub fn SplitTables(id: &'static str, title: &'static str, kpi: SatisfactionKpi) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.s();
    let excluded = fill(
        t.staff_excluded,
        &[
            ("proxy", &kpi.excluded_proxy.to_string()),
            ("second", &kpi.excluded_second_answers.to_string()),
            ("skipped", &kpi.overall_not_answered.to_string()),
        ],
    );
    // Not a landmark of its own: the tile above already is one with this title.
    view! {
        <div class="split">
            <h3 id=format!("split-{id}-title")>{title}</h3>
            {split_table(&format!("split-{id}-support"), t.staff_support, kpi.by_support, support_label)}
            {split_table(&format!("split-{id}-channel"), t.staff_channel, kpi.by_channel, channel_label)}
            <p
                class="hint"
                id=format!("excluded-{id}")
                data-proxy=kpi.excluded_proxy.to_string()
                data-second=kpi.excluded_second_answers.to_string()
                data-skipped=kpi.overall_not_answered.to_string()
            >
                {excluded}
            </p>
        </div>
    }
}

/// One way of splitting, as a table of groups with their mean (and its interval) and n.
fn split_table(
    id: &str,
    caption: &'static str,
    rows: Vec<Split>,
    label: fn(&'static StaffMessages, &str) -> &'static str,
) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let t = i18n.s();
    let empty = rows.is_empty();
    let (table_id, caption_id) = (id.to_owned(), format!("{id}-caption"));
    view! {
        <WideTable labelled_by=caption_id.clone()>
        <table class="table split-table" id=table_id>
            <caption id=caption_id>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{t.staff_split_group}</th>
                    <th scope="col">{t.staff_split_mean}</th>
                    <th scope="col">"n"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|s| view! {
                    <tr
                        data-key=s.key.clone()
                        data-n=s.n.to_string()
                        data-mean=s.mean.map(|m| m.to_string()).unwrap_or_default()
                        data-low=s.mean_interval.map(|i| i.low.to_string()).unwrap_or_default()
                        data-high=s.mean_interval.map(|i| i.high.to_string()).unwrap_or_default()
                    >
                        <th scope="row">{label(t, &s.key)}</th>
                        <td>
                            {figure_cell(t, s.mean, s.mean_interval)}
                            {s.small_sample.then(|| view! { <span class="small-sample">" " {t.staff_small_sample}</span> })}
                        </td>
                        <td>{s.n}</td>
                    </tr>
                }).collect_view()}
                {empty.then(|| view! { <tr><td colspan="3">{t.staff_split_none}</td></tr> })}
            </tbody>
        </table>
        </WideTable>
    }
}

/// Whose device carried the answers, in words.
pub fn channel_label(t: &'static StaffMessages, key: &str) -> &'static str {
    match key {
        "own_device" => t.staff_channel_own,
        "staff_device" => t.staff_channel_staff,
        "paper_transcribed" => t.staff_channel_paper,
        _ => t.staff_support_other,
    }
}

/// The help a person had while answering, in words.
pub fn support_label(t: &'static StaffMessages, key: &str) -> &'static str {
    match key {
        "none" => t.staff_support_none,
        "read_aloud" => t.staff_support_read_aloud,
        "staff_assisted" => t.staff_support_assisted,
        _ => t.staff_support_other,
    }
}
