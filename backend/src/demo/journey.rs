//! The demo's journeys (DESIGN.md §4a): a referral behind every episode and referrals that
//! never started, hours before support, jobs (paid mostly; some end, some are followed by
//! another within 28 days and some not), why support ended, the jobseekers' equality answers,
//! and the contract values and targets the cost and RAG figures are read from. Drawn from a
//! stream of their own, so the draws behind the older figures (KPI C, KPI D, wellbeing,
//! coverage) are the same as before the journey existed.

use crate::{
    entities::{job, participant, referral},
    services::capture::body_hash,
};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use domain::{
    Hundredths,
    journey::{JobEndReason, NotAcceptedReason, OutcomeType, ReferralSource, Sector},
    outcomes::{ContractValue, OutcomeSettings, Targets, WageRate, minimum_wage},
    records::{Area, Equality, Ethnicity, Gender, LivingSituation, PrimaryNeed},
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

/// The journeys' own seed (the older draws use 2026).
const SEED: u64 = 2027;

/// Draws the journeys of the demo's episodes.
pub(super) struct Journeys {
    rng: StdRng,
    org: Uuid,
    author: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
    wages: Vec<WageRate>,
}

/// Who was referred, to whom, when.
#[derive(Clone, Copy)]
pub(super) struct Referred {
    pub participant: Uuid,
    pub specialist: Uuid,
    pub team: Option<Uuid>,
    pub programme: &'static str,
    pub on: NaiveDate,
}

/// An episode as drawn already, which its journey is drawn around.
pub(super) struct EpisodeDraft {
    pub id: Uuid,
    pub referred: Referred,
    pub started: NaiveDate,
    pub profile: Option<NaiveDate>,
    /// The placement's start and employer, when it has one.
    pub placement: Option<(NaiveDate, Uuid)>,
    pub ended: Option<NaiveDate>,
    pub born_on: Option<NaiveDate>,
}

/// What the journey adds to an episode.
pub(super) struct Plan {
    pub referral: referral::ActiveModel,
    pub referral_id: Uuid,
    pub hours_before: Option<i64>,
    pub end_reason: Option<&'static str>,
    pub jobs: Vec<job::ActiveModel>,
}

/// A job as drawn.
struct JobDraft {
    start: NaiveDate,
    end: Option<(NaiveDate, JobEndReason)>,
    outcome: OutcomeType,
    paid: bool,
    employer: Option<Uuid>,
    sector: Sector,
    hours: i64,
    pay: Option<i64>,
    analysis: bool,
}

impl Journeys {
    pub fn new(org: Uuid, author: Uuid, now: DateTime<Utc>) -> Self {
        Journeys {
            rng: StdRng::seed_from_u64(SEED),
            org,
            author,
            today: now.date_naive(),
            now,
            wages: domain::outcomes::uk_minimum_wage_table(),
        }
    }

    fn pick<T: Copy>(&mut self, weighted: &[(T, u32)]) -> T {
        let total: u32 = weighted.iter().map(|w| w.1).sum();
        let mut roll = self.rng.gen_range(0..total.max(1));
        for (v, w) in weighted {
            if roll < *w {
                return *v;
            }
            roll -= w;
        }
        weighted[0].0
    }

    fn chance(&mut self, pct: u32) -> bool {
        self.rng.gen_range(0..100) < pct
    }

    fn days(&mut self, range: std::ops::RangeInclusive<i64>) -> Duration {
        Duration::days(self.rng.gen_range(range))
    }

    /// A jobseeker's equality answers (their age from when support started), with "prefer
    /// not to say" and "not recorded" among them.
    pub fn equality(&mut self, started: NaiveDate) -> Equality {
        let age: u32 = match self.pick(&[(0, 15), (1, 25), (2, 25), (3, 20), (4, 15)]) {
            0 => self.rng.gen_range(17..=20),
            1 => self.rng.gen_range(21..=24),
            2 => self.rng.gen_range(25..=34),
            3 => self.rng.gen_range(35..=49),
            _ => self.rng.gen_range(50..=63),
        };
        let born = started
            .checked_sub_months(Months::new(12 * age))
            .map(|d| d - self.days(0..=364));
        Equality {
            born_on: born.filter(|_| self.chance(88)),
            gender: self.answer(&[
                (Gender::Woman, 42),
                (Gender::Man, 46),
                (Gender::NonBinary, 3),
                (Gender::Other, 1),
                (Gender::PreferNotToSay, 4),
            ]),
            ethnicity: self.answer(&[
                (Ethnicity::White, 72),
                (Ethnicity::Asian, 10),
                (Ethnicity::Black, 7),
                (Ethnicity::Mixed, 5),
                (Ethnicity::Other, 2),
                (Ethnicity::PreferNotToSay, 4),
            ]),
            disability: self.answer(&[
                (PrimaryNeed::LearningDisability, 30),
                (PrimaryNeed::Autism, 22),
                (PrimaryNeed::MentalHealth, 22),
                (PrimaryNeed::Physical, 6),
                (PrimaryNeed::Sensory, 4),
                (PrimaryNeed::LongTermCondition, 7),
                (PrimaryNeed::Other, 3),
                (PrimaryNeed::None, 2),
                (PrimaryNeed::PreferNotToSay, 4),
            ]),
            living_situation: self.answer(&[
                (LivingSituation::WithFamily, 46),
                (LivingSituation::Independently, 24),
                (LivingSituation::SupportedLiving, 18),
                (LivingSituation::ResidentialCare, 5),
                (LivingSituation::Other, 3),
                (LivingSituation::PreferNotToSay, 4),
            ]),
            area: self.answer(&[
                (Area::Urban, 70),
                (Area::Rural, 25),
                (Area::PreferNotToSay, 5),
            ]),
        }
    }

    /// An answer, or (one time in twenty) none recorded.
    fn answer<T: Copy>(&mut self, weighted: &[(T, u32)]) -> Option<T> {
        let v = self.pick(weighted);
        (!self.chance(5)).then_some(v)
    }

    /// An episode's journey: its referral, hours before, jobs and why support ended.
    pub fn plan(&mut self, d: &EpisodeDraft) -> Plan {
        let (referral_id, referral) = self.referral_of(d);
        let hours_before = match self.pick(&[(0, 62), (1, 23), (2, 15)]) {
            0 => Some(0),
            1 => Some(self.rng.gen_range(4..=20) * 100),
            _ => None,
        };
        let jobs = self.jobs(d);
        let end_reason = self.end_reason(d, &jobs);
        Plan {
            referral,
            referral_id,
            hours_before,
            end_reason,
            jobs: jobs.into_iter().map(|j| self.job_record(d, j)).collect(),
        }
    }

    /// The accepted referral an episode started from, decided within a week of arriving and
    /// by the service start.
    fn referral_of(&mut self, d: &EpisodeDraft) -> (Uuid, referral::ActiveModel) {
        let wait = (d.started - d.referred.on).num_days().clamp(0, 7);
        let decided = d.referred.on + self.days(0..=wait);
        let id = Uuid::new_v4();
        let source = self.source();
        let r = self.referral(id, d.referred, source, (Some(true), Some(decided), None));
        (id, r)
    }

    fn source(&mut self) -> ReferralSource {
        self.pick(&[
            (ReferralSource::SelfReferral, 15),
            (ReferralSource::JobCentre, 30),
            (ReferralSource::Health, 20),
            (ReferralSource::SocialCare, 15),
            (ReferralSource::Education, 10),
            (ReferralSource::Other, 10),
        ])
    }

    fn referral(
        &self,
        id: Uuid,
        d: Referred,
        source: ReferralSource,
        (accepted, decided_on, reason): (
            Option<bool>,
            Option<NaiveDate>,
            Option<NotAcceptedReason>,
        ),
    ) -> referral::ActiveModel {
        referral::ActiveModel {
            id: Set(id),
            organisation_id: Set(self.org),
            participant_id: Set(d.participant),
            specialist_id: Set(d.specialist),
            team_id: Set(d.team),
            programme: Set(d.programme.to_owned()),
            referred_on: Set(d.on),
            source: Set(source.as_str().to_owned()),
            accepted: Set(accepted),
            decided_on: Set(decided_on),
            not_accepted_reason: Set(reason.map(|r| r.as_str().to_owned())),
            created_by: Set(self.author),
            body_hash: Set(body_hash(&id)),
            created_at: Set(self.now),
            updated_at: Set(self.now),
        }
    }
}

/// A job's sector and a title that fits it.
const SECTORS: &[(Sector, &str, u32)] = &[
    (Sector::G, "Retail assistant", 22),
    (Sector::I, "Kitchen porter", 18),
    (Sector::Q, "Care assistant", 12),
    (Sector::N, "Cleaner", 10),
    (Sector::H, "Warehouse operative", 9),
    (Sector::C, "Production operative", 8),
    (Sector::P, "Teaching assistant", 5),
    (Sector::R, "Leisure centre assistant", 5),
    (Sector::S, "Hairdressing assistant", 4),
    (Sector::O, "Council office assistant", 4),
    (Sector::A, "Garden centre worker", 3),
];

impl Journeys {
    /// An episode's jobs: the placement (after an unpaid work trial now and then), and after a
    /// job ends, perhaps another, within 28 days (one spell of paid work) or later.
    fn jobs(&mut self, d: &EpisodeDraft) -> Vec<JobDraft> {
        let Some((start, employer)) = d.placement else {
            return Vec::new();
        };
        let mut jobs = Vec::new();
        if self.chance(8) {
            let end = start + self.days(14..=42);
            jobs.push(JobDraft {
                paid: false,
                pay: None,
                end: Some((end, JobEndReason::ContractEnded)),
                ..self.job(d, start, Some(employer))
            });
            let next = end + self.days(1..=21);
            if next < self.today && d.ended.is_none_or(|e| next <= e) && self.chance(70) {
                jobs.push(self.job(d, next, Some(employer)));
            }
        } else {
            jobs.push(self.job(d, start, Some(employer)));
        }
        while jobs.len() < 4 {
            let Some((end, _)) = jobs.last().and_then(|j| j.end) else {
                break;
            };
            let gap = if self.chance(55) {
                self.days(3..=28)
            } else {
                self.days(35..=120)
            };
            let next = end + gap;
            if next >= self.today || d.ended.is_some_and(|e| next > e) || !self.chance(60) {
                break;
            }
            jobs.push(self.job(d, next, None));
        }
        jobs
    }

    /// A paid job starting on `start`: its kind, sector, hours, pay against the minimum wage
    /// (mostly above it, some at it), a job analysis mostly, and perhaps its end.
    fn job(&mut self, d: &EpisodeDraft, start: NaiveDate, employer: Option<Uuid>) -> JobDraft {
        let outcome = self.pick(&[
            (OutcomeType::NewJob, 64),
            (OutcomeType::RetainedJob, 14),
            (OutcomeType::SelfEmployment, 8),
            (OutcomeType::Apprenticeship, 14),
        ]);
        let weights: Vec<(usize, u32)> =
            SECTORS.iter().enumerate().map(|(i, s)| (i, s.2)).collect();
        let sector = SECTORS[self.pick(&weights)].0;
        let hours = match outcome {
            OutcomeType::Apprenticeship => self.rng.gen_range(60..=75) * 50,
            _ => self.rng.gen_range(16..=75) * 50,
        };
        let pay = self.pay(d.born_on, start, outcome);
        let end = self.job_end(start);
        JobDraft {
            start,
            end,
            outcome,
            paid: true,
            employer: employer.filter(|_| outcome != OutcomeType::SelfEmployment),
            sector,
            hours,
            pay,
            analysis: outcome != OutcomeType::SelfEmployment && self.chance(82),
        }
    }

    /// Pence an hour: the minimum for the person's age on the start day (an adult's when their
    /// date of birth is not recorded), or above it; self-employment's often not recorded.
    fn pay(
        &mut self,
        born: Option<NaiveDate>,
        start: NaiveDate,
        outcome: OutcomeType,
    ) -> Option<i64> {
        if outcome == OutcomeType::SelfEmployment && self.chance(40) {
            return None;
        }
        let adult = start.checked_sub_months(Months::new(12 * 30));
        let apprentice = outcome == OutcomeType::Apprenticeship;
        let minimum = born
            .or(adult)
            .and_then(|b| minimum_wage(&self.wages, b, start, apprentice))?;
        if self.chance(12) {
            return Some(minimum.0);
        }
        Some(minimum.0 + self.rng.gen_range(1..=70) * 5)
    }

    /// A job's end, half the time, if it falls before today.
    fn job_end(&mut self, start: NaiveDate) -> Option<(NaiveDate, JobEndReason)> {
        if !self.chance(50) {
            return None;
        }
        let end = start + self.days(20..=240);
        let reason = self.pick(&[
            (JobEndReason::Resigned, 30),
            (JobEndReason::ContractEnded, 25),
            (JobEndReason::Dismissed, 15),
            (JobEndReason::Redundancy, 10),
            (JobEndReason::Health, 12),
            (JobEndReason::Other, 8),
        ]);
        (end < self.today).then_some((end, reason))
    }

    /// Why support ended: mostly "sustained in work" for someone in paid work that day, one of
    /// the other reasons otherwise, and now and then not recorded.
    fn end_reason(&mut self, d: &EpisodeDraft, jobs: &[JobDraft]) -> Option<&'static str> {
        let ended = d.ended?;
        let in_work = jobs
            .iter()
            .any(|j| j.paid && j.start <= ended && j.end.is_none_or(|(e, _)| e >= ended));
        if self.chance(8) {
            return None;
        }
        Some(match in_work {
            true => self.pick(&[("sustained_in_work", 88), ("transferred", 6), ("other", 6)]),
            false => self.pick(&[
                ("withdrew", 35),
                ("lost_contact", 25),
                ("moved_away", 15),
                ("transferred", 10),
                ("other", 15),
            ]),
        })
    }

    fn job_record(&self, d: &EpisodeDraft, j: JobDraft) -> job::ActiveModel {
        let id = Uuid::new_v4();
        let title = SECTORS
            .iter()
            .find(|s| s.0 == j.sector)
            .map(|s| match j.outcome {
                OutcomeType::SelfEmployment => format!("Self-employed: {}", s.1.to_lowercase()),
                OutcomeType::Apprenticeship => format!("Apprentice {}", s.1.to_lowercase()),
                _ => s.1.to_owned(),
            });
        job::ActiveModel {
            id: Set(id),
            organisation_id: Set(self.org),
            episode_id: Set(d.id),
            started_on: Set(j.start),
            outcome: Set(j.outcome.as_str().to_owned()),
            paid: Set(j.paid),
            employer_id: Set(j.employer),
            title: Set(title),
            sector: Set(Some(j.sector.as_str().to_owned())),
            hours_per_week: Set(Some(j.hours)),
            hourly_pay: Set(j.pay),
            job_analysis: Set(j.analysis),
            ended_on: Set(j.end.map(|e| e.0)),
            end_reason: Set(j.end.map(|e| e.1.as_str().to_owned())),
            created_by: Set(self.author),
            body_hash: Set(body_hash(&id)),
            created_at: Set(self.now),
            updated_at: Set(self.now),
        }
    }
}

