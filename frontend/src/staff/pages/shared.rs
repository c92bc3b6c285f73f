//! A commissioner's page (seed 002: a funder reviews the service in about ten minutes a week):
//! for each organisation that shares its reports with them, the latest report's grade, key
//! messages and headline figures against their benchmarks, the headline trend across its
//! reports, and every report to open or download. Nothing about one person reaches it: the API
//! sends only what a published report holds.

use domain::Hundredths;
use domain::commissioning::SharedReport;
use domain::outcomes::{Benchmark, Rag};
use domain::report::HeadlineFigure;
use leptos::prelude::*;
use uuid::Uuid;

use crate::components::PageHeading;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::load::load;
use crate::staff::api;
use crate::staff::auth::use_auth;
use crate::staff::components::WideTable;
use crate::staff::components::report_tab::ReportLinks;
use crate::staff::pages::dashboard::{Unit, amount, rag_word};
use crate::staff::pages::reports::grade_label;
use crate::staff::text::{trs, trs_owned};
use crate::staff::time::{date, local_date};

#[component]
pub fn SharedPage() -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    let reports = load(move || async move { api::shared_reports(auth).await });
    view! {
        <PageHeading text=trs_owned(|t| t.staff_shared_title) />
        <p class="lead">{trs(|t| t.staff_shared_lead)}</p>
        // Drawn again in the other language when the person switches.
        {move || {
            let _language = i18n.lang();
            match reports.get() {
                None => view! { <p role="status">{trs(|t| t.staff_loading)}</p> }.into_any(),
                Some(Err(error)) => {
                    log::warn!("shared reports not fetched: {error}");
                    view! { <p class="error-message" role="alert">{trs(|t| t.staff_reports_failed)}</p> }
                        .into_any()
                }
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p id="shared-none">{trs(|t| t.staff_shared_none)}</p> }.into_any()
                }
                Some(Ok(list)) => by_organisation(list)
                    .into_iter()
                    .map(|reports| view! { <Organisation reports /> })
                    .collect_view()
                    .into_any(),
            }
        }}
    }
}

/// The reports (newest first) of each organisation, organisations in the order of their names.
fn by_organisation(reports: Vec<SharedReport>) -> Vec<Vec<SharedReport>> {
    let mut groups: Vec<Vec<SharedReport>> = Vec::new();
    for report in reports {
        match groups
            .iter_mut()
            .find(|g| g[0].organisation_id == report.organisation_id)
        {
            Some(group) => group.push(report),
            None => groups.push(vec![report]),
        }
    }
    for group in &mut groups {
        group.sort_by_key(|r| std::cmp::Reverse(r.published_at));
    }
    groups.sort_by(|a, b| a[0].organisation.cmp(&b[0].organisation));
    groups
}

/// One organisation: its latest report, its headline trend and all its reports. `reports` is
/// never empty and newest first.
#[component]
fn Organisation(reports: Vec<SharedReport>) -> impl IntoView {
    let Some(latest) = reports.first().cloned() else {
        return ().into_any();
    };
    let org: Uuid = latest.organisation_id;
    let heading = format!("org-{org}");
    let labelled_by = heading.clone();
    let name = latest.organisation.clone();
    let list = reports
        .iter()
        .cloned()
        .map(|report| view! { <SharedItem report /> })
        .collect_view();
    view! {
        <section class="shared-org" aria-labelledby=labelled_by data-organisation=org.to_string()>
            <h2 id=heading>{name}</h2>
            <Latest report=latest />
            <Trend reports=reports />
            <h3>{trs(|t| t.staff_reports_list)}</h3>
            <ul class="plain-list report-list">{list}</ul>
        </section>
    }
    .into_any()
}

