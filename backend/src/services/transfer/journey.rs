//! The journey columns of an episodes row, read and checked on the row alone: which kind of
//! row it is, the referral, the person's equality answers, and the one job a row carries.

use super::{check::Row, episodes::Known, format::EpisodeRow, import::ParticipantSeen};
use crate::{entities::staff, services::capture::body_hash};
use chrono::NaiveDate;
use domain::{
    journey::{JobEndReason, NewJob, NotAcceptedReason, OutcomeType, ReferralSource, Sector},
    records::{
        Area, Equality, Ethnicity, FieldError, Gender, LivingSituation, PrimaryNeed, ShortText,
    },
};
use uuid::Uuid;

/// The referral a row describes.
pub(super) struct CheckedReferral {
    pub id: Uuid,
    /// Whose referral it is, when `referral_specialist_email` names someone other than the
    /// row's specialist.
    pub holder: Option<staff::Model>,
    pub referred_on: NaiveDate,
    pub source: ReferralSource,
    pub accepted: Option<bool>,
    pub decided_on: Option<NaiveDate>,
    pub reason: Option<NotAcceptedReason>,
    pub hash: String,
}

/// The job a row describes.
pub(super) struct CheckedJob {
    pub job: NewJob,
    pub employer: Option<ParticipantSeen>,
    pub hash: String,
}

fn filled(v: &str) -> bool {
    !v.trim().is_empty()
}

/// Notes the columns this kind of row must leave empty: a row is an episode (`episode_id`,
/// `started_on`), perhaps with its referral and one job, or a referral that never started.
pub(super) fn shape(row: &mut Row, rec: &EpisodeRow) {
    let episode = filled(&rec.episode_id) || filled(&rec.started_on);
    if !episode && !filled(&rec.referral_id) {
        row.bad(
            "episode_id",
            "a row is an episode (episode_id and started_on) or a referral that never \
             started (referral_id, with episode_id and started_on empty)",
        );
    }
    if !episode {
        for (field, v) in [
            ("profile_started_on", &rec.profile_started_on),
            ("job_started_on", &rec.job_started_on),
            ("ended_on", &rec.ended_on),
            ("employer_id", &rec.employer_id),
            ("employer_reference", &rec.employer_reference),
            ("hours_before", &rec.hours_before),
            ("end_reason", &rec.end_reason),
            ("job_id", &rec.job_id),
        ] {
            row.empty(field, v, "only a row with an episode has this");
        }
    }
    if !filled(&rec.referral_id) {
        for (field, v) in [
            ("referral_source", &rec.referral_source),
            ("referral_accepted", &rec.referral_accepted),
            ("referral_decided_on", &rec.referral_decided_on),
            ("not_accepted_reason", &rec.not_accepted_reason),
            ("referral_specialist_email", &rec.referral_specialist_email),
        ] {
            row.empty(field, v, "only a row with a referral_id has this");
        }
    }
    if !filled(&rec.job_id) {
        for (field, v) in job_columns(rec) {
            row.empty(field, v, "only a row with a job_id has this");
        }
    }
}

