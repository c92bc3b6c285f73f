//! How the staff app words things: its own texts from the translation files, and the names of
//! domain values (a stage of support, a kind of client, a step of the journey, an equality
//! group) in the person's language.

mod equality;
mod journey;

pub use equality::{group_label, options};
pub use journey::{
    job_end_label, not_accepted_label, order_message, outcome_label, sector_label, source_label,
    support_end_label,
};

use domain::records::{ParticipantKind, Stage};
use leptos::prelude::*;

use crate::i18n::{StaffMessages, use_i18n};

/// [`crate::i18n::tr`] for the staff app's own texts.
pub fn trs(pick: fn(&'static StaffMessages) -> &'static str) -> Signal<&'static str> {
    let i18n = use_i18n();
    Signal::derive(move || pick(i18n.s()))
}

/// [`trs`] for places that take owned text (page headings).
pub fn trs_owned(pick: fn(&'static StaffMessages) -> &'static str) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || pick(i18n.s()).to_owned())
}

/// A number held to two places, as people write it: "16", "7.5", "12.25".
pub fn number(v: domain::Hundredths) -> String {
    let text = v.to_string();
    let text = text.trim_end_matches('0');
    text.strip_suffix('.').unwrap_or(text).to_owned()
}

pub fn stage_label(t: &'static StaffMessages, stage: Stage) -> &'static str {
    match stage {
        Stage::Engagement => t.staff_stage_engagement,
        Stage::VocationalProfiling => t.staff_stage_profiling,
        Stage::JobFinding => t.staff_stage_job_finding,
        Stage::JobMatching => t.staff_stage_job_matching,
        Stage::InWorkSupport => t.staff_stage_in_work,
    }
}

pub fn kind_label(t: &'static StaffMessages, kind: ParticipantKind) -> &'static str {
    match kind {
        ParticipantKind::Jobseeker => t.staff_kind_jobseeker,
        ParticipantKind::Employer => t.staff_kind_employer,
    }
}

#[cfg(test)]
mod tests {
    use super::number;
    use domain::Hundredths;

    #[test]
    fn numbers_drop_the_zeros_people_would_not_write() {
        assert_eq!(number(Hundredths(1600)), "16");
        assert_eq!(number(Hundredths(750)), "7.5");
        assert_eq!(number(Hundredths(1225)), "12.25");
        assert_eq!(number(Hundredths(0)), "0");
        assert_eq!(number(Hundredths(1000)), "10");
    }
}
