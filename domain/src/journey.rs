//! The journey of an episode (DESIGN.md §4a): a referral, the decision on it, the service
//! start, the vocational profile, jobs and their endings, and the end of support. Every step is
//! recorded in the field, offline too, and none may be dated before the step it follows — the
//! rule lives here so the staff app refuses what the server would.

use crate::Hundredths;
use crate::records::{FieldError, Programme, ShortText};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

fn field_err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

crate::completion::wire_enum!(
    /// Who referred the person.
    ReferralSource { SelfReferral = "self", JobCentre = "job_centre", Health = "health", SocialCare = "social_care", Education = "school_college", Other = "other" }
);
crate::completion::wire_enum!(
    /// Why a referral did not start.
    NotAcceptedReason { Ineligible = "ineligible", Declined = "declined", CouldNotContact = "could_not_contact", Other = "other" }
);
crate::completion::wire_enum!(
    /// The kind of job outcome (seed 000's outcome mix).
    OutcomeType { NewJob = "new_job", RetainedJob = "retained_job", SelfEmployment = "self_employment", Apprenticeship = "apprenticeship" }
);
crate::completion::wire_enum!(
    /// Why a job ended.
    JobEndReason { Resigned = "resigned", Dismissed = "dismissed", ContractEnded = "contract_ended", Redundancy = "redundancy", Health = "health", Other = "other" }
);
crate::completion::wire_enum!(
    /// Why support ended.
    SupportEndReason { SustainedInWork = "sustained_in_work", Withdrew = "withdrew", MovedAway = "moved_away", LostContact = "lost_contact", Transferred = "transferred", Other = "other" }
);
crate::completion::wire_enum!(
    /// The UK SIC 2007 sections, by letter.
    Sector { A = "A", B = "B", C = "C", D = "D", E = "E", F = "F", G = "G", H = "H", I = "I", J = "J", K = "K", L = "L", M = "M", N = "N", O = "O", P = "P", Q = "Q", R = "R", S = "S", T = "T", U = "U" }
);

impl Sector {
    /// The section's title in the UK SIC 2007.
    pub fn title(self) -> &'static str {
        match self {
            Sector::A => "Agriculture, forestry and fishing",
            Sector::B => "Mining and quarrying",
            Sector::C => "Manufacturing",
            Sector::D => "Electricity, gas, steam and air conditioning supply",
            Sector::E => "Water supply; sewerage, waste management and remediation",
            Sector::F => "Construction",
            Sector::G => "Wholesale and retail trade; repair of motor vehicles",
            Sector::H => "Transportation and storage",
            Sector::I => "Accommodation and food service activities",
            Sector::J => "Information and communication",
            Sector::K => "Financial and insurance activities",
            Sector::L => "Real estate activities",
            Sector::M => "Professional, scientific and technical activities",
            Sector::N => "Administrative and support service activities",
            Sector::O => "Public administration and defence; compulsory social security",
            Sector::P => "Education",
            Sector::Q => "Human health and social work activities",
            Sector::R => "Arts, entertainment and recreation",
            Sector::S => "Other service activities",
            Sector::T => "Activities of households as employers",
            Sector::U => "Activities of extraterritorial organisations and bodies",
        }
    }
}

/// A referral to the service, recorded when it arrives; the decision may come with it or later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewReferral {
    pub id: Uuid,
    /// The jobseeker referred.
    pub participant_id: Uuid,
    /// Defaults to the staff member recording it.
    #[serde(default)]
    pub specialist_id: Option<Uuid>,
    pub programme: Programme,
    pub referred_on: NaiveDate,
    pub source: ReferralSource,
    /// `true` accepted, `false` not accepted, absent not decided yet.
    #[serde(default)]
    pub accepted: Option<bool>,
    /// When it was decided; needed with `accepted`.
    #[serde(default)]
    pub decided_on: Option<NaiveDate>,
    /// Why it was not accepted; needed when `accepted` is false, refused otherwise.
    #[serde(default)]
    pub not_accepted_reason: Option<NotAcceptedReason>,
}

