//! What a quality report holds, read with the very functions the live routes use (so the report
//! and the live API can never disagree), and the drafts of key messages a preview proposes.

use crate::{
    Result, repo,
    services::reports::{self, outcomes as outcome_reports},
};
use chrono::{Datelike, Days, Months, NaiveDate};
use domain::{
    attribution::Attribution,
    feedback::Action,
    instrument::{Audience, InstrumentKey},
    kpi::{SatisfactionItems, SatisfactionKpi, WellbeingKpi},
    outcomes::{EqualityDimension, OutcomeFigures},
    period::Period,
    privacy::{ReportPreview, ReportSnapshot, SNAPSHOT_SHAPE},
    report::{Headline, ReportAction, ReportGrade, ReportQuote, proposed_messages},
};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

/// The organisation a report is of, and the day its cohorts are read at.
pub struct ReportAsk<'a> {
    pub org: Uuid,
    pub time_zone: &'a str,
    pub period: Period,
    pub as_of: NaiveDate,
}

impl ReportAsk<'_> {
    fn outcomes<'b>(&'b self, all: &'b Attribution) -> outcome_reports::OutcomeAsk<'b> {
        outcome_reports::OutcomeAsk {
            org: self.org,
            time_zone: self.time_zone,
            period: self.period,
            as_of: self.as_of,
            who: all,
        }
    }
}

/// The figures key messages are drafted from.
struct Headlines {
    kpi_c: SatisfactionKpi,
    kpi_d: SatisfactionKpi,
    wellbeing: WellbeingKpi,
    outcomes: OutcomeFigures,
}

async fn headlines(db: &impl ConnectionTrait, ask: &ReportAsk<'_>) -> Result<Headlines> {
    let settings = repo::instruments::settings(db, ask.org).await?;
    let (small, threshold) = (settings.small_number(), settings.change_threshold());
    let all = Attribution::default();
    let (org, period, tz) = (ask.org, ask.period, ask.time_zone);
    Ok(Headlines {
        kpi_c: reports::satisfaction(db, org, Audience::Employer, period, &all, small, true)
            .await?,
        kpi_d: reports::satisfaction(db, org, Audience::Jobseeker, period, &all, small, true)
            .await?,
        wellbeing: reports::wellbeing(db, org, tz, period, &all, threshold, small).await?,
        outcomes: outcome_reports::outcome_figures(db, &ask.outcomes(&all), &settings.outcomes())
            .await?,
    })
}

/// Everything a report of `ask` holds; `key_messages` and `grade` as the manager wrote them.
pub async fn snapshot(
    db: &impl ConnectionTrait,
    ask: &ReportAsk<'_>,
    key_messages: Vec<String>,
    grade: Option<ReportGrade>,
    quotes: Vec<ReportQuote>,
) -> Result<ReportSnapshot> {
    let settings = repo::instruments::settings(db, ask.org).await?;
    let (small, threshold) = (settings.small_number(), settings.change_threshold());
    let outcome_settings = settings.outcomes();
    let all = Attribution::default();
    let h = headlines(db, ask).await?;
    let counted: Vec<Uuid> = h
        .kpi_c
        .response_ids
        .iter()
        .chain(&h.kpi_d.response_ids)
        .copied()
        .chain(
            h.wellbeing
                .pairs
                .iter()
                .flat_map(|p| [p.start_response_id, p.end_response_id]),
        )
        .collect();
    let mut equality = Vec::new();
    for by in EqualityDimension::ALL {
        // Always suppressed: a report leaves the service (§4a), never the working view.
        equality.push(
            outcome_reports::equality_figures(
                db,
                &ask.outcomes(&all),
                &outcome_settings,
                *by,
                small,
                true,
            )
            .await?,
        );
    }
    // As `GET /api/outcomes/caseload?on=<as_of>` reads it.
    let on_the_day = ReportAsk {
        period: Period {
            first: ask.as_of,
            last: ask.as_of,
        },
        ..*ask
    };
    let caseload =
        outcome_reports::caseload(db, &on_the_day.outcomes(&all), &outcome_settings).await?;
    let satisfaction_items = vec![
        sub_items(
            db,
            ask.org,
            InstrumentKey::EmployerSatisfaction,
            &h.kpi_c,
            small,
        )
        .await?,
        sub_items(
            db,
            ask.org,
            InstrumentKey::JobseekerSatisfaction,
            &h.kpi_d,
            small,
        )
        .await?,
    ];
    Ok(ReportSnapshot {
        period: ask.period,
        rule_version: domain::kpi::RULE_VERSION.to_owned(),
        small_number: small,
        change_threshold: threshold,
        answered_versions: super::versions_by_key(
            repo::published_reports::versions_answered(db, ask.org, &counted).await?,
        ),
        instrument_versions: Vec::new(),
        time_zone: ask.time_zone.to_owned(),
        coverage: reports::coverage(db, ask.org, ask.time_zone, ask.period, &all).await?,
        kpi_c: h.kpi_c,
        kpi_d: h.kpi_d,
        wellbeing: h.wellbeing,
        shape: SNAPSHOT_SHAPE,
        as_of: Some(ask.as_of),
        key_messages,
        grade,
        outcomes: Some(h.outcomes),
        caseload: Some(caseload),
        equality,
        satisfaction_items,
        actions: actions_published_in(db, ask).await?,
        quotes,
    })
}

