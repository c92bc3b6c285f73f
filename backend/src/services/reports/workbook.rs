//! The SEQF audit workbook (issue 18): what BASE asks a service to hand an assessor (seed 000)
//! — "a full list of current clients on a pre-prepared data spreadsheet (demographics,
//! timeline, current status, job details)" and "KPI data showing calculation methods" — as one
//! XLSX file. Clients by reference, never by name. Every figure comes from the same functions
//! as the live API, and each KPI's sheet lists what it counted, episode by episode or response
//! by response, computed by the same rules, so the rows add up to the figure.

use super::outcomes::{EpisodePart, OutcomeAsk, outcome_parts};
use crate::{
    entities::{episode, job, participant, response},
    repo,
    xlsx::{Cell, Sheet, workbook_bytes},
};
use chrono::NaiveDate;
use domain::{
    Hundredths,
    instrument::Audience,
    kpi::{SatisfactionKpi, WellbeingKpi, interval::Interval},
    outcomes::{Benchmark, Judged, OutcomeFigures, OutcomeSettings, Rate, equality::age_band},
};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;
use uuid::Uuid;

/// What the workbook is of, besides the period and filters in `OutcomeAsk`.
pub struct WorkbookAsk<'a> {
    pub outcome: OutcomeAsk<'a>,
    pub organisation: &'a str,
    pub settings: &'a OutcomeSettings,
    pub small_number: u64,
    pub change_threshold: Hundredths,
    pub today: NaiveDate,
}

/// The workbook's bytes.
pub async fn seqf_workbook(
    db: &impl ConnectionTrait,
    ask: &WorkbookAsk<'_>,
) -> anyhow::Result<Vec<u8>> {
    let o = &ask.outcome;
    let (figures, mut parts) = outcome_parts(db, o, ask.settings).await?;
    parts.sort_by_key(|p| (p.episode.started_on, p.episode.id));
    let kpi_c = super::satisfaction(
        db,
        o.org,
        Audience::Employer,
        o.period,
        o.who,
        ask.small_number,
        true,
    )
    .await?;
    let kpi_d = super::satisfaction(
        db,
        o.org,
        Audience::Jobseeker,
        o.period,
        o.who,
        ask.small_number,
        true,
    )
    .await?;
    let wellbeing = super::wellbeing(
        db,
        o.org,
        o.time_zone,
        o.period,
        o.who,
        ask.change_threshold,
        ask.small_number,
    )
    .await?;
    let people: HashMap<Uuid, participant::Model> = repo::transfer::participants(db, o.org)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let reference = |id: &Uuid| people.get(id).map(|p| p.reference.clone());
    let clients: Vec<&EpisodePart> = parts.iter().filter(|p| current(p, o)).collect();
    let ids: Vec<Uuid> = clients.iter().map(|p| p.episode.id).collect();
    let mut jobs: HashMap<Uuid, Vec<job::Model>> = HashMap::new();
    for j in repo::journey::jobs_of_episodes(db, &ids).await? {
        jobs.entry(j.episode_id).or_default().push(j);
    }
    for js in jobs.values_mut() {
        js.sort_by_key(|j| (j.started_on, j.id));
    }
    let sources: HashMap<Uuid, String> = repo::transfer::referrals(db, o.org)
        .await?
        .into_iter()
        .map(|r| (r.id, r.source))
        .collect();
    let staff: HashMap<Uuid, String> = repo::staff::list(db, o.org)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();

    let episode_ref = |p: &EpisodePart| reference(&p.episode.participant_id);
    let sheets = vec![
        about(ask, &figures),
        clients_sheet(&clients, &jobs, &sources, &staff, &reference, o.as_of),
        jobs_sheet(&clients, &jobs, &reference),
        kpis_sheet(&figures, &kpi_c, &kpi_d, &wellbeing),
        kpi_a_sheet(&parts, &episode_ref),
        kpi_b_sheet(&parts, &episode_ref),
        kpi_e_sheet(&parts, &episode_ref),
        responses_sheet(
            "KPI C responses",
            &repo::journey::responses_by_ids(db, &kpi_c.response_ids).await?,
            &reference,
        ),
        responses_sheet(
            "KPI D responses",
            &repo::journey::responses_by_ids(db, &kpi_d.response_ids).await?,
            &reference,
        ),
    ];
    workbook_bytes(&sheets)
}