impl NewReferral {
    /// Its dates are of things that have happened (`crate::dates`).
    pub fn check_dates(&self, today: NaiveDate) -> Result<(), FieldError> {
        crate::dates::all_happened(
            &[
                ("referred_on", Some(self.referred_on)),
                ("decided_on", self.decided_on),
            ],
            today,
        )
    }

    pub fn check(&self) -> Result<(), FieldError> {
        check_decision(
            self.referred_on,
            self.accepted,
            self.decided_on,
            self.not_accepted_reason,
        )
    }
}

/// The decision on a referral, recorded after it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReferralDecision {
    pub accepted: bool,
    pub decided_on: NaiveDate,
    #[serde(default)]
    pub not_accepted_reason: Option<NotAcceptedReason>,
}

impl ReferralDecision {
    /// A decision is recorded once it has been made (`crate::dates`).
    pub fn check_dates(&self, today: NaiveDate) -> Result<(), FieldError> {
        crate::dates::happened("decided_on", self.decided_on, today)
    }
}

/// A decision is dated on or after the referral, and says why when the answer is no.
pub fn check_decision(
    referred_on: NaiveDate,
    accepted: Option<bool>,
    decided_on: Option<NaiveDate>,
    reason: Option<NotAcceptedReason>,
) -> Result<(), FieldError> {
    match (accepted, decided_on) {
        (Some(_), None) => return Err(field_err("decided_on", "say when it was decided")),
        (None, Some(_)) => {
            return Err(field_err(
                "accepted",
                "say whether it was accepted, or leave decided_on out",
            ));
        }
        _ => {}
    }
    if decided_on.is_some_and(|d| d < referred_on) {
        return Err(field_err("decided_on", "must not be before referred_on"));
    }
    match (accepted, reason) {
        (Some(false), None) => Err(field_err(
            "not_accepted_reason",
            "say why it was not accepted",
        )),
        (Some(true) | None, Some(_)) => Err(field_err(
            "not_accepted_reason",
            "only a referral that was not accepted has a reason",
        )),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Referral {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub specialist_id: Uuid,
    pub team_id: Option<Uuid>,
    pub programme: Programme,
    pub referred_on: NaiveDate,
    pub source: ReferralSource,
    pub accepted: Option<bool>,
    pub decided_on: Option<NaiveDate>,
    pub not_accepted_reason: Option<NotAcceptedReason>,
    /// The episode of support that started from it, once one has.
    pub episode_id: Option<Uuid>,
}

/// A job (or self-employment, or apprenticeship) found or kept during an episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewJob {
    pub id: Uuid,
    pub episode_id: Uuid,
    pub started_on: NaiveDate,
    pub outcome: OutcomeType,
    pub paid: bool,
    /// The employer (a participant of kind `employer`), when they are one of ours.
    #[serde(default)]
    pub employer_id: Option<Uuid>,
    #[serde(default)]
    pub title: Option<ShortText>,
    #[serde(default)]
    pub sector: Option<Sector>,
    /// Hours a week, to two decimals (0.01–80).
    #[serde(default)]
    pub hours_per_week: Option<Hundredths>,
    /// Pounds an hour, to the penny (0.01–500).
    #[serde(default)]
    pub hourly_pay: Option<Hundredths>,
    #[serde(default)]
    pub job_analysis: bool,
    #[serde(default)]
    pub ended_on: Option<NaiveDate>,
    #[serde(default)]
    pub end_reason: Option<JobEndReason>,
}

/// The end of a job (or a correction of it): `null` clears both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct JobEnd {
    pub ended_on: Option<NaiveDate>,
    #[serde(default)]
    pub end_reason: Option<JobEndReason>,
}