/// The staff member and team each referral that never started is held by.
pub(super) type Holder = (Uuid, Option<Uuid>);

impl Journeys {
    /// Referrals that never started, a few a month from `first` for `months` months: most
    /// not accepted (with a reason), the latest few not decided yet, each for a new jobseeker.
    pub async fn never_started(
        &mut self,
        db: &impl ConnectionTrait,
        holders: &[Holder],
        first: NaiveDate,
        months: i64,
    ) -> anyhow::Result<()> {
        let mut n = 0;
        for month in 0..months {
            for _ in 0..self.pick(&[(1, 35), (2, 45), (3, 20)]) {
                let referred = first + Duration::days(30 * month) + self.days(0..=29);
                if referred >= self.today {
                    continue;
                }
                n += 1;
                let holder = holders[self.rng.gen_range(0..holders.len())];
                self.one_never_started(db, n, holder, referred).await?;
            }
        }
        Ok(())
    }

    async fn one_never_started(
        &mut self,
        db: &impl ConnectionTrait,
        n: usize,
        (specialist, team): Holder,
        referred_on: NaiveDate,
    ) -> anyhow::Result<()> {
        let equality = self.equality(referred_on);
        let person = self
            .person(format!("REF-{n:03}"), &equality)?
            .insert(db)
            .await?;
        let d = Referred {
            participant: person.id,
            specialist,
            team,
            programme: if self.chance(80) { "seqf" } else { "ips" },
            on: referred_on,
        };
        let source = self.source();
        let decided = referred_on + self.days(2..=20);
        let decision = if decided >= self.today {
            (None, None, None)
        } else {
            let reason = self.pick(&[
                (NotAcceptedReason::Ineligible, 30),
                (NotAcceptedReason::Declined, 30),
                (NotAcceptedReason::CouldNotContact, 30),
                (NotAcceptedReason::Other, 10),
            ]);
            (Some(false), Some(decided), Some(reason))
        };
        self.referral(Uuid::new_v4(), d, source, decision)
            .insert(db)
            .await?;
        Ok(())
    }

