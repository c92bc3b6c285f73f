//! The indicators computed from the database: fetch one organisation's period through the
//! indexes, then apply the exact rules in `domain::kpi`.

pub mod outcomes;
pub mod workbook;

use crate::{
    entities::episode,
    repo::{self, invitations::KpiRow, tallies::Grouping},
};
use chrono::{DateTime, NaiveDate, Utc};
use domain::{
    Hundredths, Rating,
    attribution::{Attribution, Holding, holding_at, holding_on},
    completion::{Channel, Respondent, Support},
    instrument::{Audience, InstrumentKey},
    kpi::{
        self, EpisodeDates, SatisfactionAnswer, SatisfactionKpi, SatisfactionTally, SwemwbsAnswer,
        Timing, WellbeingKpi,
    },
    period::Period,
};
use sea_orm::ConnectionTrait;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

fn arrival(r: &KpiRow) -> i64 {
    r.received_at.timestamp_micros()
}

/// A stored SWEMWBS form as the pairing rule reads it; `None` for one that belongs to no
/// episode or has no timing (it can be in no pair).
pub fn swemwbs_answer(r: &KpiRow) -> anyhow::Result<Option<SwemwbsAnswer>> {
    let (Some(episode_id), Some(timing)) = (r.episode_id, r.timing.as_deref()) else {
        return Ok(None);
    };
    Ok(Some(SwemwbsAnswer {
        response_id: r.id,
        episode_id,
        timing: parsed("timing", timing, Timing::parse)?,
        respondent: parsed("respondent", &r.respondent, Respondent::parse)?,
        answered_at: r.answered_at,
        arrival: arrival(r),
        answered_on: r.answered_on,
        metric: r.swemwbs_metric.map(|m| Hundredths(i64::from(m))),
        // Whoever reads it decides whether it was answered under their filters.
        attributed: true,
    }))
}

fn parsed<T>(
    what: &str,
    v: &str,
    parse: impl Fn(&str) -> Result<T, domain::ParseError>,
) -> anyhow::Result<T> {
    parse(v).map_err(|e| anyhow::anyhow!("stored {what}: {e}"))
}

/// KPI C (employers) or KPI D (jobseekers) for one period, counted by the database; with the
/// responses behind it when `with_ids` (an audit or a published report), read row by row.
pub async fn satisfaction(
    db: &impl ConnectionTrait,
    org: Uuid,
    audience: Audience,
    period: Period,
    who: &Attribution,
    small_number: u64,
    with_ids: bool,
) -> anyhow::Result<SatisfactionKpi> {
    if with_ids {
        let rows = satisfaction_rows(db, org, audience, period, who).await?;
        return Ok(kpi::satisfaction(
            period,
            &satisfaction_answers(rows.all())?,
            small_number,
        ));
    }
    let mut parts =
        satisfaction_parts(db, org, audience, period, &[period], who, small_number).await?;
    parts
        .pop()
        .ok_or_else(|| anyhow::anyhow!("satisfaction of one period gave none"))
}

/// KPI C or KPI D for each of `parts` from one count of the whole period by the database: each
/// answer counts in the part holding its day, and whether it is a second answer is decided
/// over every answer to its invitation, wherever it falls. `parts` are the period itself, or
/// whole months clipped to it (months, quarters, financial years): those are counted month by
/// month, without the support and channel splits a trend does not show.
pub async fn satisfaction_parts(
    db: &impl ConnectionTrait,
    org: Uuid,
    audience: Audience,
    period: Period,
    parts: &[Period],
    who: &Attribution,
    small_number: u64,
) -> anyhow::Result<Vec<SatisfactionKpi>> {
    let grouping = if parts == [period] {
        Grouping::Whole
    } else {
        Grouping::Month
    };
    let groups = repo::tallies::satisfaction(
        db,
        org,
        audience.satisfaction_instrument(),
        period.first,
        period.last,
        who,
        grouping,
    )
    .await?;
    let tallies = groups
        .iter()
        .map(|g| tally(g, period))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(parts
        .iter()
        .map(|part| kpi::satisfaction_of_tallies(*part, &tallies, small_number))
        .collect())
}

