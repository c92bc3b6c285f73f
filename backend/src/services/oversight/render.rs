//! Published reports and the audit trail as files: a CSV with each figure's calculation
//! basis, a printable page, the audit trail as CSV.

use crate::{Result, entities::audit_entry, html};
use domain::{
    Hundredths,
    kpi::interval::Interval,
    privacy::{PublishedReport, ReportSnapshot},
    spreadsheet,
};
use uuid::Uuid;

fn fig(v: Option<Hundredths>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

/// A 95% interval as `low to high`; `-` where there is none (fewer than 2 behind the figure).
fn interval(i: Option<Interval>) -> String {
    i.map(|i| format!("{} to {}", i.low, i.high))
        .unwrap_or_else(|| "-".into())
}

/// The instrument versions a report records: those its counted responses answered
/// (`jobseeker_satisfaction v1, v2`), or for a report published before those were recorded,
/// the newest versions at the time, said to be such.
fn instruments(s: &ReportSnapshot, sep: &str) -> String {
    if s.answered_versions.is_empty() && !s.instrument_versions.is_empty() {
        return format!("newest at publication: {}", s.instrument_versions.join(sep));
    }
    if s.answered_versions.is_empty() {
        return "none answered".into();
    }
    let answered = s
        .answered_versions
        .iter()
        .map(|(key, versions)| {
            let v: Vec<String> = versions.iter().map(|v| format!("v{v}")).collect();
            format!("{key} {}", v.join(" "))
        })
        .collect::<Vec<_>>()
        .join(sep);
    format!("answered: {answered}")
}

/// Figures with their calculation basis, one line each.
pub fn report_csv(r: &PublishedReport) -> Result<Vec<u8>> {
    let s = &r.snapshot;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row = |cells: &[String]| {
        w.write_record(
            cells
                .iter()
                .map(|c| spreadsheet::write_cell(c).into_owned()),
        )
        .map_err(anyhow::Error::from)
    };
    row(&[
        "figure".into(),
        "value".into(),
        "n".into(),
        "small_sample".into(),
        "basis".into(),
        "interval_95".into(),
    ])?;
    for (name, k) in [
        ("KPI C employer satisfaction (mean 1-5)", &s.kpi_c),
        ("KPI D jobseeker satisfaction (mean 1-5)", &s.kpi_d),
    ] {
        row(&[
            name.into(),
            fig(k.mean),
            k.n.to_string(),
            k.small_sample.to_string(),
            format!(
                "mean of the overall item over self-completed first answers answered {} to {}; excluded {} proxy, {} second answers, {} first answers without the overall item; response ids: {}",
                s.period.first,
                s.period.last,
                k.excluded_proxy,
                k.excluded_second_answers,
                k.overall_not_answered,
                k.response_ids
                    .iter()
                    .map(|u| u.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            interval(k.mean_interval),
        ])?;
    }
    let wb = &s.wellbeing;
    row(&[
        "Wellbeing change (mean SWEMWBS metric change)".into(),
        fig(wb.mean_change),
        wb.paired_n.to_string(),
        wb.small_sample.to_string(),
        format!(
            "earliest scored self start vs latest scored self end, pair in the period of the end form; threshold {}; improved {} / no change {} / declined {}; pairs (start;end response ids): {}",
            wb.threshold,
            wb.improved,
            wb.no_meaningful_change,
            wb.declined,
            wb.pairs
                .iter()
                .map(|p| format!("{};{}", p.start_response_id, p.end_response_id))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        interval(wb.mean_change_interval),
    ])?;
    for (name, pct, count, i) in [
        (
            "Wellbeing: improved (% of pairs)",
            wb.improved_pct,
            wb.improved,
            wb.improved_pct_interval,
        ),
        (
            "Wellbeing: no meaningful change (% of pairs)",
            wb.no_meaningful_change_pct,
            wb.no_meaningful_change,
            wb.no_meaningful_change_pct_interval,
        ),
        (
            "Wellbeing: declined (% of pairs)",
            wb.declined_pct,
            wb.declined,
            wb.declined_pct_interval,
        ),
    ] {
        row(&[
            name.into(),
            fig(pct),
            wb.paired_n.to_string(),
            wb.small_sample.to_string(),
            format!("{count} of {} pairs; Wilson score interval", wb.paired_n),
            interval(i),
        ])?;
    }
    let c = &s.coverage;
    for (name, d) in [
        ("Coverage: jobseeker survey", &c.jobseeker_satisfaction),
        ("Coverage: employer survey", &c.employer_satisfaction),
        ("Coverage: SWEMWBS start", &c.swemwbs_start),
        ("Coverage: SWEMWBS end", &c.swemwbs_end),
    ] {
        row(&[
            name.into(),
            fig(d.pct),
            d.due.to_string(),
            String::new(),
            format!("{} answered of {} due", d.answered, d.due),
            interval(d.pct_interval),
        ])?;
    }
    row(&[
        "rule version".into(),
        s.rule_version.clone(),
        String::new(),
        String::new(),
        instruments(s, "; "),
        String::new(),
    ])?;
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("finishing the CSV: {e}"))?;
    Ok(bytes)
}

/// A printable page of the report.
pub fn report_html(r: &PublishedReport) -> String {
    let s = &r.snapshot;
    let line = |name: &str, v: Option<Hundredths>, i: Option<Interval>, n: u64, small: bool| {
        format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            html::escape(name),
            fig(v),
            interval(i),
            n,
            if small { "small sample" } else { "" }
        )
    };
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\
         <h1>{title}</h1><p>Period {first} to {last} (both days included, dates in {tz}). Published {published}. \
         Rules version {rules}; small-number threshold {small}; meaningful SWEMWBS change {thr} points; \
         instruments {instr}.</p><table><caption>Figures</caption>\
         <tr><th scope=\"col\">Indicator</th><th scope=\"col\">Value</th><th scope=\"col\">95% interval</th><th scope=\"col\">n</th><th scope=\"col\">Note</th></tr>\
         {c}{d}{w}</table><p>Wellbeing: improved {imp}, no meaningful change {same}, declined {dec}. \
         Coverage: SWEMWBS end {end_a} of {end_d}; jobseeker survey {js_a} of {js_d}; employer survey {em_a} of {em_d}.</p>\
         <p>The response ids behind each figure are in the CSV download.</p></body></html>",
        title = html::escape(&r.title),
        first = s.period.first,
        last = s.period.last,
        tz = html::escape(&s.time_zone),
        published = r.published_at.format("%Y-%m-%d %H:%M UTC"),
        rules = html::escape(&s.rule_version),
        small = s.small_number,
        thr = s.change_threshold,
        instr = html::escape(&instruments(s, "; ")),
        c = line(
            "KPI C: employer satisfaction (mean, 1 to 5)",
            s.kpi_c.mean,
            s.kpi_c.mean_interval,
            s.kpi_c.n,
            s.kpi_c.small_sample
        ),
        d = line(
            "KPI D: jobseeker satisfaction (mean, 1 to 5)",
            s.kpi_d.mean,
            s.kpi_d.mean_interval,
            s.kpi_d.n,
            s.kpi_d.small_sample
        ),
        w = line(
            "Wellbeing change (mean SWEMWBS points)",
            s.wellbeing.mean_change,
            s.wellbeing.mean_change_interval,
            s.wellbeing.paired_n,
            s.wellbeing.small_sample
        ),
        imp = s.wellbeing.improved,
        same = s.wellbeing.no_meaningful_change,
        dec = s.wellbeing.declined,
        end_a = s.coverage.swemwbs_end.answered,
        end_d = s.coverage.swemwbs_end.due,
        js_a = s.coverage.jobseeker_satisfaction.answered,
        js_d = s.coverage.jobseeker_satisfaction.due,
        em_a = s.coverage.employer_satisfaction.answered,
        em_d = s.coverage.employer_satisfaction.due,
    )
}

/// The audit trail, newest first, as its search gave it.
pub fn audit_csv(rows: Vec<audit_entry::Model>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "at",
        "actor_kind",
        "actor_id",
        "action",
        "entity",
        "entity_id",
        "participant_id",
        "address",
        "detail",
    ])
    .map_err(anyhow::Error::from)?;
    for a in rows {
        let opt = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
        let cells = [
            a.id.to_string(),
            a.at.to_rfc3339(),
            a.actor_kind,
            opt(a.actor_id),
            a.action,
            a.entity,
            opt(a.entity_id),
            opt(a.participant_id),
            a.address,
            a.detail,
        ];
        w.write_record(
            cells
                .iter()
                .map(|c| spreadsheet::write_cell(c).into_owned()),
        )
        .map_err(anyhow::Error::from)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("finishing the CSV: {e}"))?;
    Ok(bytes)
}
