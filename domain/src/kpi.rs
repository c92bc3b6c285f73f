//! The indicators, exactly as DESIGN.md §4 defines them: KPI C and D (satisfaction) and
//! wellbeing change. Pure functions over plain records, so the server, the published
//! snapshots and the offline PWA all compute the same figures.

pub mod interval;

use crate::completion::{Channel, Respondent, Support};
use crate::fixed::Hundredths;
use crate::period::Period;
use crate::values::Rating;
use chrono::{DateTime, NaiveDate, Utc};
use interval::{Interval, Sums, mean_interval, wilson};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// The rule version stamped on published reports; bump it when a rule here changes.
pub const RULE_VERSION: &str = "2026-12-1";

/// Default meaningful change in SWEMWBS metric points (Shah et al. 2018), in hundredths.
pub const DEFAULT_CHANGE_THRESHOLD: Hundredths = Hundredths(300);

/// Default smallest number of responses behind a figure shown to participants.
pub const DEFAULT_SMALL_NUMBER: u64 = 5;

/// A comment behind a satisfaction rating, newest first on the manager's dashboard. Managers
/// only: specialists never see individual comments about their own service (DESIGN §8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingComment {
    pub response_id: Uuid,
    /// `employer_satisfaction` or `jobseeker_satisfaction`.
    pub instrument: String,
    pub answered_at: DateTime<Utc>,
    pub answered_on: NaiveDate,
    /// The overall-satisfaction rating (1–5), if the item was answered.
    pub overall: Option<u8>,
    pub comment: Option<String>,
    /// The person agreed that the typed comment may be quoted in a quality report.
    #[serde(default)]
    pub may_quote: bool,
    /// A recorded comment is held (play it from `GET /api/responses/{id}/voice`).
    pub voice_comment: bool,
    pub respondent: Respondent,
    pub support: Support,
    pub channel: Channel,
}