/// A current client of the period: support started by its last day and not ended before its
/// first, and counted by the filter asked (their holder on the last day they were supported).
fn current(p: &EpisodePart, o: &OutcomeAsk<'_>) -> bool {
    let e = &p.episode;
    e.started_on <= o.period.last
        && e.ended_on.is_none_or(|end| end >= o.period.first)
        && p.in_filter
}

fn pounds_or_number(h: Option<Hundredths>) -> Cell {
    h.map(|h| h.as_f64()).into()
}

fn yes_no(b: bool) -> Cell {
    if b { "yes" } else { "no" }.into()
}

fn benchmark_text(b: Option<Benchmark>) -> Cell {
    match b {
        None => Cell::Empty,
        Some(Benchmark::AtLeast { value }) => format!("at least {value}").into(),
        Some(Benchmark::AtMost { value }) => format!("at most {value}").into(),
        Some(Benchmark::Between { low, high }) => format!("{low} to {high}").into(),
    }
}

fn about(ask: &WorkbookAsk<'_>, figures: &OutcomeFigures) -> Sheet {
    let o = &ask.outcome;
    let mut s = Sheet::new("About", &["Item", "Value"]);
    s.push(vec!["Organisation".into(), ask.organisation.into()]);
    s.push(vec!["Period: first day".into(), o.period.first.into()]);
    s.push(vec!["Period: last day".into(), o.period.last.into()]);
    s.push(vec!["As of (cohorts read at)".into(), o.as_of.into()]);
    s.push(vec!["Made on".into(), ask.today.into()]);
    s.push(vec![
        "Benchmarks of".into(),
        figures.programme.as_str().to_uppercase().into(),
    ]);
    s.push(vec![
        "Rule version".into(),
        domain::kpi::RULE_VERSION.into(),
    ]);
    s.push(vec!["Time zone".into(), o.time_zone.into()]);
    s.push(vec![
        "Small-number threshold".into(),
        Cell::Whole(i64::try_from(ask.small_number).unwrap_or(i64::MAX)),
    ]);
    s.push(vec![
        "Wellbeing change threshold (points)".into(),
        ask.change_threshold.as_f64().into(),
    ]);
    s.push(vec![
        "People".into(),
        "Clients and employers appear by their reference, never by name. Demographics are the \
         equality answers (special category data): keep this file as securely as case records."
            .into(),
    ]);
    s.push(vec![
        "Sheets".into(),
        "Clients: every client supported at any time in the period, one row each. Jobs: their \
         jobs. KPIs: every figure with its calculation. KPI A, B and E: the episodes each \
         counted and how. KPI C and D responses: the answers each counted."
            .into(),
    ]);
    s
}

/// Where the person's support stood on `on`.
fn status_on(e: &episode::Model, jobs: &[job::Model], on: NaiveDate) -> &'static str {
    if e.ended_on.is_some_and(|end| end < on) {
        return "support ended";
    }
    let in_job = jobs
        .iter()
        .any(|j| j.paid && j.started_on <= on && j.ended_on.is_none_or(|end| end >= on));
    match (in_job, e.profile_started_on.is_some_and(|d| d <= on)) {
        (true, _) => "in paid work",
        (false, true) => "job seeking",
        (false, false) => "started support",
    }
}

