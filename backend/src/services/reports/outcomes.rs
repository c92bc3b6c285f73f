//! The outcome figures (DESIGN §4a) computed from the database: read one organisation's
//! episodes, jobs, referrals and equality answers, then apply the exact rules in
//! `domain::outcomes`. Who a figure counts for is the episode's holder on the day that puts
//! it in the figure (`Holders::counts_on`), as for every other figure.

use super::Holders;
use crate::{
    entities::{episode, job, referral},
    repo,
};
use chrono::NaiveDate;
use domain::{
    Hundredths,
    attribution::{Attribution, Holding},
    instrument::Audience,
    journey::{NotAcceptedReason, OutcomeType, ReferralSource, Sector},
    outcomes::{
        self, Caseload, CaseloadFigures, EpisodeFacts, EqualityDimension, EqualityFigures,
        JobFacts, OutcomeFigures, OutcomeSettings, ReferralFacts, benchmarks,
    },
    period::Period,
    records::{Equality, Programme},
};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;
use uuid::Uuid;

/// What one question about outcomes asks: the period, the as-of date, the filters.
pub struct OutcomeAsk<'a> {
    pub org: Uuid,
    pub time_zone: &'a str,
    pub period: Period,
    pub as_of: NaiveDate,
    pub who: &'a Attribution,
}

impl OutcomeAsk<'_> {
    /// The programme whose benchmarks apply: the one asked, else SEQF.
    fn programme(&self) -> Programme {
        self.who.programme.unwrap_or(Programme::Seqf)
    }
}

/// The facts the figures need, read once.
struct Facts {
    episodes: Vec<EpisodeFacts>,
    referrals: Vec<ReferralFacts>,
    /// Each referral's holder (referrals do not move).
    referral_holders: HashMap<Uuid, Holding>,
    models: Vec<episode::Model>,
}

fn parsed<T>(
    what: &str,
    v: &str,
    parse: impl Fn(&str) -> Result<T, domain::ParseError>,
) -> anyhow::Result<T> {
    parse(v).map_err(|e| anyhow::anyhow!("stored {what} is invalid: {e}"))
}

/// Equality answers as stored; one that no longer parses counts as not recorded.
fn equality(stored: Option<&String>) -> Equality {
    stored
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}

fn job_facts(j: &job::Model) -> anyhow::Result<JobFacts> {
    Ok(JobFacts {
        started_on: j.started_on,
        ended_on: j.ended_on,
        paid: j.paid,
        outcome: parsed("outcome", &j.outcome, OutcomeType::parse)?,
        sector: j
            .sector
            .as_deref()
            .map(|s| parsed("sector", s, Sector::parse))
            .transpose()?,
        hours_per_week: j.hours_per_week.map(Hundredths),
        hourly_pay: j.hourly_pay.map(Hundredths),
        job_analysis: j.job_analysis,
    })
}

fn referral_facts(
    r: &referral::Model,
    started: bool,
    equality: Equality,
) -> anyhow::Result<ReferralFacts> {
    Ok(ReferralFacts {
        referral_id: r.id,
        programme: parsed("programme", &r.programme, Programme::parse)?,
        referred_on: r.referred_on,
        source: parsed("source", &r.source, ReferralSource::parse)?,
        accepted: r.accepted,
        not_accepted_reason: r
            .not_accepted_reason
            .as_deref()
            .map(|s| parsed("not_accepted_reason", s, NotAcceptedReason::parse))
            .transpose()?,
        started,
        equality,
    })
}

