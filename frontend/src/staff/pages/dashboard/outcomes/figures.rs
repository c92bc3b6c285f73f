//! The outcome figures besides the KPIs (DESIGN §4a): access and why referrals were not
//! accepted, starters into paid work, the jobs started in the period (outcome mix, job
//! analysis, hours before and after, pay, sustained weeks, sectors, pay against the minimum
//! wage) and cost, each percentage and mean with its 95% interval.

use domain::journey::{NotAcceptedReason, OutcomeType, Sector};
use domain::outcomes::{Count, Mean, OutcomeFigures, Rate};
use leptos::prelude::*;

use super::judge::{JudgedLines, Unit, amount};
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::staff::components::WideTable;
use crate::staff::components::chart::interval_text;
use crate::staff::text::{group_label, not_accepted_label, outcome_label, sector_label};

/// "25.00% (95% CI 12.1% to 40.2%): 5 of 20".
pub fn rate_text(t: &'static StaffMessages, r: &Rate) -> String {
    let value = match (r.percent, r.interval) {
        (Some(p), Some(i)) => format!("{p}% ({})", interval_text(t.staff_ci, i, "%")),
        (Some(p), None) => format!("{p}%"),
        (None, _) => "–".to_owned(),
    };
    fill(
        t.staff_rate_line,
        &[
            ("value", &value),
            ("k", &r.numerator.to_string()),
            ("n", &r.n.to_string()),
        ],
    )
}

/// "12.50 hours (95% CI …), n = 8".
pub fn mean_text(t: &'static StaffMessages, m: &Mean, unit: Unit) -> String {
    let value = match m.mean {
        Some(v) => {
            let ci = m.interval.map(|i| {
                let low = amount(t, i.low, unit);
                let high = amount(t, i.high, unit);
                format!(" ({})", fill(t.staff_ci, &[("low", &low), ("high", &high)]))
            });
            format!("{}{}", amount(t, v, unit), ci.unwrap_or_default())
        }
        None => "–".to_owned(),
    };
    fill(
        t.staff_mean_line,
        &[("value", &value), ("n", &m.n.to_string())],
    )
}

/// A count per key as a table; `label` names each key.
fn count_table(
    id: &'static str,
    caption: &'static str,
    counts: Vec<Count>,
    label: impl Fn(&str) -> String,
) -> impl IntoView {
    let t = use_i18n().s();
    let empty = counts.is_empty();
    let caption_id = format!("{id}-caption");
    let rows = counts
        .into_iter()
        .map(|c| {
            view! {
                <tr data-key=c.key.clone() data-n=c.n.to_string()>
                    <th scope="row">{label(&c.key)}</th>
                    <td>{c.n}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <WideTable labelled_by=caption_id.clone()>
            <table class="table count-table" id=id>
                <caption id=caption_id>{caption}</caption>
                <thead><tr><th scope="col">{t.staff_group}</th><th scope="col">"n"</th></tr></thead>
                <tbody>
                    {rows}
                    {empty.then(|| view! { <tr><td colspan="2">{t.staff_none_in_period}</td></tr> })}
                </tbody>
            </table>
        </WideTable>
    }
}

#[component]
pub fn AccessFigures(f: OutcomeFigures) -> impl IntoView {
    let t = use_i18n().s();
    let reason = move |key: &str| {
        NotAcceptedReason::parse(key)
            .map_or_else(|_| key.to_owned(), |r| not_accepted_label(t, r).to_owned())
    };
    view! {
        <h3 id="access-title">{t.staff_access_title}</h3>
        <p id="access" data-n=f.access.n.to_string() data-numerator=f.access.numerator.to_string()>
            {fill(t.staff_access_line, &[("rate", &rate_text(t, &f.access))])}
        </p>
        <JudgedLines judged=f.access_judged unit=Unit::Percent />
        {count_table("not-accepted", t.staff_not_accepted_caption, f.not_accepted, reason)}
        <h3 id="into-work-title">{t.staff_into_work_title}</h3>
        <p
            id="into-paid-work"
            data-n=f.into_paid_work.n.to_string()
            data-numerator=f.into_paid_work.numerator.to_string()
        >
            {fill(t.staff_into_work_line, &[("rate", &rate_text(t, &f.into_paid_work))])}
        </p>
        <JudgedLines judged=f.into_paid_work_judged unit=Unit::Percent />
    }
}

#[component]
pub fn JobFigures(f: OutcomeFigures) -> impl IntoView {
    let t = use_i18n().s();
    let outcome = move |key: &str| {
        OutcomeType::parse(key).map_or_else(|_| key.to_owned(), |o| outcome_label(t, o).to_owned())
    };
    let sector = move |key: &str| match Sector::parse(key) {
        Ok(s) => format!("{key} – {}", sector_label(t, s)),
        Err(_) => group_label(t, key).unwrap_or(key).to_owned(),
    };
    let group = move |key: &str| group_label(t, key).unwrap_or(key).to_owned();
    view! {
        <h3 id="jobs-title">{t.staff_jobs_started_title}</h3>
        {count_table("outcome-mix", t.staff_outcome_mix_caption, f.outcome_mix, outcome)}
        <ul class="plain-list job-figures">
            <li id="job-analysis">{fill(t.staff_job_analysis_line, &[("rate", &rate_text(t, &f.job_analysis))])}</li>
            <li id="hours-before">{fill(t.staff_hours_before_line, &[("mean", &mean_text(t, &f.hours_before, Unit::Count))])}</li>
            <li id="hours-after">{fill(t.staff_hours_after_line, &[("mean", &mean_text(t, &f.hours_after, Unit::Count))])}</li>
            <li id="hourly-pay">{fill(t.staff_hourly_pay_line, &[("mean", &mean_text(t, &f.hourly_pay, Unit::Pounds))])}</li>
            <li id="sustained-weeks">{fill(t.staff_sustained_line, &[("mean", &mean_text(t, &f.sustained_weeks, Unit::Weeks))])}</li>
        </ul>
        {count_table("sectors", t.staff_sectors_caption, f.sectors, sector)}
        {count_table("minimum-wage", t.staff_minimum_wage_caption, f.minimum_wage, group)}
    }
}

#[component]
pub fn CostFigures(f: OutcomeFigures) -> impl IntoView {
    let t = use_i18n().s();
    let Some(c) = f.cost else {
        return view! { <h3>{t.staff_cost_title}</h3> <p class="hint" id="cost-none">{t.staff_cost_none}</p> }.into_any();
    };
    let pounds = |v| amount(t, v, Unit::Pounds);
    let span = fill(
        t.staff_cost_span,
        &[
            ("value", &pounds(c.contract_value)),
            ("first", &crate::staff::time::date(c.first)),
            ("last", &crate::staff::time::date(c.last)),
        ],
    );
    let each = |template: &str, v: Option<domain::Hundredths>, n: u64| {
        fill(
            template,
            &[
                ("value", &v.map(pounds).unwrap_or_else(|| "–".to_owned())),
                ("n", &n.to_string()),
            ],
        )
    };
    view! {
        <h3>{t.staff_cost_title}</h3>
        <p>{span}</p>
        <p id="cost-participant">{each(t.staff_cost_participant, c.per_participant, c.participants)}</p>
        <JudgedLines judged=c.per_participant_judged unit=Unit::Pounds />
        <p id="cost-job">{each(t.staff_cost_job, c.per_job_outcome, c.job_outcomes)}</p>
        <JudgedLines judged=c.per_job_outcome_judged unit=Unit::Pounds />
    }
    .into_any()
}