/// A group as the rules read it, dated by the first day of its month within the period (or the
/// period's first day when counted whole).
fn tally(
    g: &repo::tallies::SatisfactionGroup,
    period: Period,
) -> anyhow::Result<SatisfactionTally> {
    let answered_on = match &g.month {
        Some(month) => NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
            .map_err(|e| anyhow::anyhow!("stored month {month:?}: {e}"))?
            .max(period.first),
        None => period.first,
    };
    Ok(SatisfactionTally {
        answered_on,
        overall: g.overall.map(rating).transpose()?,
        respondent: parsed("respondent", &g.respondent, Respondent::parse)?,
        support: g
            .support
            .as_deref()
            .map(|v| parsed("support", v, Support::parse))
            .transpose()?,
        channel: g
            .channel
            .as_deref()
            .map(|v| parsed("channel", v, Channel::parse))
            .transpose()?,
        second_answer: g.second != 0,
        n: u64::try_from(g.n)?,
    })
}

fn rating(stored: i16) -> anyhow::Result<Rating> {
    Rating::new(u8::try_from(stored)?).map_err(|e| anyhow::anyhow!("stored rating: {e}"))
}

async fn satisfaction_rows(
    db: &impl ConnectionTrait,
    org: Uuid,
    audience: Audience,
    period: Period,
    who: &Attribution,
) -> Result<repo::invitations::PeriodRows, sea_orm::DbErr> {
    repo::invitations::for_period(
        db,
        org,
        audience.satisfaction_instrument(),
        period.first,
        period.last,
        who,
    )
    .await
}

fn satisfaction_answers<'a>(
    rows: impl Iterator<Item = &'a KpiRow>,
) -> anyhow::Result<Vec<SatisfactionAnswer>> {
    let mut answers = Vec::new();
    for r in rows {
        // Kept even when the overall item was skipped: it may still be its invitation's
        // first answer, which makes any later one a second answer.
        let overall = r.overall.map(rating).transpose()?;
        answers.push(SatisfactionAnswer {
            response_id: r.id,
            invitation_id: r.invitation_id,
            answered_at: r.answered_at,
            arrival: arrival(r),
            answered_on: r.answered_on,
            respondent: parsed("respondent", &r.respondent, Respondent::parse)?,
            support: parsed("support", &r.support, Support::parse)?,
            channel: parsed("channel", &r.channel, Channel::parse)?,
            overall,
        });
    }
    Ok(answers)
}

/// Wellbeing change for one period, with its gaps.
pub async fn wellbeing(
    db: &impl ConnectionTrait,
    org: Uuid,
    time_zone: &str,
    period: Period,
    who: &Attribution,
    threshold: Hundredths,
    small_number: u64,
) -> anyhow::Result<WellbeingKpi> {
    let mut parts = wellbeing_parts(
        db,
        org,
        time_zone,
        period,
        &[period],
        who,
        threshold,
        small_number,
    )
    .await?;
    parts
        .pop()
        .ok_or_else(|| anyhow::anyhow!("wellbeing of one period gave none"))
}

