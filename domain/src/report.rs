//! The quality report's own words: the overall grade (seed 004), the "you said, we did" actions
//! it lists, and the key messages the app drafts from what moved since the period before.

use crate::Hundredths;
use crate::feedback::{ActionAudience, BilingualText};
use crate::kpi::interval::Interval;
use crate::kpi::{SatisfactionKpi, WellbeingKpi};
use crate::outcomes::{Benchmark, Judged, OutcomeFigures, Rag, rag};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

crate::completion::wire_enum!(
    /// The overall grade in seed 004's words.
    OverallGrade { Outstanding = "outstanding", Green = "green", Amber = "amber", Red = "red" }
);

impl OverallGrade {
    /// The word shown beside any colour.
    pub fn word(self) -> &'static str {
        match self {
            OverallGrade::Outstanding => "Outstanding",
            OverallGrade::Green => "Green",
            OverallGrade::Amber => "Amber",
            OverallGrade::Red => "Red",
        }
    }
}

/// The grade a manager gave the period, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportGrade {
    pub grade: OverallGrade,
    pub reason: String,
}

/// A "you said, we did" action published in the report's period, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportAction {
    pub id: Uuid,
    pub audience: ActionAudience,
    pub you_said: BilingualText,
    pub we_did: BilingualText,
    pub done_on: NaiveDate,
    /// The day it was published, in the organisation's time zone.
    pub published_on: NaiveDate,
}

/// The most comments one report quotes.
pub const MAX_QUOTES: usize = 10;

/// A comment the report quotes: its author agreed to quotation, and a manager chose it. Never
/// the person's name or reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportQuote {
    /// The response it came from, for the service's own copy; absent from a copy shared with a
    /// commissioner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_id: Option<Uuid>,
    /// Whose survey it answered: `employer_satisfaction` or `jobseeker_satisfaction`.
    pub instrument: String,
    /// The words, exactly as typed.
    pub text: String,
}

/// One headline figure of a period, as the drafting rule compares it with the period before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    /// A stable name for programs: `kpi_a`, `kpi_b`, `kpi_c`, `kpi_d`, `kpi_e`,
    /// `wellbeing_change`, `access`, `into_paid_work`, `cost_per_participant`,
    /// `cost_per_job_outcome`.
    pub key: &'static str,
    /// What it is called in a sentence: "KPI A (paid job starts)".
    pub name: String,
    /// Written after a value: "%" or " weeks" or "".
    pub unit: &'static str,
    pub value: Option<Hundredths>,
    /// Its 95% interval, where it has one.
    pub interval: Option<Interval>,
    /// The benchmark (or the organisation's target) it is judged against.
    pub benchmark: Option<Benchmark>,
}

/// A benchmark in words: "at least 40.00%".
pub fn benchmark_words(b: Benchmark, unit: &str) -> String {
    match b {
        Benchmark::AtLeast { value } => format!("at least {value}{unit}"),
        Benchmark::AtMost { value } => format!("at most {value}{unit}"),
        Benchmark::Between { low, high } => format!("between {low}{unit} and {high}{unit}"),
    }
}

/// A figure judged first by its benchmark, else by the organisation's target.
fn judged_by(j: &Judged) -> Option<Benchmark> {
    j.benchmark.or(j.target)
}