fn clients_sheet(
    clients: &[&EpisodePart],
    jobs: &HashMap<Uuid, Vec<job::Model>>,
    sources: &HashMap<Uuid, String>,
    staff: &HashMap<Uuid, String>,
    reference: &impl Fn(&Uuid) -> Option<String>,
    as_of: NaiveDate,
) -> Sheet {
    let mut s = Sheet::new(
        "Clients",
        &[
            "Reference",
            "Programme",
            "Specialist",
            "Referred on",
            "Referral source",
            "Support started",
            "Vocational profile started",
            "First paid job started",
            "Support ended",
            "End reason",
            "Status on the as-of date",
            "Age band on the as-of date",
            "Gender",
            "Ethnicity",
            "Disability or primary need",
            "Living situation",
            "Urban or rural",
            "Hours a week before support",
            "Jobs",
            "Latest job: title",
            "Latest job: sector (SIC section)",
            "Latest job: outcome",
            "Latest job: paid",
            "Latest job: hours a week",
            "Latest job: hourly pay (£)",
            "Latest job: started",
            "Latest job: ended",
        ],
    );
    let none = Vec::new();
    for p in clients {
        let e = &p.episode;
        let q = &p.facts.equality;
        let js = jobs.get(&e.id).unwrap_or(&none);
        let latest = js.last();
        let first_paid = js.iter().filter(|j| j.paid).map(|j| j.started_on).min();
        s.push(vec![
            reference(&e.participant_id).into(),
            e.programme.to_uppercase().into(),
            staff.get(&e.specialist_id).cloned().into(),
            e.referred_on.into(),
            e.referral_id.and_then(|r| sources.get(&r).cloned()).into(),
            e.started_on.into(),
            e.profile_started_on.into(),
            first_paid.into(),
            e.ended_on.into(),
            e.end_reason.clone().into(),
            status_on(e, js, as_of).into(),
            q.born_on
                .map(|b| age_band(b, as_of).as_str().to_owned())
                .unwrap_or_else(|| "not recorded".to_owned())
                .into(),
            recorded(q.gender.as_ref().map(|v| v.as_str())),
            recorded(q.ethnicity.as_ref().map(|v| v.as_str())),
            recorded(q.disability.as_ref().map(|v| v.as_str())),
            recorded(q.living_situation.as_ref().map(|v| v.as_str())),
            recorded(q.area.as_ref().map(|v| v.as_str())),
            pounds_or_number(e.hours_before.map(Hundredths)),
            js.len().into(),
            latest.and_then(|j| j.title.clone()).into(),
            latest.and_then(|j| j.sector.clone()).into(),
            latest.map(|j| j.outcome.clone()).into(),
            latest.map(|j| yes_no(j.paid)).unwrap_or(Cell::Empty),
            pounds_or_number(latest.and_then(|j| j.hours_per_week).map(Hundredths)),
            pounds_or_number(latest.and_then(|j| j.hourly_pay).map(Hundredths)),
            latest.map(|j| j.started_on).into(),
            latest.and_then(|j| j.ended_on).into(),
        ]);
    }
    s
}

fn recorded(v: Option<&str>) -> Cell {
    v.unwrap_or("not recorded").into()
}

fn jobs_sheet(
    clients: &[&EpisodePart],
    jobs: &HashMap<Uuid, Vec<job::Model>>,
    reference: &impl Fn(&Uuid) -> Option<String>,
) -> Sheet {
    let mut s = Sheet::new(
        "Jobs",
        &[
            "Reference",
            "Started",
            "Ended",
            "End reason",
            "Outcome",
            "Paid",
            "Title",
            "Sector (SIC section)",
            "Hours a week",
            "Hourly pay (£)",
            "Job analysis done",
        ],
    );
    for p in clients {
        for j in jobs.get(&p.episode.id).into_iter().flatten() {
            s.push(vec![
                reference(&p.episode.participant_id).into(),
                j.started_on.into(),
                j.ended_on.into(),
                j.end_reason.clone().into(),
                j.outcome.clone().into(),
                yes_no(j.paid),
                j.title.clone().into(),
                j.sector.clone().into(),
                pounds_or_number(j.hours_per_week.map(Hundredths)),
                pounds_or_number(j.hourly_pay.map(Hundredths)),
                yes_no(j.job_analysis),
            ]);
        }
    }
    s
}

const KPI_HEADER: &[&str] = &[
    "Indicator",
    "Value",
    "Unit",
    "Counted",
    "Of",
    "95% interval: low",
    "95% interval: high",
    "Score (0 to 5)",
    "Benchmark",
    "Against the benchmark",
    "Our target",
    "Against our target",
    "How it is calculated",
];

/// One row of the KPIs sheet.
struct KpiRow<'a> {
    name: &'a str,
    value: Option<Hundredths>,
    unit: &'a str,
    counted: Option<u64>,
    of: u64,
    interval: Option<Interval>,
    score: Option<u8>,
    judged: Option<&'a Judged>,
    method: &'a str,
}

