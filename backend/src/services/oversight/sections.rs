//! A published report as its sections, each a header row over typed rows: the one layout the
//! XLSX (a sheet each), the printable page (a table each) and the CSV (after its figures) share.

use crate::xlsx::{Cell, Sheet};
use domain::{
    Hundredths,
    kpi::{SatisfactionKpi, interval::Interval},
    outcomes::{Benchmark, Count, Judged, Mean, OutcomeFigures, Rate, Scored},
    privacy::{PublishedReport, ReportSnapshot},
    report::benchmark_words,
};

fn num(v: Option<Hundredths>) -> Cell {
    v.map(Hundredths::as_f64).into()
}

fn low(i: Option<Interval>) -> Cell {
    num(i.map(|i| i.low))
}

fn high(i: Option<Interval>) -> Cell {
    num(i.map(|i| i.high))
}

fn rag_word(r: Option<domain::outcomes::Rag>) -> Cell {
    r.map(|r| match r {
        domain::outcomes::Rag::Green => "Green",
        domain::outcomes::Rag::Amber => "Amber",
        domain::outcomes::Rag::Red => "Red",
    })
    .into()
}

fn bench(b: Option<Benchmark>, unit: &str) -> Cell {
    b.map(|b| benchmark_words(b, unit)).into()
}

fn yes_no(b: bool) -> Cell {
    if b { "yes" } else { "no" }.into()
}

/// The KPIs sheet's columns.
const KPI_HEADER: &[&str] = &[
    "Figure",
    "Value",
    "Unit",
    "n",
    "95% low",
    "95% high",
    "Score (0-5)",
    "Benchmark",
    "Benchmark RAG",
    "Target",
    "Target RAG",
    "Small sample",
];

struct KpiLine<'a> {
    name: &'a str,
    value: Option<Hundredths>,
    unit: &'a str,
    n: u64,
    interval: Option<Interval>,
    scored: Option<&'a Scored>,
    judged: Option<&'a Judged>,
    small: Option<bool>,
}

fn kpi_row(k: KpiLine<'_>) -> Vec<Cell> {
    let j = k.judged;
    vec![
        k.name.into(),
        num(k.value),
        k.unit.into(),
        k.n.into(),
        low(k.interval),
        high(k.interval),
        k.scored.and_then(|s| s.score).map(u32::from).into(),
        bench(j.and_then(|j| j.benchmark), k.unit),
        rag_word(j.and_then(|j| j.benchmark_rag)),
        bench(j.and_then(|j| j.target), k.unit),
        rag_word(j.and_then(|j| j.target_rag)),
        k.small.map(yes_no).unwrap_or(Cell::Empty),
    ]
}

fn rate_line<'a>(name: &'a str, r: &'a Rate, judged: Option<&'a Judged>) -> KpiLine<'a> {
    KpiLine {
        name,
        value: r.percent,
        unit: "%",
        n: r.n,
        interval: r.interval,
        scored: None,
        judged,
        small: None,
    }
}

fn satisfaction_line<'a>(name: &'a str, k: &'a SatisfactionKpi) -> KpiLine<'a> {
    KpiLine {
        name,
        value: k.mean,
        unit: "mean 1-5",
        n: k.n,
        interval: k.mean_interval,
        scored: None,
        judged: None,
        small: Some(k.small_sample),
    }
}

fn kpis(s: &ReportSnapshot) -> Sheet {
    let mut sheet = Sheet::new("KPIs", KPI_HEADER);
    if let Some(o) = &s.outcomes {
        sheet.push(kpi_row(KpiLine {
            scored: Some(&o.kpi_a.scored),
            ..rate_line(
                "KPI A: vocational profiles into paid work",
                &o.kpi_a.rate,
                Some(&o.kpi_a.judged),
            )
        }));
        sheet.push(kpi_row(KpiLine {
            name: "KPI B: weeks from service start to first paid job",
            value: o.kpi_b.weeks.mean,
            unit: "weeks",
            n: o.kpi_b.weeks.n,
            interval: o.kpi_b.weeks.interval,
            scored: Some(&o.kpi_b.scored),
            judged: None,
            small: None,
        }));
    }
    sheet.push(kpi_row(satisfaction_line(
        "KPI C: employer satisfaction",
        &s.kpi_c,
    )));
    sheet.push(kpi_row(satisfaction_line(
        "KPI D: jobseeker satisfaction",
        &s.kpi_d,
    )));
    if let Some(o) = &s.outcomes {
        sheet.push(kpi_row(KpiLine {
            scored: Some(&o.kpi_e.scored),
            ..rate_line(
                "KPI E: still in paid work after the weeks set",
                &o.kpi_e.rate,
                Some(&o.kpi_e.judged),
            )
        }));
        sheet.push(kpi_row(rate_line(
            "Referrals that start (access)",
            &o.access,
            Some(&o.access_judged),
        )));
        sheet.push(kpi_row(rate_line(
            "Starters into paid work",
            &o.into_paid_work,
            Some(&o.into_paid_work_judged),
        )));
    }
    let w = &s.wellbeing;
    sheet.push(kpi_row(KpiLine {
        name: "Wellbeing: mean SWEMWBS change",
        value: w.mean_change,
        unit: "points",
        n: w.paired_n,
        interval: w.mean_change_interval,
        scored: None,
        judged: None,
        small: Some(w.small_sample),
    }));
    sheet
}