/// Wellbeing change for each of `parts` from one fetch of the whole period: every form of the
/// episodes that start or end in it or have a form answered in it, so each part pairs and
/// counts gaps exactly as it would alone.
#[allow(clippy::too_many_arguments)]
pub async fn wellbeing_parts(
    db: &impl ConnectionTrait,
    org: Uuid,
    time_zone: &str,
    period: Period,
    parts: &[Period],
    who: &Attribution,
    threshold: Hundredths,
    small_number: u64,
) -> anyhow::Result<Vec<WellbeingKpi>> {
    // Forms answered in the period under the filters asked for: the pairs they end count here.
    let in_period = repo::invitations::ids_answered_in(
        db,
        org,
        InstrumentKey::Swemwbs,
        period.first,
        period.last,
        who,
    )
    .await?;
    let attributed: HashSet<Uuid> = in_period.iter().map(|(id, _)| *id).collect();
    let touching =
        repo::records::episodes_touching(db, org, period.first, period.last, who).await?;
    let mut episode_ids: Vec<Uuid> = in_period
        .iter()
        .filter_map(|(_, episode)| *episode)
        .chain(touching.iter().map(|e| e.id))
        .collect();
    episode_ids.sort();
    episode_ids.dedup();
    let forms = repo::invitations::responses_of_episodes(
        db,
        org,
        &episode_ids,
        Some(InstrumentKey::Swemwbs),
    )
    .await?;
    let mut answers = Vec::with_capacity(forms.len());
    for r in &forms {
        if let Some(mut a) = swemwbs_answer(r)? {
            a.attributed = attributed.contains(&a.response_id);
            answers.push(a);
        }
    }
    let episodes: Vec<EpisodeDates> = touching
        .iter()
        .map(|e| EpisodeDates {
            id: e.id,
            started_on: e.started_on,
            ended_on: e.ended_on,
        })
        .collect();
    let holders = Holders::of(db, time_zone, who, &touching).await?;
    Ok(parts
        .iter()
        .map(|part| {
            kpi::wellbeing(
                *part,
                &episodes,
                &answers,
                threshold,
                small_number,
                |episode, day| holders.counts_on(episode, day),
            )
        })
        .collect())
}

/// Whether the filters name a team or specialist, so the holder of an episode matters.
fn by_holder(who: &Attribution) -> bool {
    who.team_id.is_some() || who.specialist_id.is_some()
}

/// Who held each of some episodes, day by day, against the filters a figure was asked for.
struct Holders<'a> {
    who: &'a Attribution,
    time_zone: &'a str,
    /// `None` when the filters name no team or specialist: then every day counts.
    histories: Option<HashMap<Uuid, Vec<Holding>>>,
}

impl<'a> Holders<'a> {
    async fn of(
        db: &impl ConnectionTrait,
        time_zone: &'a str,
        who: &'a Attribution,
        episodes: &[episode::Model],
    ) -> Result<Self, sea_orm::DbErr> {
        let histories = if by_holder(who) {
            Some(repo::holders::histories(db, &episodes.iter().collect::<Vec<_>>()).await?)
        } else {
            None
        };
        Ok(Holders {
            who,
            time_zone,
            histories,
        })
    }

    /// Whether something of `episode` falling due on `day` counts for the filters: the
    /// programme was applied by the query, so only the holder that day is left to check.
    fn counts_on(&self, episode: Uuid, day: NaiveDate) -> bool {
        let Some(histories) = &self.histories else {
            return true;
        };
        let history = histories.get(&episode).map_or(&[][..], Vec::as_slice);
        let holding = holding_on(history, day, |at| {
            crate::time::local_date(self.time_zone, at)
        });
        self.who.counts(holding, self.who.programme)
    }

    /// Whether something of `episode` made at moment `at` counts for the filters.
    fn counts_at(&self, episode: Option<Uuid>, at: DateTime<Utc>) -> bool {
        let Some(histories) = &self.histories else {
            return true;
        };
        let history = episode
            .and_then(|e| histories.get(&e))
            .map_or(&[][..], Vec::as_slice);
        self.who.counts(holding_at(history, at), self.who.programme)
    }
}

/// Due versus answered for the period (and invitations sent versus answered).
fn coverage_episode(e: &episode::Model) -> domain::coverage::CoverageEpisode {
    domain::coverage::CoverageEpisode {
        id: e.id,
        started_on: e.started_on,
        ended_on: e.ended_on,
        job_started_on: e.job_started_on,
        employer_id: e.employer_id,
    }
}