/// A satisfaction survey's sub-items over exactly the responses its KPI counted, read by the
/// newest version's items (versions keep their items' places).
async fn sub_items(
    db: &impl ConnectionTrait,
    org: Uuid,
    key: InstrumentKey,
    kpi: &SatisfactionKpi,
    small_number: u64,
) -> Result<SatisfactionItems> {
    let definition = repo::instruments::latest(db, key.as_str())
        .await?
        .ok_or_else(|| anyhow::anyhow!("instrument {} missing", key.as_str()))?;
    let answers = repo::published_reports::answers_of(db, org, &kpi.response_ids).await?;
    Ok(SatisfactionItems {
        instrument: key.as_str().to_owned(),
        items: domain::kpi::item_means(&definition.items, &answers, small_number),
    })
}

/// The comments chosen for quotation, in the order chosen, each checked: a response of the
/// organisation answered in the period to a satisfaction survey, with a typed comment whose
/// author agreed to quotation. Otherwise `400` naming `quotes` and the response.
pub async fn quotes(
    db: &impl ConnectionTrait,
    org: Uuid,
    period: Period,
    chosen: &[Uuid],
) -> Result<Vec<ReportQuote>> {
    let found = repo::published_reports::comments_to_quote(db, org, chosen).await?;
    let refuse = |id: &Uuid, why: &str| {
        crate::ApiError::invalid("quotes", format!("response {id} cannot be quoted: {why}"))
    };
    let mut out = Vec::with_capacity(chosen.len());
    for id in chosen {
        let Some(r) = found.iter().find(|r| r.id == *id) else {
            return Err(refuse(id, "no such response"));
        };
        let satisfaction = [
            InstrumentKey::EmployerSatisfaction,
            InstrumentKey::JobseekerSatisfaction,
        ]
        .iter()
        .any(|k| k.as_str() == r.instrument_key);
        if !satisfaction {
            return Err(refuse(id, "only satisfaction survey comments are quoted"));
        }
        if !period.contains(r.answered_on) {
            return Err(refuse(id, "it was answered outside the report's period"));
        }
        let Some(text) = &r.comment else {
            return Err(refuse(id, "it has no typed comment"));
        };
        if !r.may_quote {
            return Err(refuse(id, "its author did not agree to be quoted"));
        }
        out.push(ReportQuote {
            response_id: Some(*id),
            instrument: r.instrument_key.clone(),
            text: text.clone(),
        });
    }
    Ok(out)
}