fn wellbeing(s: &ReportSnapshot) -> Sheet {
    let w = &s.wellbeing;
    let mut sheet = Sheet::new(
        "Wellbeing",
        &["Figure", "Value", "Unit", "n", "95% low", "95% high"],
    );
    let n = w.paired_n;
    for (name, v, unit, i) in [
        (
            "Mean at start",
            w.mean_start,
            "points",
            w.mean_start_interval,
        ),
        ("Mean at end", w.mean_end, "points", w.mean_end_interval),
        (
            "Mean change",
            w.mean_change,
            "points",
            w.mean_change_interval,
        ),
        ("Improved", w.improved_pct, "%", w.improved_pct_interval),
        (
            "No meaningful change",
            w.no_meaningful_change_pct,
            "%",
            w.no_meaningful_change_pct_interval,
        ),
        ("Declined", w.declined_pct, "%", w.declined_pct_interval),
    ] {
        sheet.push(vec![
            name.into(),
            num(v),
            unit.into(),
            n.into(),
            low(i),
            high(i),
        ]);
    }
    for (name, count) in [
        ("Improved (pairs)", w.improved),
        ("No meaningful change (pairs)", w.no_meaningful_change),
        ("Declined (pairs)", w.declined),
        ("Ended without an end score", w.ended_without_end_score),
        (
            "Started without a start score",
            w.started_without_start_score,
        ),
    ] {
        sheet.push(vec![name.into(), count.into(), "count".into()]);
    }
    sheet
}

fn coverage(s: &ReportSnapshot) -> Sheet {
    let c = &s.coverage;
    let mut sheet = Sheet::new(
        "Coverage",
        &[
            "Survey", "Due", "Answered", "Percent", "95% low", "95% high",
        ],
    );
    for (name, d) in [
        ("Jobseeker survey", &c.jobseeker_satisfaction),
        ("Employer survey", &c.employer_satisfaction),
        ("SWEMWBS start", &c.swemwbs_start),
        ("SWEMWBS end", &c.swemwbs_end),
    ] {
        sheet.push(vec![
            name.into(),
            d.due.into(),
            d.answered.into(),
            num(d.pct),
            low(d.pct_interval),
            high(d.pct_interval),
        ]);
    }
    sheet.push(vec![
        "Invitations made in the period".into(),
        c.invitations_sent.into(),
        c.invitations_answered.into(),
    ]);
    sheet
}

fn satisfaction(s: &ReportSnapshot) -> Sheet {
    let mut sheet = Sheet::new(
        "Satisfaction",
        &[
            "Survey",
            "Group",
            "n",
            "Mean",
            "95% low",
            "95% high",
            "Small sample",
        ],
    );
    for (survey, k, key) in [
        ("Employer (KPI C)", &s.kpi_c, "employer_satisfaction"),
        ("Jobseeker (KPI D)", &s.kpi_d, "jobseeker_satisfaction"),
    ] {
        sheet.push(vec![
            survey.into(),
            "Overall".into(),
            k.n.into(),
            num(k.mean),
            low(k.mean_interval),
            high(k.mean_interval),
            yes_no(k.small_sample),
        ]);
        for (rating, count) in k.distribution.iter().enumerate() {
            sheet.push(vec![
                survey.into(),
                format!("Rated {}", rating + 1).into(),
                (*count).into(),
            ]);
        }
        for item in s
            .satisfaction_items
            .iter()
            .filter(|i| i.instrument == key)
            .flat_map(|i| &i.items)
        {
            sheet.push(vec![
                survey.into(),
                format!("Item: {}", item.label).into(),
                item.n.into(),
                num(item.mean),
                low(item.mean_interval),
                high(item.mean_interval),
                yes_no(item.small_sample),
            ]);
        }
        for (kind, splits) in [("Support", &k.by_support), ("Channel", &k.by_channel)] {
            for split in splits {
                sheet.push(vec![
                    survey.into(),
                    format!("{kind}: {}", split.key).into(),
                    split.n.into(),
                    num(split.mean),
                    low(split.mean_interval),
                    high(split.mean_interval),
                    yes_no(split.small_sample),
                ]);
            }
        }
    }
    sheet
}