fn job_columns(rec: &EpisodeRow) -> [(&'static str, &String); 12] {
    [
        ("job_began_on", &rec.job_began_on),
        ("job_ended_on", &rec.job_ended_on),
        ("job_end_reason", &rec.job_end_reason),
        ("job_outcome", &rec.job_outcome),
        ("job_paid", &rec.job_paid),
        ("job_employer_id", &rec.job_employer_id),
        ("job_employer_reference", &rec.job_employer_reference),
        ("job_title", &rec.job_title),
        ("job_sector", &rec.job_sector),
        ("job_hours_per_week", &rec.job_hours_per_week),
        ("job_hourly_pay", &rec.job_hourly_pay),
        ("job_analysis", &rec.job_analysis),
    ]
}

/// The person's equality answers; `Some(None)` when the row gives none.
pub(super) fn read_equality(
    row: &mut Row,
    rec: &EpisodeRow,
    today: NaiveDate,
) -> Option<Option<Equality>> {
    let born_on = row.opt_date("born_on", &rec.born_on);
    let gender = row.opt_parsed("gender", &rec.gender, Gender::parse);
    let ethnicity = row.opt_parsed("ethnicity", &rec.ethnicity, Ethnicity::parse);
    let disability = row.opt_parsed("disability", &rec.disability, PrimaryNeed::parse);
    let living = row.opt_parsed(
        "living_situation",
        &rec.living_situation,
        LivingSituation::parse,
    );
    let area = row.opt_parsed("area", &rec.area, Area::parse);
    let answers = Equality {
        born_on: born_on?,
        gender: gender?,
        ethnicity: ethnicity?,
        disability: disability?,
        living_situation: living?,
        area: area?,
    };
    if answers == Equality::default() {
        return Some(None);
    }
    if let Err(e) = answers.check(today) {
        row.bad("born_on", e.message);
        return None;
    }
    Some(Some(answers))
}

/// The referral a row describes, if it names one. `referred_on` is the row's (a referral needs
/// it); one support started from (`started`) was accepted.
pub(super) fn read_referral(
    row: &mut Row,
    known: &Known,
    rec: &EpisodeRow,
    referred_on: Option<Option<NaiveDate>>,
    started: bool,
) -> Option<Option<CheckedReferral>> {
    if !filled(&rec.referral_id) {
        return Some(None);
    }
    let id = row.uuid("referral_id", &rec.referral_id);
    let source = row.parsed(
        "referral_source",
        &rec.referral_source,
        ReferralSource::parse,
    );
    let accepted = row.opt_bool("referral_accepted", &rec.referral_accepted);
    let decided_on = row.opt_date("referral_decided_on", &rec.referral_decided_on);
    let reason = row.opt_parsed(
        "not_accepted_reason",
        &rec.not_accepted_reason,
        NotAcceptedReason::parse,
    );
    let holder = referral_holder(row, known, rec);
    if referred_on == Some(None) {
        row.bad("referred_on", "a referral needs the date it was made");
    }
    if let (Some(Some(r)), Some(a), Some(d), Some(why)) =
        (referred_on, accepted, decided_on, reason)
        && let Err(e) = domain::journey::check_decision(r, a, d, why)
    {
        row.bad(referral_column(&e), e.message);
    }
    if started && accepted == Some(Some(false)) {
        row.bad(
            "referral_accepted",
            "support started from this referral (the row has an episode), so it was accepted",
        );
    }
    Some(Some(CheckedReferral {
        id: id?,
        holder: holder?,
        referred_on: referred_on??,
        source: source?,
        accepted: accepted?,
        decided_on: decided_on?,
        reason: reason?,
        hash: body_hash(&rec.referral_part()),
    }))
}

/// Whose referral it is, when `referral_specialist_email` names someone.
fn referral_holder(row: &mut Row, known: &Known, rec: &EpisodeRow) -> Option<Option<staff::Model>> {
    let email = &rec.referral_specialist_email;
    if !filled(email) {
        return Some(None);
    }
    known
        .names
        .staff_in(row, "referral_specialist_email", email)
        .cloned()
        .map(Some)
}

/// The column a referral field is in.
fn referral_column(e: &FieldError) -> &'static str {
    match e.field {
        "accepted" => "referral_accepted",
        "decided_on" => "referral_decided_on",
        other => other,
    }
}

/// The job a row describes, if it names one, as a job record of episode `episode_id`.
pub(super) fn read_job(
    row: &mut Row,
    rec: &EpisodeRow,
    episode_id: Option<Uuid>,
) -> Option<Option<CheckedJob>> {
    if !filled(&rec.job_id) {
        return Some(None);
    }
    let id = row.uuid("job_id", &rec.job_id);
    let started_on = row.date("job_began_on", &rec.job_began_on);
    let ended_on = row.opt_date("job_ended_on", &rec.job_ended_on);
    let end_reason = row.opt_parsed("job_end_reason", &rec.job_end_reason, JobEndReason::parse);
    let outcome = row.parsed("job_outcome", &rec.job_outcome, OutcomeType::parse);
    let paid = row.bool("job_paid", &rec.job_paid);
    let employer = super::episodes::read_employer(
        row,
        ("job_employer_id", &rec.job_employer_id),
        ("job_employer_reference", &rec.job_employer_reference),
    );
    let title = row.opt_parsed("job_title", &rec.job_title, ShortText::parse);
    let sector = row.opt_parsed("job_sector", &rec.job_sector, Sector::parse);
    let hours = row.opt_hundredths("job_hours_per_week", &rec.job_hours_per_week);
    let pay = row.opt_hundredths("job_hourly_pay", &rec.job_hourly_pay);
    let analysis = row.opt_bool("job_analysis", &rec.job_analysis);
    let employer = employer?;
    let job = NewJob {
        id: id?,
        episode_id: episode_id?,
        started_on: started_on?,
        outcome: outcome?,
        paid: paid?,
        employer_id: employer.as_ref().map(|e| e.id),
        title: title?,
        sector: sector?,
        hours_per_week: hours?,
        hourly_pay: pay?,
        job_analysis: analysis?.unwrap_or(false),
        ended_on: ended_on?,
        end_reason: end_reason?,
    };
    if let Err(e) = job.check() {
        row.bad(job_column(e.field), e.message);
        return None;
    }
    Some(Some(CheckedJob {
        job,
        employer,
        hash: body_hash(&rec.job_part()),
    }))
}

/// The column a job record's field is in.
fn job_column(field: &str) -> &str {
    match field {
        "started_on" => "job_began_on",
        "ended_on" => "job_ended_on",
        "end_reason" => "job_end_reason",
        "hours_per_week" => "job_hours_per_week",
        "hourly_pay" => "job_hourly_pay",
        other => other,
    }
}
