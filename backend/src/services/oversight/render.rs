//! Published reports and the audit trail as files: a CSV with each figure's calculation
//! basis, a printable page, the audit trail as CSV.

use super::sections::{NO_QUOTES, sections};
use crate::{
    Result,
    entities::audit_entry,
    html,
    xlsx::{self, Cell, Sheet},
};
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
pub(super) fn instruments(s: &ReportSnapshot, sep: &str) -> String {
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
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
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
    // Then every section of the report: a blank line, its name, its header row, its rows.
    for sheet in sections(r) {
        row(&[])?;
        row(&[format!("section: {}", sheet.name)])?;
        row(&sheet.header)?;
        for cells in &sheet.rows {
            row(&cells.iter().map(cell_text).collect::<Vec<_>>())?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("finishing the CSV: {e}"))?;
    Ok(bytes)
}

/// A cell as the CSV and the printable page show it: figures to two decimals, as the API
/// gives them; nothing for an empty cell.
fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(t) => t.clone(),
        Cell::Number(n) => format!("{n:.2}"),
        Cell::Whole(n) => n.to_string(),
        Cell::Date(d) => d.to_string(),
        Cell::Percent(p) => format!("{:.2}%", p * 100.0),
        Cell::Empty => String::new(),
    }
}

/// The report as an XLSX workbook, one sheet per section.
pub fn report_xlsx(r: &PublishedReport) -> Result<Vec<u8>> {
    Ok(xlsx::workbook_bytes(&sections(r))?)
}

/// Print on A4 with page breaks between sections; rows never split; no app chrome.
const PRINT_CSS: &str = "@page{size:A4;margin:18mm 15mm}\
body{font-family:system-ui,sans-serif;font-size:11pt;line-height:1.4;color:#111;margin:0 auto;max-width:60rem;padding:1rem}\
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}\
th,td{border:1px solid #666;padding:.25rem .4rem;text-align:left;vertical-align:top}\
td.n{text-align:right;font-variant-numeric:tabular-nums}\
tr,li{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}\
.grade{font-weight:bold;border:2px solid #111;padding:.1rem .5rem}\
.quote{margin:1rem 0;break-inside:avoid;page-break-inside:avoid}\
.quote blockquote{margin:0;padding-left:1rem;border-left:4px solid #666}.quote p{margin:0}\
@media print{body{padding:0;max-width:none}section+section{break-before:page;page-break-before:always}}";

/// The printable page's style sheet as a CSP source (`'sha256-…'`). The server-wide policy
/// allows it too (`routes::security_headers`): the staff app opens the page from a `blob:` URL
/// (it is fetched with the login's token), and such a page keeps the app's policy, not its own.
pub fn print_style_source() -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(PRINT_CSS));
    format!("'sha256-{hash}'")
}

/// The printable page's own Content-Security-Policy: nothing but its one inline style sheet
/// (the server-wide policy allows no other inline style).
pub fn report_page_csp() -> String {
    format!(
        "default-src 'none'; style-src {}; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'",
        print_style_source()
    )
}

/// One section as a table; an empty section says so. A `95% low`, `95% high` pair of columns
/// reads as one, `low to high`, as everywhere else on the page.
fn section_table(sheet: &Sheet) -> String {
    if sheet.rows.is_empty() {
        return "<p>None in this period.</p>".into();
    }
    let interval_at = sheet
        .header
        .windows(2)
        .position(|w| w[0] == "95% low" && w[1] == "95% high");
    let head: String = sheet
        .header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| match interval_at {
            Some(at) if i == at => Some("95% interval"),
            Some(at) if i == at + 1 => None,
            _ => Some(h.as_str()),
        })
        .map(|h| format!("<th scope=\"col\">{}</th>", html::escape(h)))
        .collect();
    let body: String = sheet
        .rows
        .iter()
        .map(|row| {
            let at = |i: usize| row.get(i).unwrap_or(&Cell::Empty);
            let cells: String = (0..sheet.header.len().max(row.len()))
                .filter_map(|i| {
                    let c = at(i);
                    Some(match (i, c) {
                        (0, _) => format!("<th scope=\"row\">{}</th>", html::escape(&cell_text(c))),
                        (i, _) if interval_at == Some(i) => {
                            let text = match (at(i), at(i + 1)) {
                                (Cell::Empty, _) | (_, Cell::Empty) => "-".to_owned(),
                                (low, high) => {
                                    format!("{} to {}", cell_text(low), cell_text(high))
                                }
                            };
                            format!("<td class=\"n\">{text}</td>")
                        }
                        (i, _) if interval_at.is_some_and(|at| i == at + 1) => return None,
                        (_, Cell::Number(_) | Cell::Whole(_) | Cell::Percent(_)) => {
                            format!("<td class=\"n\">{}</td>", html::escape(&cell_text(c)))
                        }
                        _ => format!("<td>{}</td>", html::escape(&cell_text(c))),
                    })
                })
                .collect();
            format!("<tr>{cells}</tr>")
        })
        .collect();
    format!(
        "<table><caption>{}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
        html::escape(&sheet.name)
    )
}