fn line(
    (key, name): (&'static str, &str),
    unit: &'static str,
    value: Option<Hundredths>,
    interval: Option<Interval>,
    benchmark: Option<Benchmark>,
) -> Headline {
    Headline {
        key,
        name: name.to_owned(),
        unit,
        value,
        interval,
        benchmark,
    }
}

/// A period's headline figures, in the order a report lists them: KPIs A to E, wellbeing
/// change, referrals that start and starters into paid work. Without outcome figures (a report
/// published before they existed) only KPIs C, D and wellbeing.
pub fn headlines(
    kpi_c: &SatisfactionKpi,
    kpi_d: &SatisfactionKpi,
    wellbeing: &WellbeingKpi,
    outcomes: Option<&OutcomeFigures>,
) -> Vec<Headline> {
    let mut out = Vec::new();
    if let Some(o) = outcomes {
        out.push(line(
            ("kpi_a", "KPI A (vocational profiles into paid work)"),
            "%",
            o.kpi_a.rate.percent,
            o.kpi_a.rate.interval,
            judged_by(&o.kpi_a.judged),
        ));
        out.push(line(
            ("kpi_b", "KPI B (weeks to a first paid job)"),
            " weeks",
            o.kpi_b.weeks.mean,
            o.kpi_b.weeks.interval,
            None,
        ));
    }
    out.push(line(
        ("kpi_c", "KPI C (employer satisfaction, 1 to 5)"),
        "",
        kpi_c.mean,
        kpi_c.mean_interval,
        None,
    ));
    out.push(line(
        ("kpi_d", "KPI D (jobseeker satisfaction, 1 to 5)"),
        "",
        kpi_d.mean,
        kpi_d.mean_interval,
        None,
    ));
    if let Some(o) = outcomes {
        out.push(line(
            ("kpi_e", "KPI E (still in paid work)"),
            "%",
            o.kpi_e.rate.percent,
            o.kpi_e.rate.interval,
            judged_by(&o.kpi_e.judged),
        ));
    }
    out.push(line(
        ("wellbeing_change", "Wellbeing change (SWEMWBS)"),
        " points",
        wellbeing.mean_change,
        wellbeing.mean_change_interval,
        None,
    ));
    if let Some(o) = outcomes {
        out.push(line(
            ("access", "Referrals that start"),
            "%",
            o.access.percent,
            o.access.interval,
            judged_by(&o.access_judged),
        ));
        out.push(line(
            ("into_paid_work", "Starters into paid work"),
            "%",
            o.into_paid_work.percent,
            o.into_paid_work.interval,
            judged_by(&o.into_paid_work_judged),
        ));
    }
    out
}

/// The headline figures a commissioner reads first (seed 002's questions): the report's
/// headlines, then the cost per participant and per job outcome in pounds.
pub fn commissioner_headlines(
    kpi_c: &SatisfactionKpi,
    kpi_d: &SatisfactionKpi,
    wellbeing: &WellbeingKpi,
    outcomes: Option<&OutcomeFigures>,
) -> Vec<HeadlineFigure> {
    let mut out: Vec<HeadlineFigure> = headlines(kpi_c, kpi_d, wellbeing, outcomes)
        .iter()
        .map(Headline::figure)
        .collect();
    if let Some(o) = outcomes {
        let cost = o.cost.as_ref();
        out.push(
            line(
                ("cost_per_participant", "Cost per participant (£)"),
                "",
                cost.and_then(|c| c.per_participant),
                None,
                cost.and_then(|c| judged_by(&c.per_participant_judged)),
            )
            .figure(),
        );
        out.push(
            line(
                ("cost_per_job_outcome", "Cost per job outcome (£)"),
                "",
                cost.and_then(|c| c.per_job_outcome),
                None,
                cost.and_then(|c| judged_by(&c.per_job_outcome_judged)),
            )
            .figure(),
        );
    }
    out
}

/// A headline figure as the API sends it: its value, unit and the RAG word against the
/// benchmark (or target) it is judged by, with that benchmark in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeadlineFigure {
    /// Stable, for programs (`Headline::key`); `name` is the English words.
    pub key: String,
    pub name: String,
    /// Written after the value: "%", " weeks", " points" or nothing.
    pub unit: String,
    pub value: Option<Hundredths>,
    pub rag: Option<Rag>,
    /// "at least 40.00%", where the figure is judged.
    pub benchmark: Option<String>,
    /// The same benchmark (or target) as numbers, to be written in another language.
    pub judged_by: Option<Benchmark>,
}

impl Headline {
    pub fn figure(&self) -> HeadlineFigure {
        HeadlineFigure {
            key: self.key.to_owned(),
            name: self.name.clone(),
            unit: self.unit.to_owned(),
            value: self.value,
            rag: self.value.zip(self.benchmark).map(|(v, b)| rag(v, b)),
            benchmark: self.benchmark.map(|b| benchmark_words(b, self.unit)),
            judged_by: self.benchmark,
        }
    }
}

/// Most drafts proposed: the report holds at most five key messages.
pub const MAX_KEY_MESSAGES: usize = 5;

