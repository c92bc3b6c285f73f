//! The words for a journey's values (who referred, why not accepted, the kind of job, why a job
//! or support ended, the SIC sections), and a journey check's refusal in the person's language.

use chrono::NaiveDate;
use domain::journey::{
    JobEndReason, NotAcceptedReason, OutcomeType, ReferralSource, Sector, SupportEndReason,
};
use domain::records::FieldError;

use crate::i18n::{StaffMessages, fill};
use crate::staff::time::date;

pub fn source_label(t: &'static StaffMessages, s: ReferralSource) -> &'static str {
    match s {
        ReferralSource::SelfReferral => t.staff_source_self,
        ReferralSource::JobCentre => t.staff_source_job_centre,
        ReferralSource::Health => t.staff_source_health,
        ReferralSource::SocialCare => t.staff_source_social_care,
        ReferralSource::Education => t.staff_source_education,
        ReferralSource::Other => t.staff_source_other,
    }
}

pub fn not_accepted_label(t: &'static StaffMessages, r: NotAcceptedReason) -> &'static str {
    match r {
        NotAcceptedReason::Ineligible => t.staff_not_accepted_ineligible,
        NotAcceptedReason::Declined => t.staff_not_accepted_declined,
        NotAcceptedReason::CouldNotContact => t.staff_not_accepted_no_contact,
        NotAcceptedReason::Other => t.staff_not_accepted_other,
    }
}

pub fn outcome_label(t: &'static StaffMessages, o: OutcomeType) -> &'static str {
    match o {
        OutcomeType::NewJob => t.staff_outcome_new_job,
        OutcomeType::RetainedJob => t.staff_outcome_retained_job,
        OutcomeType::SelfEmployment => t.staff_outcome_self_employment,
        OutcomeType::Apprenticeship => t.staff_outcome_apprenticeship,
    }
}

pub fn job_end_label(t: &'static StaffMessages, r: JobEndReason) -> &'static str {
    match r {
        JobEndReason::Resigned => t.staff_job_end_resigned,
        JobEndReason::Dismissed => t.staff_job_end_dismissed,
        JobEndReason::ContractEnded => t.staff_job_end_contract,
        JobEndReason::Redundancy => t.staff_job_end_redundancy,
        JobEndReason::Health => t.staff_job_end_health,
        JobEndReason::Other => t.staff_job_end_other,
    }
}

pub fn support_end_label(t: &'static StaffMessages, r: SupportEndReason) -> &'static str {
    match r {
        SupportEndReason::SustainedInWork => t.staff_support_end_sustained,
        SupportEndReason::Withdrew => t.staff_support_end_withdrew,
        SupportEndReason::MovedAway => t.staff_support_end_moved,
        SupportEndReason::LostContact => t.staff_support_end_lost_contact,
        SupportEndReason::Transferred => t.staff_support_end_transferred,
        SupportEndReason::Other => t.staff_support_end_other,
    }
}

/// A SIC 2007 section's title (the translation files hold the official English titles).
pub fn sector_label(t: &'static StaffMessages, s: Sector) -> &'static str {
    match s {
        Sector::A => t.staff_sector_a,
        Sector::B => t.staff_sector_b,
        Sector::C => t.staff_sector_c,
        Sector::D => t.staff_sector_d,
        Sector::E => t.staff_sector_e,
        Sector::F => t.staff_sector_f,
        Sector::G => t.staff_sector_g,
        Sector::H => t.staff_sector_h,
        Sector::I => t.staff_sector_i,
        Sector::J => t.staff_sector_j,
        Sector::K => t.staff_sector_k,
        Sector::L => t.staff_sector_l,
        Sector::M => t.staff_sector_m,
        Sector::N => t.staff_sector_n,
        Sector::O => t.staff_sector_o,
        Sector::P => t.staff_sector_p,
        Sector::Q => t.staff_sector_q,
        Sector::R => t.staff_sector_r,
        Sector::S => t.staff_sector_s,
        Sector::T => t.staff_sector_t,
        Sector::U => t.staff_sector_u,
    }
}

/// A journey check's refusal ("must not be before the service start (2026-03-01)") in the
/// person's language, naming the step and its date. The rule and the step it names are the
/// domain's; only the wording is the app's. Anything else says `otherwise`.
pub fn order_message(t: &'static StaffMessages, e: &FieldError, otherwise: &'static str) -> String {
    let parsed = e
        .message
        .strip_prefix("must not be before ")
        .and_then(|rest| rest.rsplit_once(" ("))
        .and_then(|(step, day)| {
            let day: NaiveDate = day.strip_suffix(')')?.parse().ok()?;
            Some((step_label(t, step)?, day))
        });
    match parsed {
        Some((step, day)) => fill(
            t.staff_error_before_step,
            &[("step", step), ("date", &date(day))],
        ),
        None => otherwise.to_owned(),
    }
}

/// The steps `domain::journey::check_journey` names.
fn step_label(t: &'static StaffMessages, step: &str) -> Option<&'static str> {
    Some(match step {
        "the referral" => t.staff_step_referral,
        "the decision on the referral" => t.staff_step_decision,
        "the service start" => t.staff_step_start,
        "the vocational profile start" => t.staff_step_profile,
        "a job's start" => t.staff_step_job,
        _ => return None,
    })
}