const OUTCOME_HEADER: &[&str] = &[
    "Figure",
    "Key",
    "Value",
    "Unit",
    "n",
    "95% low",
    "95% high",
    "Benchmark",
    "RAG",
];

fn counts(sheet: &mut Sheet, figure: &str, list: &[Count]) {
    for c in list {
        sheet.push(vec![
            figure.into(),
            c.key.as_str().into(),
            c.n.into(),
            "count".into(),
        ]);
    }
}

fn mean_row(figure: &str, unit: &str, m: &Mean) -> Vec<Cell> {
    vec![
        figure.into(),
        Cell::Empty,
        num(m.mean),
        unit.into(),
        m.n.into(),
        low(m.interval),
        high(m.interval),
    ]
}

fn outcomes(s: &ReportSnapshot) -> Sheet {
    let mut sheet = Sheet::new("Outcomes", OUTCOME_HEADER);
    if let Some(o) = &s.outcomes {
        other_figures(&mut sheet, o);
    }
    if let Some(c) = &s.caseload {
        for sp in &c.specialists {
            sheet.push(vec![
                "Active caseload".into(),
                sp.name.as_str().into(),
                sp.active.into(),
                "episodes".into(),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                bench(sp.judged.benchmark, ""),
                rag_word(sp.judged.benchmark_rag),
            ]);
        }
    }
    sheet
}

fn other_figures(sheet: &mut Sheet, o: &OutcomeFigures) {
    counts(sheet, "Referrals not accepted", &o.not_accepted);
    counts(sheet, "Jobs started by outcome type", &o.outcome_mix);
    let r = &o.job_analysis;
    sheet.push(vec![
        "Jobs with a job analysis".into(),
        Cell::Empty,
        num(r.percent),
        "%".into(),
        r.n.into(),
        low(r.interval),
        high(r.interval),
    ]);
    sheet.push(mean_row(
        "Hours a week before support",
        "hours",
        &o.hours_before,
    ));
    sheet.push(mean_row(
        "Hours a week in paid jobs",
        "hours",
        &o.hours_after,
    ));
    sheet.push(mean_row("Hourly pay", "GBP", &o.hourly_pay));
    sheet.push(mean_row("Weeks in paid work", "weeks", &o.sustained_weeks));
    counts(sheet, "Jobs started by sector", &o.sectors);
    counts(sheet, "Paid jobs against the minimum wage", &o.minimum_wage);
    if let Some(c) = &o.cost {
        for (key, v, j) in [
            (
                "per participant",
                c.per_participant,
                &c.per_participant_judged,
            ),
            (
                "per job outcome",
                c.per_job_outcome,
                &c.per_job_outcome_judged,
            ),
        ] {
            sheet.push(vec![
                "Cost".into(),
                key.into(),
                num(v),
                "GBP".into(),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                bench(j.benchmark, ""),
                rag_word(j.benchmark_rag),
            ]);
        }
    }
}

fn equality(s: &ReportSnapshot) -> Sheet {
    let mut sheet = Sheet::new(
        "Equality",
        &["Dimension", "Figure", "Group", "n", "Value", "Suppressed"],
    );
    for e in &s.equality {
        for split in &e.splits {
            for g in &split.groups {
                sheet.push(vec![
                    e.by.as_str().into(),
                    split.figure.as_str().into(),
                    g.group.as_str().into(),
                    g.n.into(),
                    num(g.value),
                    if g.suppressed {
                        format!("fewer than {}", e.threshold).into()
                    } else {
                        Cell::Empty
                    },
                ]);
            }
        }
    }
    sheet
}

fn actions(s: &ReportSnapshot) -> Sheet {
    let mut sheet = Sheet::new(
        "Actions",
        &[
            "Published on",
            "Audience",
            "You said",
            "We did",
            "Done on",
            "You said (Welsh)",
            "We did (Welsh)",
        ],
    );
    for a in &s.actions {
        let cy = |t: &domain::feedback::BilingualText| -> Cell {
            t.cy.as_ref().map(|c| c.as_str().to_owned()).into()
        };
        sheet.push(vec![
            a.published_on.into(),
            a.audience.as_str().into(),
            a.you_said.en.as_str().into(),
            a.we_did.en.as_str().into(),
            a.done_on.into(),
            cy(&a.you_said),
            cy(&a.we_did),
        ]);
    }
    sheet
}

/// Who a quoted comment's survey asks: its author, in the words of the report.
pub fn said_by(instrument: &str) -> &'static str {
    if instrument == domain::instrument::InstrumentKey::EmployerSatisfaction.as_str() {
        "An employer"
    } else {
        "A jobseeker"
    }
}

/// What the comments section says when it quotes none.
pub const NO_QUOTES: &str = "No comments were chosen for quotation. A comment is quoted only \
     when the person who wrote it agreed to that when they answered.";