async fn facts(db: &impl ConnectionTrait, ask: &OutcomeAsk<'_>) -> anyhow::Result<Facts> {
    let by = ask.period.last.max(ask.as_of);
    let models = repo::journey::episodes_started_by(db, ask.org, by, ask.who).await?;
    let ids: Vec<Uuid> = models.iter().map(|e| e.id).collect();
    let mut jobs: HashMap<Uuid, Vec<JobFacts>> = HashMap::new();
    for j in repo::journey::jobs_of_episodes(db, &ids).await? {
        jobs.entry(j.episode_id).or_default().push(job_facts(&j)?);
    }
    let referrals =
        repo::journey::referrals_between(db, ask.org, ask.period.first, ask.period.last).await?;
    let mut people: Vec<Uuid> = models.iter().map(|e| e.participant_id).collect();
    people.extend(referrals.iter().map(|r| r.participant_id));
    people.sort_unstable();
    people.dedup();
    let answers = repo::journey::equality_of(db, &people).await?;
    // A referral's episode may have started after `by`: it still started.
    let referral_ids: Vec<Uuid> = referrals.iter().map(|r| r.id).collect();
    let started = repo::journey::episodes_from_referrals(db, &referral_ids).await?;
    let mut episodes = Vec::with_capacity(models.len());
    for e in &models {
        episodes.push(EpisodeFacts {
            episode_id: e.id,
            programme: parsed("programme", &e.programme, Programme::parse)?,
            started_on: e.started_on,
            profile_started_on: e.profile_started_on,
            ended_on: e.ended_on,
            hours_before: e.hours_before.map(Hundredths),
            equality: equality(answers.get(&e.participant_id)),
            jobs: jobs.remove(&e.id).unwrap_or_default(),
        });
    }
    let mut referral_facts_out = Vec::with_capacity(referrals.len());
    let mut referral_holders = HashMap::new();
    for r in &referrals {
        referral_facts_out.push(referral_facts(
            r,
            started.contains_key(&r.id),
            equality(answers.get(&r.participant_id)),
        )?);
        referral_holders.insert(
            r.id,
            Holding {
                specialist_id: r.specialist_id,
                team_id: r.team_id,
                since: r.created_at,
            },
        );
    }
    Ok(Facts {
        episodes,
        referrals: referral_facts_out,
        referral_holders,
        models,
    })
}

/// Whether a referral counts for the filters: its programme and the staff member holding it.
fn referral_counts(who: &Attribution, holders: &HashMap<Uuid, Holding>, r: &ReferralFacts) -> bool {
    who.counts(holders.get(&r.referral_id), Some(r.programme))
}

/// Every outcome figure of the period for the filters asked.
pub async fn outcome_figures(
    db: &impl ConnectionTrait,
    ask: &OutcomeAsk<'_>,
    settings: &OutcomeSettings,
) -> anyhow::Result<OutcomeFigures> {
    let f = facts(db, ask).await?;
    let holders = Holders::of(db, ask.time_zone, ask.who, &f.models).await?;
    Ok(outcomes::outcome_figures(
        &f.episodes,
        &f.referrals,
        ask.period,
        ask.as_of,
        ask.programme(),
        settings,
        |e, day| holders.counts_on(e.episode_id, day),
        |r| referral_counts(ask.who, &f.referral_holders, r),
    ))
}

/// One episode's part in the outcome figures: the figures of that episode alone, by the same
/// rules and the same filter, so an audit workbook can show which episodes each KPI counted
/// and the parts add up to the whole (KPI A's and E's numerators and n, KPI B's weeks).
pub struct EpisodePart {
    pub episode: episode::Model,
    pub facts: EpisodeFacts,
    pub alone: OutcomeFigures,
    /// Counted by the filter asked on the last day of the period it was supported.
    pub in_filter: bool,
}

/// The outcome figures of the period, and every episode's part in them (episodes started by
/// the period's end or the as-of date, whichever is later; oldest service start first).
pub async fn outcome_parts(
    db: &impl ConnectionTrait,
    ask: &OutcomeAsk<'_>,
    settings: &OutcomeSettings,
) -> anyhow::Result<(OutcomeFigures, Vec<EpisodePart>)> {
    let f = facts(db, ask).await?;
    let holders = Holders::of(db, ask.time_zone, ask.who, &f.models).await?;
    let counts = |e: &EpisodeFacts, day| holders.counts_on(e.episode_id, day);
    let counts_referral = |r: &ReferralFacts| referral_counts(ask.who, &f.referral_holders, r);
    let figures = |episodes: &[EpisodeFacts], referrals: &[ReferralFacts]| {
        outcomes::outcome_figures(
            episodes,
            referrals,
            ask.period,
            ask.as_of,
            ask.programme(),
            settings,
            counts,
            counts_referral,
        )
    };
    let whole = figures(&f.episodes, &f.referrals);
    let parts = f
        .models
        .iter()
        .zip(&f.episodes)
        .map(|(episode, facts)| EpisodePart {
            episode: episode.clone(),
            facts: facts.clone(),
            alone: figures(std::slice::from_ref(facts), &[]),
            in_filter: counts(
                facts,
                facts
                    .ended_on
                    .map_or(ask.period.last, |end| end.min(ask.period.last)),
            ),
        })
        .collect();
    Ok((whole, parts))
}

