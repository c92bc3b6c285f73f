//! A satisfaction KPI split by completion mode: the help people had while answering, and whose
//! device carried the answers (answers read aloud or given on a staff phone can be biased).

use domain::kpi::{SatisfactionKpi, Split};
use leptos::prelude::*;

use crate::i18n::{StaffMessages, use_i18n};

/// One KPI split by the help people had while answering and by whose device carried the answers.
#[component]
pub fn SplitTables(id: &'static str, title: &'static str, kpi: SatisfactionKpi) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.s();
    // Not a landmark of its own: the tile above already is one with this title.
    view! {
        <div class="split">
            <h3 id=format!("split-{id}-title")>{title}</h3>
            {split_table(&format!("split-{id}-support"), t.staff_support, kpi.by_support, support_label)}
            {split_table(&format!("split-{id}-channel"), t.staff_channel, kpi.by_channel, channel_label)}
        </div>
    }
}

/// One way of splitting, as a table of groups with their mean and n.
fn split_table(
    id: &str,
    caption: &'static str,
    rows: Vec<Split>,
    label: fn(&'static StaffMessages, &str) -> &'static str,
) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let t = i18n.s();
    let empty = rows.is_empty();
    view! {
        <table class="table split-table" id=id.to_owned()>
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{t.staff_split_group}</th>
                    <th scope="col">{t.staff_split_mean}</th>
                    <th scope="col">"n"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|s| view! {
                    <tr data-key=s.key.clone() data-n=s.n.to_string() data-mean=s.mean.map(|m| m.to_string()).unwrap_or_default()>
                        <th scope="row">{label(t, &s.key)}</th>
                        <td>
                            {s.mean.map(|m| m.to_string()).unwrap_or_else(|| "–".to_owned())}
                            {s.small_sample.then(|| view! { <span class="small-sample">" " {t.staff_small_sample}</span> })}
                        </td>
                        <td>{s.n}</td>
                    </tr>
                }).collect_view()}
                {empty.then(|| view! { <tr><td colspan="3">{t.staff_split_none}</td></tr> })}
            </tbody>
        </table>
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