/// The key messages and the grade, in words.
fn key_messages_html(s: &ReportSnapshot) -> String {
    let grade = s.grade.as_ref().map_or_else(
        || "<p>No overall grade was recorded.</p>".to_owned(),
        |g| {
            format!(
                "<p>Overall grade: <span class=\"grade\">{}</span>. {}</p>",
                g.grade.word(),
                html::escape(&g.reason)
            )
        },
    );
    let messages = if s.key_messages.is_empty() {
        "<p>No key messages were written.</p>".to_owned()
    } else {
        let items: String = s
            .key_messages
            .iter()
            .map(|m| format!("<li>{}</li>", html::escape(m)))
            .collect();
        format!("<ol>{items}</ol>")
    };
    format!("{grade}{messages}")
}

/// The quoted comments as quotations, each with who said it; or why there are none.
fn quotes_html(s: &ReportSnapshot) -> String {
    if s.quotes.is_empty() {
        return format!("<p>{}</p>", html::escape(NO_QUOTES));
    }
    s.quotes
        .iter()
        .map(|q| {
            format!(
                "<figure class=\"quote\"><blockquote><p>{}</p></blockquote>\
                 <figcaption>{}</figcaption></figure>",
                html::escape(&q.text),
                html::escape(super::sections::said_by(&q.instrument)),
            )
        })
        .collect()
}

/// A printable page of the report: every section, A4, page breaks between sections.
pub fn report_html(r: &PublishedReport) -> String {
    let s = &r.snapshot;
    let mut body = format!(
        "<section aria-labelledby=\"s0\"><h2 id=\"s0\">Key messages</h2>{}</section>",
        key_messages_html(s)
    );
    // The first section's dates and title are already in the heading and the line under it.
    for (i, sheet) in sections(r).iter().enumerate().skip(1) {
        let content = if sheet.name == "Comments" {
            quotes_html(s)
        } else {
            section_table(sheet)
        };
        body.push_str(&format!(
            "<section aria-labelledby=\"s{i}\"><h2 id=\"s{i}\">{}</h2>{content}</section>",
            html::escape(&sheet.name)
        ));
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{PRINT_CSS}</style></head><body><main>\
         <h1>{title}</h1><p>Period {first} to {last} (both days included, dates in {tz}); \
         cohorts read as of {as_of}. Published {published}. \
         Rules version {rules}; small-number threshold {small}; meaningful SWEMWBS change {thr} points; \
         instruments {instr}. The response ids behind each figure are in the CSV download.</p>\
         {body}</main></body></html>",
        title = html::escape(&r.title),
        first = s.period.first,
        last = s.period.last,
        as_of = s
            .as_of
            .map_or_else(|| "not recorded".to_owned(), |d| d.to_string()),
        tz = html::escape(&s.time_zone),
        published = r.published_at.format("%Y-%m-%d %H:%M UTC"),
        rules = html::escape(&s.rule_version),
        small = s.small_number,
        thr = s.change_threshold,
        instr = html::escape(&instruments(s, "; ")),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sections_interval_reads_as_one_column_and_its_words_are_escaped() {
        let mut sheet = Sheet::new("KPIs", &["Figure", "Value", "95% low", "95% high", "RAG"]);
        sheet.push(vec![
            "KPI <A>".into(),
            Cell::Number(45.5),
            Cell::Number(40.0),
            Cell::Number(51.25),
            "Green".into(),
        ]);
        sheet.push(vec!["KPI B".into(), Cell::Empty, Cell::Empty, Cell::Empty]);
        let html = section_table(&sheet);
        assert!(html.contains(
            "<th scope=\"col\">Value</th><th scope=\"col\">95% interval</th><th scope=\"col\">RAG</th>"
        ));
        assert!(html.contains(
            "<th scope=\"row\">KPI &lt;A&gt;</th><td class=\"n\">45.50</td><td class=\"n\">40.00 to 51.25</td><td>Green</td>"
        ));
        assert!(
            html.contains("<th scope=\"row\">KPI B</th><td></td><td class=\"n\">-</td><td></td>")
        );
        assert_eq!(
            section_table(&Sheet::new("Actions", &["Done on"])),
            "<p>None in this period.</p>"
        );
    }
}