/// Every outcome figure and KPI D split by one equality dimension; suppressed unless this is a
/// manager's working view.
pub async fn equality_figures(
    db: &impl ConnectionTrait,
    ask: &OutcomeAsk<'_>,
    settings: &OutcomeSettings,
    by: EqualityDimension,
    threshold: u64,
    suppress: bool,
) -> anyhow::Result<EqualityFigures> {
    let f = facts(db, ask).await?;
    let holders = Holders::of(db, ask.time_zone, ask.who, &f.models).await?;
    let kpi_d = super::satisfaction(
        db,
        ask.org,
        Audience::Jobseeker,
        ask.period,
        ask.who,
        threshold,
        true,
    )
    .await?;
    let rows = repo::journey::responses_by_ids(db, &kpi_d.response_ids).await?;
    let people: Vec<Uuid> = rows.iter().map(|r| r.participant_id).collect();
    let answers = repo::journey::equality_of(db, &people).await?;
    let d: Vec<(Equality, NaiveDate, u8)> = rows
        .iter()
        .filter_map(|r| {
            let rating = u8::try_from(r.overall?).ok()?;
            Some((
                equality(answers.get(&r.participant_id)),
                r.answered_on,
                rating,
            ))
        })
        .collect();
    Ok(outcomes::equality_figures(
        &f.episodes,
        &f.referrals,
        &d,
        ask.period,
        ask.as_of,
        settings,
        by,
        threshold,
        suppress,
        |e, day| holders.counts_on(e.episode_id, day),
        |r| referral_counts(ask.who, &f.referral_holders, r),
    ))
}

/// Active caseload per specialist on `on` (the holder that day), beside the benchmark and
/// the organisation's target. Every active specialist of the filter is listed, zeros too.
pub async fn caseload(
    db: &impl ConnectionTrait,
    ask: &OutcomeAsk<'_>,
    settings: &OutcomeSettings,
) -> anyhow::Result<CaseloadFigures> {
    let on = ask.as_of;
    let f = facts(db, ask).await?;
    let histories = repo::holders::histories(db, &f.models.iter().collect::<Vec<_>>()).await?;
    let mut active: HashMap<Uuid, u64> = HashMap::new();
    for e in f.episodes.iter().filter(|e| outcomes::active_on(e, on)) {
        let history = histories.get(&e.episode_id).map_or(&[][..], Vec::as_slice);
        let holding = domain::attribution::holding_on(history, on, |at| {
            crate::time::local_date(ask.time_zone, at)
        });
        if ask.who.counts(holding, Some(e.programme))
            && let Some(h) = holding
        {
            *active.entry(h.specialist_id).or_default() += 1;
        }
    }
    let bench = benchmarks(ask.programme()).caseload;
    let target = settings
        .targets
        .caseload
        .map(|value| outcomes::Benchmark::AtMost { value });
    let mut specialists = Vec::new();
    for s in repo::staff::list(db, ask.org).await? {
        let in_filter = s.active
            && s.role == domain::Role::Specialist.as_str()
            && ask.who.specialist_id.is_none_or(|id| id == s.id)
            && ask.who.team_id.is_none_or(|t| s.team_id == Some(t));
        let n = active.get(&s.id).copied().unwrap_or(0);
        if !in_filter && n == 0 {
            continue;
        }
        let value = Hundredths::from_units(i64::try_from(n).unwrap_or(i64::MAX / 100));
        specialists.push(Caseload {
            specialist_id: s.id,
            name: s.name,
            active: n,
            judged: outcomes::Judged {
                benchmark: Some(bench),
                benchmark_rag: Some(outcomes::rag(value, bench)),
                target,
                target_rag: target.map(|t| outcomes::rag(value, t)),
            },
        });
    }
    specialists.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(CaseloadFigures { on, specialists })
}