/// A job end sent through `/api/sync` (`job_end`): the job it ends and the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct JobEndRecord {
    pub job_id: Uuid,
    pub ended_on: Option<NaiveDate>,
    #[serde(default)]
    pub end_reason: Option<JobEndReason>,
}

impl JobEnd {
    /// An end is recorded once it has happened (`crate::dates`).
    pub fn check_dates(&self, today: NaiveDate) -> Result<(), FieldError> {
        crate::dates::all_happened(&[("ended_on", self.ended_on)], today)
    }
}

impl NewJob {
    /// A job is recorded from its first day, an end once it has happened (`crate::dates`).
    pub fn check_dates(&self, today: NaiveDate) -> Result<(), FieldError> {
        crate::dates::all_happened(
            &[
                ("started_on", Some(self.started_on)),
                ("ended_on", self.ended_on),
            ],
            today,
        )
    }

    /// The job's own fields; its place in the journey is `check_journey`'s.
    pub fn check(&self) -> Result<(), FieldError> {
        if let Some(h) = self.hours_per_week
            && (h.0 <= 0 || h.0 > 8_000)
        {
            return Err(field_err(
                "hours_per_week",
                "must be more than 0 and at most 80",
            ));
        }
        if let Some(p) = self.hourly_pay
            && (p.0 <= 0 || p > Hundredths::from_units(500))
        {
            return Err(field_err(
                "hourly_pay",
                "must be more than £0 and at most £500",
            ));
        }
        if !self.paid && self.hourly_pay.is_some() {
            return Err(field_err("hourly_pay", "unpaid work has no pay"));
        }
        check_job_end(self.started_on, self.ended_on, self.end_reason)
    }
}