/// One satisfaction response, as the KPI needs it.
#[derive(Debug, Clone)]
pub struct SatisfactionAnswer {
    pub response_id: Uuid,
    pub invitation_id: Option<Uuid>,
    /// When the person answered (device clock, checked by the server).
    pub answered_at: DateTime<Utc>,
    /// Arrival order at the server: breaks ties between equal `answered_at`.
    pub arrival: i64,
    /// `answered_at` as a calendar date in the organisation's time zone.
    pub answered_on: NaiveDate,
    pub respondent: Respondent,
    pub support: Support,
    pub channel: Channel,
    /// The overall-satisfaction item; `None` when the person skipped it. Such an answer still
    /// takes its invitation's place, so a later answer to the same invitation is a second one.
    pub overall: Option<Rating>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Split {
    pub key: String,
    pub n: u64,
    pub mean: Option<Hundredths>,
    /// 95% interval of the mean; absent when n < 2.
    #[serde(default)]
    pub mean_interval: Option<Interval>,
    pub small_sample: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SatisfactionKpi {
    pub period: Period,
    /// Responses counted.
    pub n: u64,
    /// Mean overall satisfaction, 1–5, to 2 decimals; absent when n is 0.
    pub mean: Option<Hundredths>,
    /// 95% interval of the mean (mean ± t(0.975, n−1)·s/√n); absent when n < 2.
    #[serde(default)]
    pub mean_interval: Option<Interval>,
    /// How many counted responses gave 1, 2, 3, 4 and 5.
    pub distribution: [u64; 5],
    pub by_support: Vec<Split>,
    pub by_channel: Vec<Split>,
    /// Answered in the period but not counted: someone answered for the person.
    pub excluded_proxy: u64,
    /// Answered in the period but not counted: a later answer to an invitation already answered.
    pub excluded_second_answers: u64,
    /// Answered in the period but not counted: the first answer to its invitation (or an
    /// answer without one) skipped the overall item.
    #[serde(default)]
    pub overall_not_answered: u64,
    pub small_sample: bool,
    /// The responses behind the figure (for published snapshots and audits).
    pub response_ids: Vec<Uuid>,
}

/// The responses that are second (or later) answers to their invitation. The first answered
/// counts; equal answer times go to the first to arrive (then the smaller id). `answers` should hold every answer to
/// the invitations concerned, whatever their period, so a late-synced earlier answer wins.
pub fn second_answers(
    answers: impl IntoIterator<Item = (Uuid, Option<Uuid>, DateTime<Utc>, i64)>,
) -> std::collections::HashSet<Uuid> {
    let mut first: HashMap<Uuid, (DateTime<Utc>, i64, Uuid)> = HashMap::new();
    let mut all = Vec::new();
    for (id, invitation, at, arrival) in answers {
        if let Some(inv) = invitation {
            all.push(id);
            let e = first.entry(inv).or_insert((at, arrival, id));
            // Equal in time and arrival too: the smaller id, as the database's count decides.
            if (at, arrival, id) < *e {
                *e = (at, arrival, id);
            }
        }
    }
    let firsts: std::collections::HashSet<Uuid> = first.values().map(|v| v.2).collect();
    all.into_iter().filter(|id| !firsts.contains(id)).collect()
}

/// Satisfaction answers the rules treat alike, counted: answered in the same part of a period
/// (`answered_on` is a day of that part) with the same rating, respondent, support and channel,
/// and alike as first or second answers. The database
/// counts them (`repo::tallies`), so a figure over years reads groups, not rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SatisfactionTally {
    pub answered_on: NaiveDate,
    pub overall: Option<Rating>,
    pub respondent: Respondent,
    /// `None` when they were not counted apart by support (then no split by it).
    pub support: Option<Support>,
    /// `None` when they were not counted apart by channel (then no split by it).
    pub channel: Option<Channel>,
    /// A later answer to an invitation answered before (see `second_answers`).
    pub second_answer: bool,
    pub n: u64,
}

/// KPI C (employer answers) or KPI D (jobseeker answers) for one period, with the responses
/// behind it. An answer in the period is set aside, in this order, as a second answer to its
/// invitation, as a proxy answer, or for skipping the overall item; the rest are counted. A
/// first answer that skipped the overall item still takes its invitation's place (DESIGN.md §4
/// KPI C).
pub fn satisfaction(
    period: Period,
    answers: &[SatisfactionAnswer],
    small_number: u64,
) -> SatisfactionKpi {
    let seconds = second_answers(
        answers
            .iter()
            .map(|a| (a.response_id, a.invitation_id, a.answered_at, a.arrival)),
    );
    let in_period = || answers.iter().filter(|a| period.contains(a.answered_on));
    let tallies: Vec<SatisfactionTally> = in_period()
        .map(|a| SatisfactionTally {
            answered_on: a.answered_on,
            overall: a.overall,
            respondent: a.respondent,
            support: Some(a.support),
            channel: Some(a.channel),
            second_answer: seconds.contains(&a.response_id),
            n: 1,
        })
        .collect();
    let mut k = satisfaction_of_tallies(period, &tallies, small_number);
    k.response_ids = in_period()
        .filter(|a| {
            !seconds.contains(&a.response_id)
                && a.respondent != Respondent::Proxy
                && a.overall.is_some()
        })
        .map(|a| a.response_id)
        .collect();
    k.response_ids.sort();
    k
}

/// KPI C or KPI D for one period from counted answers (no response ids: ask `satisfaction`
/// for those). The same rules as `satisfaction`, which is this over groups of one.
pub fn satisfaction_of_tallies(
    period: Period,
    tallies: &[SatisfactionTally],
    small_number: u64,
) -> SatisfactionKpi {
    // Ratings in hundredths (4 is 400), so the sums give the mean and its interval exactly.
    let mut all = Sums::default();
    let mut distribution = [0u64; 5];
    let mut excluded_proxy = 0;
    let mut excluded_second_answers = 0;
    let mut overall_not_answered = 0;
    let mut by_support: BTreeMap<Support, Sums> = BTreeMap::new();
    let mut by_channel: BTreeMap<Channel, Sums> = BTreeMap::new();
    for t in tallies.iter().filter(|t| period.contains(t.answered_on)) {
        if t.second_answer {
            excluded_second_answers += t.n;
            continue;
        }
        if t.respondent == Respondent::Proxy {
            excluded_proxy += t.n;
            continue;
        }
        let Some(overall) = t.overall else {
            overall_not_answered += t.n;
            continue;
        };
        let v = i64::from(overall.get()) * 100;
        all.push_many(v, t.n);
        distribution[usize::from(overall.get() - 1)] += t.n;
        if let Some(support) = t.support {
            by_support.entry(support).or_default().push_many(v, t.n);
        }
        if let Some(channel) = t.channel {
            by_channel.entry(channel).or_default().push_many(v, t.n);
        }
    }
    let split = |key: &str, s: Sums| Split {
        key: key.to_owned(),
        n: s.n,
        mean: s.mean(),
        mean_interval: s.interval(),
        small_sample: s.n < small_number,
    };
    let n = all.n;
    SatisfactionKpi {
        period,
        n,
        mean: all.mean(),
        mean_interval: all.interval(),
        distribution,
        by_support: by_support
            .into_iter()
            .map(|(k, v)| split(k.as_str(), v))
            .collect(),
        by_channel: by_channel
            .into_iter()
            .map(|(k, v)| split(k.as_str(), v))
            .collect(),
        excluded_proxy,
        excluded_second_answers,
        overall_not_answered,
        small_sample: n < small_number,
        response_ids: Vec::new(),
    }
}

/// One rating item of a satisfaction survey other than the overall one (its sub-items: being
/// listened to, the match, the support...), over the responses a KPI counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemMean {
    pub key: String,
    /// The item's words in English, as the survey asks it.
    pub label: String,
    /// Counted responses that answered it (a skipped item is not in its n).
    pub n: u64,
    pub mean: Option<Hundredths>,
    /// 95% interval of the mean; absent when n < 2.
    pub mean_interval: Option<Interval>,
    pub small_sample: bool,
}