/// Drafts of key messages, in plain words, from what moved between `before` (the period of the
/// same length just before) and `now`, figure by figure (matched by name):
/// first every figure that crossed its benchmark or target (met it one period and not the
/// other), then every other figure whose value the period before lies outside this period's 95%
/// interval (a change larger than the interval). Figures without a value in both are skipped.
/// At most five.
pub fn proposed_messages(now: &[Headline], before: &[Headline]) -> Vec<String> {
    let mut crossed = Vec::new();
    let mut moved = Vec::new();
    for h in now {
        let Some(prev) = before.iter().find(|b| b.name == h.name) else {
            continue;
        };
        let (Some(v), Some(p)) = (h.value, prev.value) else {
            continue;
        };
        let unit = h.unit;
        let direction = if v > p { "rose" } else { "fell" };
        if let Some(b) = h.benchmark {
            let meets_now = rag(v, b) == Rag::Green;
            let met_before = rag(p, b) == Rag::Green;
            if meets_now != met_before {
                let verdict = if meets_now {
                    "now meets"
                } else {
                    "no longer meets"
                };
                crossed.push(format!(
                    "{} {direction} from {p}{unit} to {v}{unit} and {verdict} its benchmark of {}.",
                    h.name,
                    benchmark_words(b, unit)
                ));
                continue;
            }
        }
        if let Some(i) = h.interval
            && (p < i.low || p > i.high)
        {
            moved.push(format!(
                "{} {direction} from {p}{unit} to {v}{unit}, more than its 95% interval ({}{unit} to {}{unit}).",
                h.name, i.low, i.high
            ));
        }
    }
    crossed
        .into_iter()
        .chain(moved)
        .take(MAX_KEY_MESSAGES)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(
        name: &str,
        value: Option<i64>,
        interval: Option<(i64, i64)>,
        benchmark: Option<Benchmark>,
    ) -> Headline {
        Headline {
            key: "test",
            name: name.to_owned(),
            unit: "%",
            value: value.map(Hundredths),
            interval: interval.map(|(low, high)| Interval {
                low: Hundredths(low),
                high: Hundredths(high),
            }),
            benchmark,
        }
    }

    fn at_least(units: i64) -> Option<Benchmark> {
        Some(Benchmark::AtLeast {
            value: Hundredths::from_units(units),
        })
    }

    #[test]
    fn a_headline_figure_carries_its_rag_word_and_benchmark_in_words_only_when_judged() {
        let judged = h("KPI A", Some(3999), None, at_least(40)).figure();
        assert_eq!(judged.rag, Some(Rag::Amber));
        assert_eq!(judged.benchmark.as_deref(), Some("at least 40.00%"));
        assert_eq!(judged.unit, "%");
        let met = h("KPI A", Some(4000), None, at_least(40)).figure();
        assert_eq!(met.rag, Some(Rag::Green));
        // No value: nothing to judge, the benchmark still said.
        let empty = h("KPI A", None, None, at_least(40)).figure();
        assert_eq!(empty.rag, None);
        assert_eq!(empty.benchmark.as_deref(), Some("at least 40.00%"));
        // Not judged at all.
        let plain = h("KPI D", Some(420), None, None).figure();
        assert_eq!((plain.rag, plain.benchmark), (None, None));
        assert_eq!(plain.value, Some(Hundredths(420)));
    }

    #[test]
    fn a_figure_crossing_its_benchmark_either_way_is_proposed_first() {
        let now = [
            h("Access", Some(6500), None, at_least(70)),
            h("KPI A", Some(4500), Some((4000, 5000)), at_least(40)),
        ];
        let before = [
            h("Access", Some(7500), None, at_least(70)),
            h("KPI A", Some(3500), None, at_least(40)),
        ];
        assert_eq!(
            proposed_messages(&now, &before),
            [
                "Access fell from 75.00% to 65.00% and no longer meets its benchmark of at least 70.00%.",
                "KPI A rose from 35.00% to 45.00% and now meets its benchmark of at least 40.00%.",
            ]
        );
    }

    #[test]
    fn a_change_larger_than_the_interval_is_proposed_and_a_smaller_one_is_not() {
        let now = [
            h("KPI E", Some(8000), Some((7000, 9000)), at_least(70)),
            h("KPI D", Some(420), Some((380, 460)), None),
            h("Wellbeing", Some(300), Some((250, 350)), None),
        ];
        let before = [
            // Met its benchmark both times, inside the interval: nothing to say.
            h("KPI E", Some(7500), None, at_least(70)),
            h("KPI D", Some(350), None, None),
            // Exactly on the interval's edge is inside it.
            h("Wellbeing", Some(250), None, None),
        ];
        assert_eq!(
            proposed_messages(&now, &before),
            ["KPI D rose from 3.50% to 4.20%, more than its 95% interval (3.80% to 4.60%)."]
        );
    }

    #[test]
    fn figures_missing_a_value_or_an_interval_or_the_period_before_are_skipped() {
        let now = [
            h("A", None, Some((0, 10)), at_least(1)),
            h("B", Some(500), None, None),
            h("C", Some(500), Some((400, 600)), None),
        ];
        let before = [
            h("A", Some(5), None, at_least(1)),
            h("B", Some(100), None, None),
        ];
        assert!(proposed_messages(&now, &before).is_empty());
    }

    #[test]
    fn at_most_five_drafts_are_proposed() {
        let names: Vec<String> = (0..7).map(|i| format!("F{i}")).collect();
        let now: Vec<Headline> = names
            .iter()
            .map(|n| h(n, Some(5000), None, at_least(40)))
            .collect();
        let before: Vec<Headline> = names
            .iter()
            .map(|n| h(n, Some(1000), None, at_least(40)))
            .collect();
        let drafts = proposed_messages(&now, &before);
        assert_eq!(drafts.len(), MAX_KEY_MESSAGES);
        assert!(drafts[0].starts_with("F0 rose"));
    }
}