/// A job ends on or after it starts, and a reason only comes with an end.
pub fn check_job_end(
    started_on: NaiveDate,
    ended_on: Option<NaiveDate>,
    reason: Option<JobEndReason>,
) -> Result<(), FieldError> {
    if ended_on.is_some_and(|e| e < started_on) {
        return Err(field_err(
            "ended_on",
            "must not be before the job's started_on",
        ));
    }
    if ended_on.is_none() && reason.is_some() {
        return Err(field_err(
            "end_reason",
            "a job that has not ended has no end reason",
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Job {
    pub id: Uuid,
    pub episode_id: Uuid,
    pub started_on: NaiveDate,
    pub outcome: OutcomeType,
    pub paid: bool,
    pub employer_id: Option<Uuid>,
    pub title: Option<String>,
    pub sector: Option<Sector>,
    pub hours_per_week: Option<Hundredths>,
    pub hourly_pay: Option<Hundredths>,
    pub job_analysis: bool,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<JobEndReason>,
}

/// The dates of a whole journey, checked together: referral ≤ decision ≤ service start ≤
/// vocational profile ≤ each job's start ≤ that job's end, and support ends on or after the
/// service start, the profile and every job start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JourneyDates {
    pub referred_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub profile_started_on: Option<NaiveDate>,
    /// Each job's start and end.
    pub jobs: Vec<(NaiveDate, Option<NaiveDate>)>,
    pub ended_on: Option<NaiveDate>,
}

/// Refuses the first step dated before the one it follows, naming its field (`job_started_on`
/// / `job_ended_on` for a job's dates, as a job record calls them `started_on` / `ended_on`
/// the caller may rename).
pub fn check_journey(j: &JourneyDates) -> Result<(), FieldError> {
    let steps: [(&'static str, Option<NaiveDate>, &'static str); 4] = [
        ("referred_on", j.referred_on, "the referral"),
        ("decided_on", j.decided_on, "the decision on the referral"),
        ("started_on", j.started_on, "the service start"),
        (
            "profile_started_on",
            j.profile_started_on,
            "the vocational profile start",
        ),
    ];
    let mut latest: Option<(NaiveDate, &'static str)> = None;
    for (field, date, what) in steps {
        if let Some(d) = date {
            if let Some((before, name)) = latest
                && d < before
            {
                return Err(field_err(
                    field,
                    format!("must not be before {name} ({before})"),
                ));
            }
            latest = Some((d, what));
        }
    }
    for (start, end) in &j.jobs {
        if let Some((before, name)) = latest
            && *start < before
        {
            return Err(field_err(
                "job_started_on",
                format!("must not be before {name} ({before})"),
            ));
        }
        if let Some(e) = end
            && e < start
        {
            return Err(field_err(
                "job_ended_on",
                "must not be before the job's start",
            ));
        }
    }
    if let Some(end) = j.ended_on {
        let last_step = j
            .jobs
            .iter()
            .map(|(s, _)| (*s, "a job's start"))
            .chain(latest)
            .max_by_key(|(d, _)| *d);
        if let Some((before, name)) = last_step
            && end < before
        {
            return Err(field_err(
                "ended_on",
                format!("must not be before {name} ({before})"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A journey with every step on its own day, in order.
    fn journey() -> JourneyDates {
        JourneyDates {
            referred_on: Some(d("2024-01-02")),
            decided_on: Some(d("2024-01-05")),
            started_on: Some(d("2024-01-10")),
            profile_started_on: Some(d("2024-02-01")),
            jobs: vec![
                (d("2024-03-01"), Some(d("2024-04-30"))),
                (d("2024-05-01"), None),
            ],
            ended_on: Some(d("2024-06-30")),
        }
    }

    fn refused_field(j: &JourneyDates) -> &'static str {
        check_journey(j).unwrap_err().field
    }

    #[test]
    fn a_journey_in_order_is_accepted_and_so_is_one_with_every_step_on_one_day() {
        assert_eq!(check_journey(&journey()), Ok(()));
        let day = Some(d("2024-01-10"));
        let same_day = JourneyDates {
            referred_on: day,
            decided_on: day,
            started_on: day,
            profile_started_on: day,
            jobs: vec![(d("2024-01-10"), day)],
            ended_on: day,
        };
        assert_eq!(check_journey(&same_day), Ok(()));
        assert_eq!(check_journey(&JourneyDates::default()), Ok(()));
    }

    #[test]
    fn each_step_dated_before_its_predecessor_is_refused_naming_its_field() {
        let mut j = journey();
        j.decided_on = Some(d("2024-01-01"));
        assert_eq!(refused_field(&j), "decided_on");

        let mut j = journey();
        j.started_on = Some(d("2024-01-04"));
        assert_eq!(refused_field(&j), "started_on");

        let mut j = journey();
        j.profile_started_on = Some(d("2024-01-09"));
        assert_eq!(refused_field(&j), "profile_started_on");

        let mut j = journey();
        j.jobs[1].0 = d("2024-01-31");
        assert_eq!(refused_field(&j), "job_started_on");

        let mut j = journey();
        j.jobs[0].1 = Some(d("2024-02-29"));
        assert_eq!(refused_field(&j), "job_ended_on");

        // Support ends before the last job start, or before the profile with no jobs.
        let mut j = journey();
        j.ended_on = Some(d("2024-04-30"));
        assert_eq!(refused_field(&j), "ended_on");
        let mut j = journey();
        j.jobs.clear();
        j.ended_on = Some(d("2024-01-31"));
        assert_eq!(refused_field(&j), "ended_on");
    }

    #[test]
    fn a_missing_step_is_skipped_and_the_one_before_it_is_checked_instead() {
        // No decision recorded: the service start is checked against the referral.
        let mut j = journey();
        j.decided_on = None;
        j.started_on = Some(d("2024-01-01"));
        let err = check_journey(&j).unwrap_err();
        assert_eq!(err.field, "started_on");
        assert!(
            err.message.contains("the referral (2024-01-02)"),
            "{}",
            err.message
        );
        // No profile: a job is checked against the service start.
        let mut j = journey();
        j.profile_started_on = None;
        j.jobs[0].0 = d("2024-01-09");
        let err = check_journey(&j).unwrap_err();
        assert_eq!(err.field, "job_started_on");
        assert!(err.message.contains("the service start"), "{}", err.message);
    }

    #[test]
    fn support_may_end_while_a_job_goes_on() {
        let mut j = journey();
        j.jobs[0].1 = Some(d("2025-01-01"));
        j.ended_on = Some(d("2024-05-01"));
        assert_eq!(check_journey(&j), Ok(()));
        let err = {
            j.ended_on = Some(d("2024-04-30"));
            check_journey(&j).unwrap_err()
        };
        assert!(
            err.message.contains("a job's start (2024-05-01)"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_decision_is_dated_and_a_refusal_says_why() {
        let on = d("2024-01-02");
        let ok = check_decision(on, Some(true), Some(on), None);
        assert_eq!(ok, Ok(()));
        assert_eq!(check_decision(on, None, None, None), Ok(()));
        let field = |r: Result<(), FieldError>| r.unwrap_err().field;
        assert_eq!(
            field(check_decision(on, Some(true), None, None)),
            "decided_on"
        );
        assert_eq!(field(check_decision(on, None, Some(on), None)), "accepted");
        let day_before = Some(d("2024-01-01"));
        assert_eq!(
            field(check_decision(on, Some(true), day_before, None)),
            "decided_on"
        );
        assert_eq!(
            field(check_decision(on, Some(false), Some(on), None)),
            "not_accepted_reason"
        );
        let declined = Some(NotAcceptedReason::Declined);
        assert_eq!(check_decision(on, Some(false), Some(on), declined), Ok(()));
        assert_eq!(
            field(check_decision(on, Some(true), Some(on), declined)),
            "not_accepted_reason"
        );
    }

    fn new_job() -> NewJob {
        NewJob {
            id: Uuid::from_u128(1),
            episode_id: Uuid::from_u128(2),
            started_on: d("2024-03-01"),
            outcome: OutcomeType::NewJob,
            paid: true,
            employer_id: None,
            title: None,
            sector: Some(Sector::Q),
            hours_per_week: Some(Hundredths(80_00)),
            hourly_pay: Some(Hundredths::from_units(500)),
            job_analysis: true,
            ended_on: None,
            end_reason: None,
        }
    }

    #[test]
    fn a_jobs_hours_pay_and_end_are_checked() {
        assert_eq!(new_job().check(), Ok(()));
        let field = |j: NewJob| j.check().unwrap_err().field;
        let hours = |h| NewJob {
            hours_per_week: Some(Hundredths(h)),
            ..new_job()
        };
        assert_eq!(field(hours(80_01)), "hours_per_week");
        assert_eq!(field(hours(0)), "hours_per_week");
        assert_eq!(hours(1).check(), Ok(()));
        let pay = |p| NewJob {
            hourly_pay: Some(Hundredths(p)),
            ..new_job()
        };
        assert_eq!(field(pay(50_001)), "hourly_pay");
        assert_eq!(field(pay(0)), "hourly_pay");
        let unpaid = NewJob {
            paid: false,
            ..new_job()
        };
        assert_eq!(field(unpaid), "hourly_pay");
        let ended_early = NewJob {
            ended_on: Some(d("2024-02-29")),
            ..new_job()
        };
        assert_eq!(field(ended_early), "ended_on");
        let reason_without_end = NewJob {
            end_reason: Some(JobEndReason::Resigned),
            ..new_job()
        };
        assert_eq!(field(reason_without_end), "end_reason");
        let ended_same_day = NewJob {
            ended_on: Some(d("2024-03-01")),
            end_reason: Some(JobEndReason::ContractEnded),
            ..new_job()
        };
        assert_eq!(ended_same_day.check(), Ok(()));
    }
}