/// The latest report at a glance: its grade and why, the key messages and the headline figures.
#[component]
fn Latest(report: SharedReport) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.s();
    let period = fill(
        t.staff_reports_when,
        &[
            ("first", &date(report.period.first)),
            ("last", &date(report.period.last)),
            ("on", &date(local_date(report.published_at))),
        ],
    );
    let grade = match &report.grade {
        Some(g) => view! {
            <p class="shared-grade" data-grade=g.grade.as_str()>
                {t.staff_reports_grade}": "<strong>{grade_label(t, g.grade.as_str())}</strong>
            </p>
            <p class="shared-reason">{g.reason.clone()}</p>
        }
        .into_any(),
        None => view! { <p class="shared-grade">{t.staff_shared_no_grade}</p> }.into_any(),
    };
    let messages = if report.key_messages.is_empty() {
        view! { <p>{t.staff_shared_no_messages}</p> }.into_any()
    } else {
        view! {
            <ul class="key-messages">
                {report.key_messages.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let figures = report
        .headlines
        .iter()
        .map(|f| headline(t, f))
        .collect_view();
    view! {
        <div class="shared-latest" data-report=report.id.to_string()>
            <h3>{fill(t.staff_shared_latest, &[("title", &report.title)])}</h3>
            <p class="hint">{period}</p>
            {grade}
            <h4>{t.staff_reports_messages}</h4>
            {messages}
            <h4>{t.staff_shared_figures}</h4>
            <ul class="plain-list headline-list">{figures}</ul>
        </div>
    }
}

/// One headline figure: its name, its value in its unit, and how it stands against its
/// benchmark, the RAG word always beside the colour.
fn headline(t: &'static StaffMessages, f: &HeadlineFigure) -> impl IntoView + use<> {
    let value = f.value.map_or_else(
        || t.staff_shared_no_figure.to_owned(),
        |v| figure_text(t, f, v),
    );
    let asks = f
        .judged_by
        .map(|b| benchmark_text(t, f, b))
        .or_else(|| f.benchmark.clone());
    let judged = match (f.rag, asks) {
        (Some(rag), Some(asks)) => Some(
            view! {
                <p class="headline-judged">
                    {rag_tag(t, rag)} " — " {fill(rag_how(t, rag), &[("what", &asks)])}
                </p>
            }
            .into_any(),
        ),
        (Some(rag), None) => {
            Some(view! { <p class="headline-judged">{rag_tag(t, rag)}</p> }.into_any())
        }
        (None, Some(asks)) => Some(
            view! {
                <p class="headline-judged">{fill(t.staff_shared_benchmark, &[("asks", &asks)])}</p>
            }
            .into_any(),
        ),
        (None, None) => None,
    };
    view! {
        <li
            class="headline"
            data-name=f.name.clone()
            data-key=f.key.clone()
            data-value=f.value.map(|v| v.to_string()).unwrap_or_default()
            data-rag=f.rag.map(|r| r.as_str()).unwrap_or_default()
        >
            <p class="headline-name">{figure_name(t, &f.key, &f.name)}</p>
            <p class="headline-value">{value}</p>
            {judged}
        </li>
    }
}

fn rag_tag(t: &'static StaffMessages, rag: Rag) -> impl IntoView + use<> {
    view! { <span class=format!("rag rag-{}", rag.as_str())>{rag_word(t, rag)}</span> }
}

fn rag_how(t: &'static StaffMessages, rag: Rag) -> &'static str {
    match rag {
        Rag::Green => t.staff_rag_meets,
        Rag::Amber => t.staff_rag_near,
        Rag::Red => t.staff_rag_misses,
    }
}

/// The headline figures of every report of one organisation, periods oldest first, so a
/// direction reads left to right.
#[component]
fn Trend(reports: Vec<SharedReport>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.s();
    let org = reports
        .first()
        .map(|r| r.organisation_id)
        .unwrap_or_default();
    let caption = format!("trend-{org}");
    let labelled_by = caption.clone();
    let mut oldest_first = reports;
    oldest_first.reverse();
    // Every figure any report holds (by key, with its English name should the app not know
    // it), in the order the newest lists them.
    let mut names: Vec<(String, String)> = Vec::new();
    for report in oldest_first.iter().rev() {
        for f in &report.headlines {
            if !names.iter().any(|(key, _)| key == &f.key) {
                names.push((f.key.clone(), f.name.clone()));
            }
        }
    }
    let columns = oldest_first
        .iter()
        .map(|r| {
            let period = fill(
                t.staff_shared_period,
                &[
                    ("first", &date(r.period.first)),
                    ("last", &date(r.period.last)),
                ],
            );
            view! { <th scope="col">{period}</th> }
        })
        .collect_view();
    let rows = names
        .iter()
        .map(|(key, name)| {
            let cells = oldest_first
                .iter()
                .map(|r| {
                    let figure = r.headlines.iter().find(|f| &f.key == key);
                    let text = figure
                        .and_then(|f| f.value.map(|v| figure_text(t, f, v)))
                        .unwrap_or_else(|| t.staff_shared_no_figure.to_owned());
                    let rag = figure
                        .and_then(|f| f.rag)
                        .map(|r| view! { " " {rag_tag(t, r)} });
                    view! { <td>{text}{rag}</td> }
                })
                .collect_view();
            view! {
                <tr data-name=name.clone() data-key=key.clone()>
                    <th scope="row">{figure_name(t, key, name)}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>{t.staff_shared_trend}</h3>
        <WideTable labelled_by=labelled_by>
            <table class="table trend-table">
                <caption id=caption>{t.staff_shared_trend_caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.staff_reports_figure}</th>
                        {columns}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </WideTable>
    }
}

/// One report of the organisation: its title, period and grade, to open or download.
#[component]
fn SharedItem(report: SharedReport) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.s();
    let when = fill(
        t.staff_reports_when,
        &[
            ("first", &date(report.period.first)),
            ("last", &date(report.period.last)),
            ("on", &date(local_date(report.published_at))),
        ],
    );
    let grade = report.grade.as_ref().map(|g| {
        view! {
            <p class="report-grade">{t.staff_reports_grade}": "<strong>{grade_label(t, g.grade.as_str())}</strong></p>
        }
    });
    view! {
        <li class="report-item" data-id=report.id.to_string()>
            <h4>{report.title.clone()}</h4>
            <p class="hint">{when}</p>
            {grade}
            <ReportLinks id=report.id period=report.period about=report.title.clone() />
        </li>
    }
}

/// A headline figure's name in the person's language, by its key; a figure this app does not
/// know yet keeps the server's words.
fn figure_name(t: &'static StaffMessages, key: &str, name: &str) -> String {
    let known = match key {
        "kpi_a" => t.staff_kpi_a,
        "kpi_b" => t.staff_kpi_b,
        "kpi_c" => t.staff_shared_kpi_c,
        "kpi_d" => t.staff_shared_kpi_d,
        "kpi_e" => t.staff_kpi_e,
        "wellbeing_change" => t.staff_wellbeing,
        "access" => t.staff_shared_access,
        "into_paid_work" => t.staff_shared_into_paid_work,
        "cost_per_participant" => t.staff_shared_cost_participant,
        "cost_per_job_outcome" => t.staff_shared_cost_job,
        _ => return name.to_owned(),
    };
    known.to_owned()
}

/// Whether a figure is in pounds: the costs.
fn in_pounds(f: &HeadlineFigure) -> bool {
    f.key.starts_with("cost_")
}

/// A figure's value in its unit: "42.50%", "12.30 weeks", "£8,217.00".
fn figure_text(t: &'static StaffMessages, f: &HeadlineFigure, v: Hundredths) -> String {
    if in_pounds(f) {
        amount(t, v, Unit::Pounds)
    } else {
        with_unit(t, &v.to_string(), &f.unit)
    }
}

/// A number followed by the server's unit (" weeks", " points", "%"), in the person's language.
fn with_unit(t: &'static StaffMessages, number: &str, unit: &str) -> String {
    match unit {
        " weeks" => fill(t.staff_weeks, &[("n", number)]),
        " points" => fill(t.staff_shared_points, &[("n", number)]),
        other => format!("{number}{other}"),
    }
}

/// The benchmark (or target) a figure is judged by, in the person's language, pounds as pounds.
fn benchmark_text(t: &'static StaffMessages, f: &HeadlineFigure, b: Benchmark) -> String {
    let value = |v: Hundredths| figure_text(t, f, v);
    match b {
        Benchmark::AtLeast { value: v } => fill(t.staff_at_least, &[("v", &value(v))]),
        Benchmark::AtMost { value: v } => fill(t.staff_at_most, &[("v", &value(v))]),
        Benchmark::Between { low, high } => fill(
            t.staff_between,
            &[("low", &value(low)), ("high", &value(high))],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use chrono::{NaiveDate, TimeZone, Utc};
    use domain::period::Period;

    fn figure(key: &str, unit: &str) -> HeadlineFigure {
        HeadlineFigure {
            key: key.to_owned(),
            name: format!("The figure {key}"),
            unit: unit.to_owned(),
            value: Some(Hundredths(821_700)),
            rag: None,
            benchmark: None,
            judged_by: None,
        }
    }

    #[test]
    fn benchmarks_are_said_in_the_person_s_language_and_pounds_as_pounds() {
        let en = Lang::En.staff();
        let cy = Lang::Cy.staff();
        let rate = figure("into_paid_work", "%");
        let forty = Benchmark::AtLeast {
            value: Hundredths(4000),
        };
        assert_eq!(benchmark_text(en, &rate, forty), "at least 40.00%");
        assert_eq!(benchmark_text(cy, &rate, forty), "o leiaf 40.00%");
        let cost = figure("cost_per_participant", "");
        let range = Benchmark::Between {
            low: Hundredths(450_000),
            high: Hundredths(650_000),
        };
        assert_eq!(benchmark_text(en, &cost, range), "£4,500.00 to £6,500.00");
        assert_eq!(figure_text(en, &cost, Hundredths(821_700)), "£8,217.00");
        let weeks = figure("kpi_b", " weeks");
        assert_eq!(figure_text(en, &weeks, Hundredths(1230)), "12.30 weeks");
        assert_eq!(
            figure_name(cy, "from_later", "A figure from later"),
            "A figure from later"
        );
        assert_eq!(
            figure_name(cy, "cost_per_job_outcome", "Cost per job outcome (£)"),
            cy.staff_shared_cost_job
        );
    }

    fn report(org: u128, name: &str, day: u32) -> SharedReport {
        let d = NaiveDate::from_ymd_opt(2025, 1, day).unwrap_or_default();
        SharedReport {
            id: Uuid::from_u128(u128::from(day)),
            organisation_id: Uuid::from_u128(org),
            organisation: name.to_owned(),
            title: format!("Report {day}"),
            period: Period { first: d, last: d },
            published_at: Utc.with_ymd_and_hms(2025, 2, day, 9, 0, 0).unwrap(),
            grade: None,
            key_messages: vec![],
            headlines: vec![],
        }
    }

    #[test]
    fn reports_are_grouped_by_organisation_newest_first() {
        let groups = by_organisation(vec![
            report(2, "Valley Works", 9),
            report(1, "Afon Jobs", 8),
            report(2, "Valley Works", 3),
            report(1, "Afon Jobs", 5),
        ]);
        let titles: Vec<Vec<&str>> = groups
            .iter()
            .map(|g| g.iter().map(|r| r.title.as_str()).collect())
            .collect();
        assert_eq!(
            titles,
            vec![vec!["Report 8", "Report 5"], vec!["Report 9", "Report 3"]]
        );
    }
}