/// The "you said, we did" actions published on a day of the period (organisation's time zone),
/// first published first.
async fn actions_published_in(
    db: &impl ConnectionTrait,
    ask: &ReportAsk<'_>,
) -> Result<Vec<ReportAction>> {
    let mut out = Vec::new();
    for m in repo::actions::published(db, ask.org)
        .await?
        .into_iter()
        .rev()
    {
        let Some(at) = m.published_at else { continue };
        let published_on = crate::time::local_date(ask.time_zone, at);
        if published_on < ask.period.first || published_on > ask.period.last {
            continue;
        }
        let a = Action::try_from(m)?;
        out.push(ReportAction {
            id: a.id,
            audience: a.audience,
            you_said: a.you_said,
            we_did: a.we_did,
            done_on: a.done_on,
            published_on,
        });
    }
    Ok(out)
}

/// The period of the same length ending the day before `p` starts: as many whole months
/// before when `p` is whole months (a quarter's is the quarter before), else as many days.
pub fn previous_period(p: Period) -> Option<Period> {
    let last = p.first.checked_sub_days(Days::new(1))?;
    let next_day = p.last.checked_add_days(Days::new(1))?;
    if p.first.day() == 1 && next_day.day() == 1 {
        let months = (next_day.year() - p.first.year()) * 12 + next_day.month() as i32
            - p.first.month() as i32;
        let first = p
            .first
            .checked_sub_months(Months::new(u32::try_from(months).ok()?))?;
        return Some(Period { first, last });
    }
    let days = u64::try_from((p.last - p.first).num_days()).ok()? + 1;
    let first = p.first.checked_sub_days(Days::new(days))?;
    Some(Period { first, last })
}

fn as_headlines(h: &Headlines) -> Vec<Headline> {
    domain::report::headlines(&h.kpi_c, &h.kpi_d, &h.wellbeing, Some(&h.outcomes))
}

/// The report of `ask` as it would be published now (nothing stored), with drafts of key
/// messages from what moved since the period of the same length before. That period's cohorts
/// are read as many days after its end as this one's are.
pub async fn preview(db: &impl ConnectionTrait, ask: &ReportAsk<'_>) -> Result<ReportPreview> {
    let previous = previous_period(ask.period)
        .ok_or_else(|| crate::ApiError::invalid("first", "too early a date to compare with"))?;
    // The earlier period's cohorts are read as long after its start as this one's are.
    let shift =
        Days::new(u64::try_from((ask.period.first - previous.first).num_days()).unwrap_or(0));
    let before_as_of = ask.as_of.checked_sub_days(shift).unwrap_or(previous.last);
    let before = headlines(
        db,
        &ReportAsk {
            period: previous,
            as_of: before_as_of,
            ..*ask
        },
    )
    .await?;
    let snapshot = snapshot(db, ask, Vec::new(), None, Vec::new()).await?;
    let now = Headlines {
        kpi_c: snapshot.kpi_c.clone(),
        kpi_d: snapshot.kpi_d.clone(),
        wellbeing: snapshot.wellbeing.clone(),
        outcomes: snapshot
            .outcomes
            .clone()
            .ok_or_else(|| anyhow::anyhow!("a new snapshot has outcomes"))?,
    };
    Ok(ReportPreview {
        proposed_messages: proposed_messages(&as_headlines(&now), &as_headlines(&before)),
        previous_period: previous,
        snapshot,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_previous_period_has_the_same_length_and_ends_the_day_before() {
        let q2 = Period {
            first: day("2026-04-01"),
            last: day("2026-06-30"),
        };
        assert_eq!(
            previous_period(q2),
            Some(Period {
                first: day("2026-01-01"),
                last: day("2026-03-31"),
            })
        );
        let days = Period {
            first: day("2026-03-10"),
            last: day("2026-03-19"),
        };
        assert_eq!(
            previous_period(days),
            Some(Period {
                first: day("2026-02-28"),
                last: day("2026-03-09"),
            })
        );
        let one_day = Period {
            first: day("2026-03-01"),
            last: day("2026-03-01"),
        };
        assert_eq!(
            previous_period(one_day),
            Some(Period {
                first: day("2026-02-28"),
                last: day("2026-02-28"),
            })
        );
    }
}