/// A satisfaction survey's sub-items over the responses behind its KPI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SatisfactionItems {
    /// `employer_satisfaction` (KPI C) or `jobseeker_satisfaction` (KPI D).
    pub instrument: String,
    pub items: Vec<ItemMean>,
}

/// The mean of every rating item but the overall one, over `answers` (each response's ratings
/// in the order of `items`, as stored). An answer outside 1 to 5 or missing is not counted.
pub fn item_means(
    items: &[crate::instrument::Item],
    answers: &[Vec<Option<u8>>],
    small_number: u64,
) -> Vec<ItemMean> {
    items
        .iter()
        .enumerate()
        .filter(|(_, item)| !item.overall)
        .map(|(i, item)| {
            let mut sums = Sums::default();
            for rating in answers.iter().filter_map(|a| a.get(i).copied().flatten()) {
                if (1..=5).contains(&rating) {
                    sums.push(i64::from(rating) * 100);
                }
            }
            ItemMean {
                key: item.key.clone(),
                label: item.text.get("en").cloned().unwrap_or_default(),
                n: sums.n,
                mean: sums.mean(),
                mean_interval: sums.interval(),
                small_sample: sums.n < small_number,
            }
        })
        .collect()
}

crate::completion::wire_enum!(
    /// When in an episode a SWEMWBS form was asked.
    Timing { Start = "start", Review = "review", End = "end" }
);

/// One SWEMWBS form, as the wellbeing figures need it.
#[derive(Debug, Clone)]
pub struct SwemwbsAnswer {
    pub response_id: Uuid,
    pub episode_id: Uuid,
    pub timing: Timing,
    pub respondent: Respondent,
    pub answered_at: DateTime<Utc>,
    pub arrival: i64,
    pub answered_on: NaiveDate,
    /// `None` for an incomplete form.
    pub metric: Option<Hundredths>,
    /// Answered under the filters the figure is asked for (by the holder of its episode when
    /// it was answered). An end form's pair counts only where its end form was attributed.
    pub attributed: bool,
}

impl SwemwbsAnswer {
    /// Scored: complete and self-completed. Proxy SWEMWBS is kept but never scored.
    fn scored(&self) -> Option<Hundredths> {
        match self.respondent {
            Respondent::SelfReport => self.metric,
            Respondent::Proxy => None,
        }
    }
}