impl KpiRow<'_> {
    fn cells(&self) -> Vec<Cell> {
        let whole = |n: u64| Cell::Whole(i64::try_from(n).unwrap_or(i64::MAX));
        let rag = |r: Option<domain::outcomes::Rag>| r.map(|r| r.as_str().to_owned()).into();
        vec![
            self.name.into(),
            pounds_or_number(self.value),
            self.unit.into(),
            self.counted.map_or(Cell::Empty, whole),
            whole(self.of),
            pounds_or_number(self.interval.map(|i| i.low)),
            pounds_or_number(self.interval.map(|i| i.high)),
            self.score.map(u32::from).into(),
            benchmark_text(self.judged.and_then(|j| j.benchmark)),
            rag(self.judged.and_then(|j| j.benchmark_rag)),
            benchmark_text(self.judged.and_then(|j| j.target)),
            rag(self.judged.and_then(|j| j.target_rag)),
            self.method.into(),
        ]
    }
}

fn rate_row<'a>(
    name: &'a str,
    r: &Rate,
    judged: Option<&'a Judged>,
    method: &'a str,
) -> KpiRow<'a> {
    KpiRow {
        name,
        value: r.percent,
        unit: "%",
        counted: Some(r.numerator),
        of: r.n,
        interval: r.interval,
        score: None,
        judged,
        method,
    }
}

fn kpis_sheet(
    f: &OutcomeFigures,
    kpi_c: &SatisfactionKpi,
    kpi_d: &SatisfactionKpi,
    w: &WellbeingKpi,
) -> Sheet {
    let mut s = Sheet::new("KPIs", KPI_HEADER);
    let satisfaction = |name, k: &SatisfactionKpi, method| KpiRow {
        name,
        value: k.mean,
        unit: "mean rating, 1 to 5",
        counted: None,
        of: k.n,
        interval: k.mean_interval,
        score: None,
        judged: None,
        method,
    };
    let e_method = format!(
        "Of the episodes whose first paid job started in the period and whose {} weeks had \
         passed by the as-of date, the % still in paid work {} weeks later. A new paid job \
         starting within 28 days of the last one ending continues the spell. Too early to tell \
         (not counted): {}.",
        f.kpi_e.weeks, f.kpi_e.weeks, f.kpi_e.too_early
    );
    let a_method = format!(
        "Of the episodes whose vocational profile started in the period, the % with a paid job \
         start on or before the as-of date. Started their profile less than 12 months before \
         the as-of date (still early): {}.",
        f.kpi_a.still_early
    );
    let rows = [
        KpiRow {
            score: f.kpi_a.scored.score,
            ..rate_row(
                "KPI A: profiles into paid work",
                &f.kpi_a.rate,
                Some(&f.kpi_a.judged),
                &a_method,
            )
        },
        KpiRow {
            name: "KPI B: weeks from support start to paid work",
            value: f.kpi_b.weeks.mean,
            unit: "weeks",
            counted: None,
            of: f.kpi_b.weeks.n,
            interval: f.kpi_b.weeks.interval,
            score: f.kpi_b.scored.score,
            judged: None,
            method: "The mean time in weeks (to 1 decimal place) from service start to the first \
                     paid job start, over episodes whose first paid job started in the period.",
        },
        satisfaction(
            "KPI C: employer satisfaction",
            kpi_c,
            "The mean overall rating (1 to 5) of employers' first answers in the period; answers \
             given for someone else, second answers to one invitation and answers without the \
             overall rating are not counted.",
        ),
        satisfaction(
            "KPI D: jobseeker satisfaction",
            kpi_d,
            "The mean overall rating (1 to 5) of jobseekers' first answers in the period; answers \
             given for someone else, second answers to one invitation and answers without the \
             overall rating are not counted.",
        ),
        KpiRow {
            score: f.kpi_e.scored.score,
            ..rate_row(
                "KPI E: sustained paid work",
                &f.kpi_e.rate,
                Some(&f.kpi_e.judged),
                &e_method,
            )
        },
        rate_row(
            "Referrals that started",
            &f.access,
            Some(&f.access_judged),
            "Of the referrals made in the period, the % that started on the service.",
        ),
        rate_row(
            "Starters into paid work",
            &f.into_paid_work,
            Some(&f.into_paid_work_judged),
            "Of the episodes that started in the period, the % with a paid job start by the \
             as-of date.",
        ),
        KpiRow {
            name: "Wellbeing: mean change (SWEMWBS)",
            value: w.mean_change,
            unit: "points",
            counted: None,
            of: w.paired_n,
            interval: w.mean_change_interval,
            score: None,
            judged: None,
            method: "The mean of each person's change from their start to their end SWEMWBS \
                     metric score, over episodes whose end form was answered in the period. \
                     Proxy forms are never scored.",
        },
    ];
    for row in &rows {
        s.push(row.cells());
    }
    s
}

