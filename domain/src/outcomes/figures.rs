//! The outcome figures of a period (DESIGN.md §4a), from episode and referral facts.

use super::*;

/// Whether an episode is on the active caseload on `on`: started by then and not ended before
/// (an episode ending on `on` is still active that day).
pub fn active_on(e: &EpisodeFacts, on: NaiveDate) -> bool {
    todo!("domain helper {e:?} {on}")
}

/// Every outcome figure of `period` as of `as_of`. `counts(e, day)` says whether an episode
/// counts for the filter asked (its holder on `day`: the profile start for KPI A, the first
/// paid job start for B and E, the service start for "into paid work", a job's start for the
/// job figures); `counts_referral` the same for a referral (on its referral date).
#[allow(clippy::too_many_arguments)]
pub fn outcome_figures(
    episodes: &[EpisodeFacts],
    referrals: &[ReferralFacts],
    period: Period,
    as_of: NaiveDate,
    programme: Programme,
    settings: &OutcomeSettings,
    counts: impl Fn(&EpisodeFacts, NaiveDate) -> bool,
    counts_referral: impl Fn(&ReferralFacts) -> bool,
) -> OutcomeFigures {
    let _ = (
        episodes,
        referrals,
        period,
        as_of,
        programme,
        settings,
        counts,
        counts_referral,
    );
    todo!("domain helper")
}

/// Every figure of `period` split by `by`: KPI A, B, E, access ("access") and KPI D ("kpi_d",
/// from the counted jobseeker answers given as (the person's equality answers, the day
/// answered, the overall rating 1–5)). Age bands are taken on the day that puts the episode in
/// the figure (the profile start for A, the first paid job start for B and E, the referral for
/// access, the answer for D); pay against the minimum wage splits by the first paid job in the
/// period (B, E; others `not_known`). Groups are every value of the dimension plus
/// `prefer_not_to_say` and `not_recorded`, in that order, zeros included. When `suppress`,
/// `suppressed` hides groups per figure by that figure's n.
#[allow(clippy::too_many_arguments)]
pub fn equality_figures(
    episodes: &[EpisodeFacts],
    referrals: &[ReferralFacts],
    kpi_d_answers: &[(Equality, NaiveDate, u8)],
    period: Period,
    as_of: NaiveDate,
    settings: &OutcomeSettings,
    by: EqualityDimension,
    threshold: u64,
    suppress: bool,
    counts: impl Fn(&EpisodeFacts, NaiveDate) -> bool,
    counts_referral: impl Fn(&ReferralFacts) -> bool,
) -> EqualityFigures {
    let _ = (
        episodes,
        referrals,
        kpi_d_answers,
        period,
        as_of,
        settings,
        by,
        threshold,
        suppress,
        counts,
        counts_referral,
    );
    todo!("domain helper")
}