/// An episode's start and (if it has ended) end date.
#[derive(Debug, Clone, Copy)]
pub struct EpisodeDates {
    pub id: Uuid,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeBand {
    Improved,
    NoMeaningfulChange,
    Declined,
}

/// A change of exactly the threshold counts (3.00 is improved; 2.99 is not).
pub fn classify(change: Hundredths, threshold: Hundredths) -> ChangeBand {
    if change.0 >= threshold.0 {
        ChangeBand::Improved
    } else if change.0 <= -threshold.0 {
        ChangeBand::Declined
    } else {
        ChangeBand::NoMeaningfulChange
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WellbeingPair {
    pub episode_id: Uuid,
    pub start_response_id: Uuid,
    pub end_response_id: Uuid,
    pub start: Hundredths,
    pub end: Hundredths,
    pub change: Hundredths,
    pub band: ChangeBand,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WellbeingKpi {
    pub period: Period,
    pub threshold: Hundredths,
    pub paired_n: u64,
    pub mean_start: Option<Hundredths>,
    /// 95% interval of `mean_start`; absent when paired n < 2 (so for each interval below).
    #[serde(default)]
    pub mean_start_interval: Option<Interval>,
    pub mean_end: Option<Hundredths>,
    #[serde(default)]
    pub mean_end_interval: Option<Interval>,
    /// The mean of the individual changes.
    pub mean_change: Option<Hundredths>,
    /// 95% interval of the mean change (t over the individual changes, not start and end apart).
    #[serde(default)]
    pub mean_change_interval: Option<Interval>,
    pub improved: u64,
    pub no_meaningful_change: u64,
    pub declined: u64,
    pub improved_pct: Option<Hundredths>,
    /// Wilson 95% interval of `improved_pct`, in percent (so for the other two).
    #[serde(default)]
    pub improved_pct_interval: Option<Interval>,
    pub no_meaningful_change_pct: Option<Hundredths>,
    #[serde(default)]
    pub no_meaningful_change_pct_interval: Option<Interval>,
    pub declined_pct: Option<Hundredths>,
    #[serde(default)]
    pub declined_pct_interval: Option<Interval>,
    /// Episodes that ended in the period with a scored start but no scored end.
    pub ended_without_end_score: u64,
    /// Episodes that started in the period with no scored start form.
    pub started_without_start_score: u64,
    pub small_sample: bool,
    pub pairs: Vec<WellbeingPair>,
}

/// Wellbeing change for one period: per episode, its earliest scored start form paired with
/// its latest scored end form; the pair belongs to the period holding the end form's date.
/// `answers` hold every form of the episodes concerned, each marked whether it was answered
/// under the filters asked for (a pair counts where its end form does); `counts(episode, day)` says whether a gap falling due on that day counts here
/// (whoever held the episode that day matches the filters).
pub fn wellbeing(
    period: Period,
    episodes: &[EpisodeDates],
    answers: &[SwemwbsAnswer],
    threshold: Hundredths,
    small_number: u64,
    counts: impl Fn(Uuid, NaiveDate) -> bool,
) -> WellbeingKpi {
    let mut starts: HashMap<Uuid, &SwemwbsAnswer> = HashMap::new();
    let mut ends: HashMap<Uuid, &SwemwbsAnswer> = HashMap::new();
    for a in answers.iter().filter(|a| a.scored().is_some()) {
        match a.timing {
            Timing::Start => {
                let e = starts.entry(a.episode_id).or_insert(a);
                if (a.answered_at, a.arrival) < (e.answered_at, e.arrival) {
                    *e = a;
                }
            }
            Timing::End => {
                let e = ends.entry(a.episode_id).or_insert(a);
                // Latest answered; equal times go to the first to arrive.
                if (a.answered_at, -a.arrival) > (e.answered_at, -e.arrival) {
                    *e = a;
                }
            }
            Timing::Review => {}
        }
    }
    let mut pairs: Vec<WellbeingPair> = ends
        .values()
        .filter(|end| period.contains(end.answered_on) && end.attributed)
        .filter_map(|end| {
            let start = starts.get(&end.episode_id)?;
            let (s, e) = (start.scored()?, end.scored()?);
            let change = Hundredths(e.0 - s.0);
            Some(WellbeingPair {
                episode_id: end.episode_id,
                start_response_id: start.response_id,
                end_response_id: end.response_id,
                start: s,
                end: e,
                change,
                band: classify(change, threshold),
            })
        })
        .collect();
    pairs.sort_by_key(|p| p.episode_id);

    let n = pairs.len() as i64;
    let sum = |f: fn(&WellbeingPair) -> i64| pairs.iter().map(f).sum::<i64>();
    let interval = |f: fn(&WellbeingPair) -> i64| mean_interval(pairs.iter().map(f));
    let count = |band| pairs.iter().filter(|p| p.band == band).count() as u64;
    let (improved, same, declined) = (
        count(ChangeBand::Improved),
        count(ChangeBand::NoMeaningfulChange),
        count(ChangeBand::Declined),
    );
    let ended_without_end_score = episodes
        .iter()
        .filter(|e| {
            e.ended_on
                .is_some_and(|d| period.contains(d) && counts(e.id, d))
        })
        .filter(|e| starts.contains_key(&e.id) && !ends.contains_key(&e.id))
        .count() as u64;
    let started_without_start_score = episodes
        .iter()
        .filter(|e| period.contains(e.started_on) && counts(e.id, e.started_on))
        .filter(|e| !starts.contains_key(&e.id))
        .count() as u64;
    WellbeingKpi {
        period,
        threshold,
        paired_n: n as u64,
        mean_start: Hundredths::mean_of(sum(|p| p.start.0), n),
        mean_start_interval: interval(|p| p.start.0),
        mean_end: Hundredths::mean_of(sum(|p| p.end.0), n),
        mean_end_interval: interval(|p| p.end.0),
        mean_change: Hundredths::mean_of(sum(|p| p.change.0), n),
        mean_change_interval: interval(|p| p.change.0),
        improved,
        no_meaningful_change: same,
        declined,
        improved_pct: Hundredths::percent(improved as i64, n),
        improved_pct_interval: wilson(improved, n as u64),
        no_meaningful_change_pct: Hundredths::percent(same as i64, n),
        no_meaningful_change_pct_interval: wilson(same, n as u64),
        declined_pct: Hundredths::percent(declined as i64, n),
        declined_pct_interval: wilson(declined, n as u64),
        ended_without_end_score,
        started_without_start_score,
        small_sample: (n as u64) < small_number,
        pairs,
    }
}

/// What participants and employers may see of a figure: the value only for a closed period
/// with at least `small_number` responses behind it (DESIGN.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "shown", rename_all = "snake_case")]
pub enum PublicFigure {
    Value { value: Hundredths, n: u64 },
    TooFewAnswers { n: u64, needed: u64 },
    PeriodNotClosed,
}

pub fn public_figure(
    value: Option<Hundredths>,
    n: u64,
    period: Period,
    today: NaiveDate,
    small_number: u64,
) -> PublicFigure {
    if !period.is_closed(today) {
        return PublicFigure::PeriodNotClosed;
    }
    match value {
        Some(value) if n >= small_number => PublicFigure::Value { value, n },
        _ => PublicFigure::TooFewAnswers {
            n,
            needed: small_number,
        },
    }
}

/// One part (a month or a quarter) of a trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    pub period: Period,
    pub n: u64,
    /// Mean satisfaction, or mean wellbeing change; withheld where the reader may not see it.
    pub value: Option<Hundredths>,
    /// The 95% interval of `value`; withheld exactly when `value` is (and absent when n < 2).
    pub interval: Option<Interval>,
    pub small_sample: bool,
}

impl TrendPoint {
    /// One part of KPI C or D; `show_small` lets a manager see a small sample's mean.
    pub fn satisfaction(k: &SatisfactionKpi, show_small: bool) -> Self {
        let shown = show_small || !k.small_sample;
        TrendPoint {
            period: k.period,
            n: k.n,
            value: k.mean.filter(|_| shown),
            interval: k.mean_interval.filter(|_| shown),
            small_sample: k.small_sample,
        }
    }

    /// One part of wellbeing change, counted in pairs.
    pub fn wellbeing(w: &WellbeingKpi, show_small: bool) -> Self {
        let shown = show_small || !w.small_sample;
        TrendPoint {
            period: w.period,
            n: w.paired_n,
            value: w.mean_change.filter(|_| shown),
            interval: w.mean_change_interval.filter(|_| shown),
            small_sample: w.small_sample,
        }
    }
}

/// Each indicator part by part (months or quarters) over a period (`GET /api/kpi/trend`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trend {
    pub kpi_c: Vec<TrendPoint>,
    pub kpi_d: Vec<TrendPoint>,
    pub wellbeing_change: Vec<TrendPoint>,
    /// Due versus answered, month by month.
    pub coverage: Vec<crate::coverage::Coverage>,
}

#[cfg(test)]
mod tests;