/// A part's figure counted once (its own n is 1).
fn counted(r: &Rate) -> Option<bool> {
    (r.n == 1).then_some(r.numerator == 1)
}

fn first_paid_start(p: &EpisodePart) -> Option<NaiveDate> {
    p.facts
        .jobs
        .iter()
        .filter(|j| j.paid)
        .map(|j| j.started_on)
        .min()
}

fn kpi_a_sheet(
    parts: &[EpisodePart],
    reference: &impl Fn(&EpisodePart) -> Option<String>,
) -> Sheet {
    let mut s = Sheet::new(
        "KPI A cohort",
        &[
            "Reference",
            "Vocational profile started",
            "First paid job started",
            "Counted as into paid work",
            "Still early (profile under 12 months before the as-of date)",
        ],
    );
    for p in parts {
        let Some(into_work) = counted(&p.alone.kpi_a.rate) else {
            continue;
        };
        s.push(vec![
            reference(p).into(),
            p.facts.profile_started_on.into(),
            first_paid_start(p).into(),
            yes_no(into_work),
            yes_no(p.alone.kpi_a.still_early == 1),
        ]);
    }
    s
}

fn kpi_b_sheet(
    parts: &[EpisodePart],
    reference: &impl Fn(&EpisodePart) -> Option<String>,
) -> Sheet {
    let mut s = Sheet::new(
        "KPI B episodes",
        &[
            "Reference",
            "Support started",
            "First paid job started",
            "Weeks",
        ],
    );
    for p in parts.iter().filter(|p| p.alone.kpi_b.weeks.n == 1) {
        s.push(vec![
            reference(p).into(),
            p.facts.started_on.into(),
            first_paid_start(p).into(),
            pounds_or_number(p.alone.kpi_b.weeks.mean),
        ]);
    }
    s
}

fn kpi_e_sheet(
    parts: &[EpisodePart],
    reference: &impl Fn(&EpisodePart) -> Option<String>,
) -> Sheet {
    let mut s = Sheet::new(
        "KPI E cohort",
        &[
            "Reference",
            "First paid job started",
            "Weeks that must pass",
            "Result",
        ],
    );
    for p in parts {
        let e = &p.alone.kpi_e;
        let result = match counted(&e.rate) {
            Some(true) => "still in paid work",
            Some(false) => "not in paid work",
            None if e.too_early == 1 => "too early to tell (not counted)",
            None => continue,
        };
        s.push(vec![
            reference(p).into(),
            first_paid_start(p).into(),
            e.weeks.into(),
            result.into(),
        ]);
    }
    s
}

fn responses_sheet(
    name: &str,
    rows: &[response::Model],
    reference: &impl Fn(&Uuid) -> Option<String>,
) -> Sheet {
    let mut s = Sheet::new(
        name,
        &[
            "Reference",
            "Answered on",
            "Overall rating (1 to 5)",
            "Response id",
        ],
    );
    let mut rows: Vec<&response::Model> = rows.iter().collect();
    rows.sort_by_key(|r| (r.answered_on, r.id));
    for r in rows {
        s.push(vec![
            reference(&r.participant_id).into(),
            r.answered_on.into(),
            r.overall.map(i64::from).into(),
            r.id.to_string().into(),
        ]);
    }
    s
}