/// Which forms have been answered for these episodes (any date: late answers count).
async fn answered_for(
    db: &impl ConnectionTrait,
    org: Uuid,
    episodes: &[episode::Model],
) -> anyhow::Result<HashSet<(Uuid, domain::coverage::Answered)>> {
    use domain::coverage::Answered;
    let ids: Vec<Uuid> = episodes.iter().map(|e| e.id).collect();
    let mut answered = HashSet::new();
    for (episode, key, timing) in repo::invitations::forms_answered(db, org, &ids).await? {
        let what = match (InstrumentKey::parse(&key), timing.as_deref()) {
            (Ok(InstrumentKey::JobseekerSatisfaction), _) => Answered::JobseekerSatisfaction,
            (Ok(InstrumentKey::EmployerSatisfaction), _) => Answered::EmployerSatisfaction,
            (Ok(InstrumentKey::Swemwbs), Some(t)) => {
                Answered::Swemwbs(parsed("timing", t, Timing::parse)?)
            }
            _ => continue,
        };
        answered.insert((episode, what));
    }
    Ok(answered)
}

/// The forms each of these episodes owes today (in the organisation's time zone), by the
/// coverage rules: what a specialist's caseload shows as due or done.
pub async fn forms(
    db: &impl ConnectionTrait,
    org: Uuid,
    time_zone: &str,
    episodes: &[episode::Model],
) -> anyhow::Result<Vec<domain::coverage::EpisodeForms>> {
    let answered = answered_for(db, org, episodes).await?;
    let today = crate::time::today(time_zone);
    Ok(episodes
        .iter()
        .map(|e| domain::coverage::forms_of(&coverage_episode(e), &answered, today))
        .collect())
}

pub async fn coverage(
    db: &impl ConnectionTrait,
    org: Uuid,
    time_zone: &str,
    period: Period,
    who: &Attribution,
) -> anyhow::Result<domain::coverage::Coverage> {
    let mut parts = coverage_parts(db, org, time_zone, period, &[period], who).await?;
    parts
        .pop()
        .ok_or_else(|| anyhow::anyhow!("coverage of one period gave none"))
}

/// Coverage for each of `parts` (the months of `period`, say) from one fetch of the whole
/// period: each part counts exactly what falls due and is made in it.
pub async fn coverage_parts(
    db: &impl ConnectionTrait,
    org: Uuid,
    time_zone: &str,
    period: Period,
    parts: &[Period],
    who: &Attribution,
) -> anyhow::Result<Vec<domain::coverage::Coverage>> {
    let mut episodes =
        repo::invitations::episodes_due(db, org, period.first, period.last, who).await?;
    // Invitations by the day they were made, in the organisation's time zone.
    let from = (period.first - chrono::Duration::days(1))
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    let until = (period.last + chrono::Duration::days(2))
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    let made = repo::invitations::invitations_made(db, org, from, until, who).await?;
    let answered = answered_for(db, org, &episodes).await?;
    let cover: Vec<domain::coverage::CoverageEpisode> =
        episodes.iter().map(coverage_episode).collect();
    // The holders of the invited episodes too, to attribute each invitation to its maker's day.
    let due: HashSet<Uuid> = episodes.iter().map(|e| e.id).collect();
    let invited: Vec<Uuid> = made
        .iter()
        .filter_map(|i| i.episode_id)
        .filter(|e| !due.contains(e))
        .collect();
    if by_holder(who) {
        episodes.extend(repo::records::episodes_by_ids(db, org, &invited).await?);
    }
    let holders = Holders::of(db, time_zone, who, &episodes).await?;
    let invitations: Vec<(NaiveDate, bool)> = made
        .iter()
        .filter(|i| holders.counts_at(i.episode_id, i.made_at))
        .map(|i| (crate::time::local_date(time_zone, i.made_at), i.answered))
        .collect();
    Ok(parts
        .iter()
        .map(|part| {
            domain::coverage::coverage(*part, &cover, &answered, &invitations, |episode, day| {
                holders.counts_on(episode, day)
            })
        })
        .collect())
}