    /// A jobseeker known only by reference, with their equality answers.
    fn person(
        &self,
        reference: String,
        equality: &Equality,
    ) -> anyhow::Result<participant::ActiveModel> {
        let id = Uuid::new_v4();
        Ok(participant::ActiveModel {
            id: Set(id),
            organisation_id: Set(self.org),
            kind: Set("jobseeker".to_owned()),
            body_hash: Set(body_hash(&(id, &reference))),
            reference: Set(reference),
            name: Set(None),
            email: Set(None),
            phone: Set(None),
            language: Set("en".to_owned()),
            accessibility: Set("{}".into()),
            equality: Set(serde_json::to_string(equality)?),
            withdrawn_at: Set(None),
            erased_at: Set(None),
            created_by: Set(self.author),
            created_at: Set(self.now),
            updated_at: Set(self.now),
        })
    }
}

/// The demo's outcome settings: the service's contract value for the last two UK financial
/// years (April to March; the current one and the one before) and its own targets, beside the
/// default scoring bands and minimum-wage table.
pub(super) fn outcome_settings(today: NaiveDate) -> OutcomeSettings {
    let year = if today.month() >= 4 {
        today.year()
    } else {
        today.year() - 1
    };
    let financial_year = |start: i32, pounds: i64| -> Option<ContractValue> {
        Some(ContractValue {
            first: NaiveDate::from_ymd_opt(start, 4, 1)?,
            last: NaiveDate::from_ymd_opt(start + 1, 3, 31)?,
            amount: Hundredths::from_units(pounds),
        })
    };
    OutcomeSettings {
        contract_values: [
            financial_year(year - 1, 420_000),
            financial_year(year, 435_000),
        ]
        .into_iter()
        .flatten()
        .collect(),
        targets: Targets {
            access: Some(Hundredths::from_units(75)),
            kpi_e: Some(Hundredths::from_units(75)),
            caseload: Some(Hundredths::from_units(12)),
            ..Targets::default()
        },
        ..OutcomeSettings::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_contract_values_are_the_current_and_the_last_financial_year() {
        for (today, first) in [("2026-06-30", "2025-04-01"), ("2027-03-31", "2025-04-01")] {
            let s = outcome_settings(day(today));
            assert_eq!(s.check(), Ok(()));
            let spans: Vec<(NaiveDate, NaiveDate)> = s
                .contract_values
                .iter()
                .map(|c| (c.first, c.last))
                .collect();
            let first = day(first);
            assert_eq!(spans.len(), 2);
            assert_eq!(spans[0].0, first);
            assert_eq!(spans[1].1, day(&format!("{}-03-31", first.year() + 2)));
        }
    }

    #[test]
    fn every_drawn_journey_is_in_order_and_its_jobs_pass_their_own_checks() {
        let now = day("2026-06-30").and_hms_opt(12, 0, 0).unwrap().and_utc();
        let mut j = Journeys::new(Uuid::new_v4(), Uuid::new_v4(), now);
        for i in 0..400 {
            let started = day("2025-01-06") + Duration::days(i);
            let born_on = j.equality(started).born_on;
            let d = EpisodeDraft {
                id: Uuid::new_v4(),
                referred: Referred {
                    participant: Uuid::new_v4(),
                    specialist: Uuid::new_v4(),
                    team: None,
                    programme: "seqf",
                    on: started - Duration::days(10),
                },
                started,
                profile: Some(started + Duration::days(14)),
                placement: Some((started + Duration::days(60), Uuid::new_v4()))
                    .filter(|p| p.0 < j.today),
                ended: Some(started + Duration::days(200)).filter(|e| *e < j.today),
                born_on,
            };
            let plan = j.plan(&d);
            let jobs: Vec<(NaiveDate, Option<NaiveDate>)> = plan
                .jobs
                .iter()
                .map(|a| (*a.started_on.as_ref(), *a.ended_on.as_ref()))
                .collect();
            let journey = domain::journey::JourneyDates {
                referred_on: Some(d.referred.on),
                decided_on: *plan.referral.decided_on.as_ref(),
                started_on: Some(d.started),
                profile_started_on: d.profile,
                jobs: jobs.clone(),
                ended_on: d.ended,
            };
            assert_eq!(domain::journey::check_journey(&journey), Ok(()), "{i}");
            assert!(
                jobs.iter()
                    .all(|(s, e)| *s < j.today && e.is_none_or(|e| e < j.today))
            );
            assert!(plan.end_reason.is_none() || d.ended.is_some());
            for a in &plan.jobs {
                let hours = a.hours_per_week.as_ref().unwrap_or(0);
                assert!(0 < hours && hours <= 80_00, "{hours}");
                let pay = *a.hourly_pay.as_ref();
                assert!(pay.is_none_or(|p| 0 < p && p <= 50_000), "{pay:?}");
                assert!(*a.paid.as_ref() || pay.is_none());
            }
        }
    }
}