/// How comments come to be quoted (the methods appendix).
const QUOTATION_RULE: &str = "Quoted exactly as typed, only when the person who wrote it agreed \
     to quotation when they answered, and chosen by the manager who published; never a name";

fn comments(s: &ReportSnapshot) -> Sheet {
    let mut sheet = Sheet::new("Comments", &["Said by", "Comment"]);
    for q in &s.quotes {
        sheet.push(vec![said_by(&q.instrument).into(), q.text.as_str().into()]);
    }
    sheet
}

fn methods(s: &ReportSnapshot) -> Sheet {
    let mut sheet = Sheet::new("Methods", &["Item", "Value", "n"]);
    let mut line = |item: &str, value: Cell, n: Cell| {
        sheet.push(vec![item.into(), value, n]);
    };
    line("Rule version", s.rule_version.as_str().into(), Cell::Empty);
    line(
        "Time zone of every date",
        s.time_zone.as_str().into(),
        Cell::Empty,
    );
    line("Period: first day", s.period.first.into(), Cell::Empty);
    line("Period: last day", s.period.last.into(), Cell::Empty);
    line("Cohorts read as of", s.as_of.into(), Cell::Empty);
    line(
        "Small-number threshold (groups under it suppressed)",
        s.small_number.into(),
        Cell::Empty,
    );
    line(
        "Meaningful SWEMWBS change (points)",
        num(Some(s.change_threshold)),
        Cell::Empty,
    );
    line(
        "Instrument versions",
        super::render::instruments(s, "; ").into(),
        Cell::Empty,
    );
    line("KPI C: responses counted", Cell::Empty, s.kpi_c.n.into());
    line("KPI D: responses counted", Cell::Empty, s.kpi_d.n.into());
    line(
        "Wellbeing: start and end pairs",
        Cell::Empty,
        s.wellbeing.paired_n.into(),
    );
    if let Some(o) = &s.outcomes {
        line(
            "Programme of the benchmarks",
            o.programme.as_str().into(),
            Cell::Empty,
        );
        for (name, scored, n) in [
            ("KPI A", &o.kpi_a.scored, o.kpi_a.rate.n),
            ("KPI B", &o.kpi_b.scored, o.kpi_b.weeks.n),
            ("KPI E", &o.kpi_e.scored, o.kpi_e.rate.n),
        ] {
            let bands: Vec<String> = scored
                .bands
                .iter()
                .map(|b| format!("{} scores {}", b.threshold, b.score))
                .collect();
            line(
                &format!("{name}: scoring bands ({})", scored.direction.as_str()),
                bands.join("; ").into(),
                n.into(),
            );
        }
        line(
            "KPI A: profiles less than 12 months old",
            Cell::Empty,
            o.kpi_a.still_early.into(),
        );
        line(
            &format!("KPI E: weeks in work counted ({})", o.kpi_e.weeks),
            Cell::Empty,
            o.kpi_e.too_early.into(),
        );
        line(
            "Referrals that start: referrals",
            Cell::Empty,
            o.access.n.into(),
        );
        line(
            "Starters into paid work: episodes started",
            Cell::Empty,
            o.into_paid_work.n.into(),
        );
    }
    line(
        "Equality splits",
        "Groups under the small-number threshold are suppressed, and the next smallest when \
         only one would be (DESIGN 4a)"
            .into(),
        Cell::Empty,
    );
    line(
        "Comments quoted",
        QUOTATION_RULE.into(),
        s.quotes.len().into(),
    );
    line("Snapshot shape", s.shape.into(), Cell::Empty);
    sheet
}

fn key_messages(r: &PublishedReport) -> Sheet {
    let s = &r.snapshot;
    let mut sheet = Sheet::new("Key messages", &["Item", "Value"]);
    sheet.push(vec!["Title".into(), r.title.as_str().into()]);
    sheet.push(vec!["First day".into(), s.period.first.into()]);
    sheet.push(vec!["Last day".into(), s.period.last.into()]);
    sheet.push(vec![
        "Published on".into(),
        r.published_at.date_naive().into(),
    ]);
    if let Some(g) = &s.grade {
        sheet.push(vec!["Overall grade".into(), g.grade.word().into()]);
        sheet.push(vec![
            "Reason for the grade".into(),
            g.reason.as_str().into(),
        ]);
    }
    for (i, m) in s.key_messages.iter().enumerate() {
        sheet.push(vec![
            format!("Key message {}", i + 1).into(),
            m.as_str().into(),
        ]);
    }
    sheet
}

/// Every section of the report, in the order shown.
pub fn sections(r: &PublishedReport) -> Vec<Sheet> {
    let s = &r.snapshot;
    vec![
        key_messages(r),
        kpis(s),
        wellbeing(s),
        coverage(s),
        satisfaction(s),
        outcomes(s),
        equality(s),
        actions(s),
        comments(s),
        methods(s),
    ]
}
