//! A referral's fields: when it came and from whom, and the decision on it (accepted, not
//! accepted and why, or not decided yet) with its date.

use domain::journey::{NewReferral, NotAcceptedReason, ReferralSource};
use domain::records::Programme;
use leptos::prelude::*;
use uuid::Uuid;

use super::{Refusal, optional_date, refusal};
use crate::i18n::{StaffMessages, use_i18n};
use crate::staff::components::checked::{Choice, Input, Problem};
use crate::staff::text::{not_accepted_label, source_label, trs};
use crate::staff::time::today;

/// The decision as the form's radios hold it.
pub const ACCEPTED: &str = "accepted";
const NOT_ACCEPTED: &str = "not_accepted";
const UNDECIDED: &str = "undecided";

#[derive(Debug, Clone, Copy)]
pub struct ReferralFields {
    pub referred_on: RwSignal<String>,
    source: RwSignal<String>,
    pub decision: RwSignal<String>,
    decided_on: RwSignal<String>,
    reason: RwSignal<String>,
    /// A new client may have no referral to record: then the date starts empty, and the rest
    /// of the referral is asked once it has one.
    optional: bool,
}

impl ReferralFields {
    /// A referral that must be recorded, dated today until changed.
    pub fn new() -> ReferralFields {
        ReferralFields::starting(today().to_string(), false)
    }

    /// A referral recorded only if its date is given.
    pub fn optional() -> ReferralFields {
        ReferralFields::starting(String::new(), true)
    }

    fn starting(referred_on: String, optional: bool) -> ReferralFields {
        ReferralFields {
            referred_on: RwSignal::new(referred_on),
            source: RwSignal::new(String::new()),
            decision: RwSignal::new(ACCEPTED.to_owned()),
            decided_on: RwSignal::new(today().to_string()),
            reason: RwSignal::new(String::new()),
            optional,
        }
    }

    /// Whether a referral is being recorded: always, or (optional) once it has a date.
    pub fn recorded(self) -> bool {
        !self.optional || self.referred_on.with(|d| !d.trim().is_empty())
    }

    /// Whether support starts with this form: the referral was accepted (or none recorded).
    pub fn starts(self) -> bool {
        !self.recorded() || self.decision.with(|d| d == ACCEPTED)
    }

    /// [`Self::starts`] when the form is sent.
    pub fn starts_untracked(self) -> bool {
        untrack(move || self.starts())
    }

    /// The referral, checked by `NewReferral::check`; `None` when none is recorded.
    pub fn check(
        self,
        t: &'static StaffMessages,
        participant_id: Uuid,
        programme: Programme,
    ) -> Result<Option<NewReferral>, Refusal> {
        let date_error = |id| (t.staff_error_date.to_owned(), id);
        if !untrack(move || self.recorded()) {
            return Ok(None);
        }
        let referred_on = optional_date(&self.referred_on.get_untracked())
            .ok()
            .flatten()
            .ok_or(date_error("referred-on"))?;
        let source = ReferralSource::parse(&self.source.get_untracked())
            .map_err(|_| (t.staff_error_source.to_owned(), "source-self"))?;
        let accepted = match self.decision.get_untracked().as_str() {
            ACCEPTED => Some(true),
            NOT_ACCEPTED => Some(false),
            _ => None,
        };
        let decided_on = match accepted {
            Some(_) => optional_date(&self.decided_on.get_untracked())
                .map_err(|()| date_error("decided-on"))?,
            None => None,
        };
        let not_accepted_reason = match accepted {
            Some(false) => Some(
                NotAcceptedReason::parse(&self.reason.get_untracked())
                    .map_err(|_| (t.staff_error_reason.to_owned(), "reason-ineligible"))?,
            ),
            _ => None,
        };
        let new = NewReferral {
            id: Uuid::new_v4(),
            participant_id,
            specialist_id: None,
            programme,
            referred_on,
            source,
            accepted,
            decided_on,
            not_accepted_reason,
        };
        new.check().map_err(|e| refusal(t, &e, IDS))?;
        // Dates within sense, as the server judges them (`domain::dates`).
        new.check_dates(crate::staff::time::today())
            .map_err(|e| refusal(t, &e, IDS))?;
        Ok(Some(new))
    }
}

/// Where each of a referral's fields is on the form.
pub const IDS: &[(&str, &str)] = &[
    ("referred_on", "referred-on"),
    ("decided_on", "decided-on"),
    ("accepted", "decision-accepted"),
    ("not_accepted_reason", "reason-ineligible"),
];

#[component]
pub fn ReferralFieldset(fields: ReferralFields, problem: Problem) -> impl IntoView {
    let hint = if fields.optional {
        trs(|t| t.staff_referred_on_optional)
    } else {
        trs(|t| t.staff_referred_on_hint)
    };
    view! {
        <h2>{trs(|t| t.staff_referral_title)}</h2>
        <Input
            id="referred-on"
            label=trs(|t| t.staff_referred_on)
            hint
            kind="date"
            value=fields.referred_on
            problem
        />
        <Show when=move || fields.recorded()>
            <ReferralDetails fields problem />
        </Show>
    }
}

/// Who referred, and the decision: asked once there is a referral.
#[component]
fn ReferralDetails(fields: ReferralFields, problem: Problem) -> impl IntoView {
    let t = use_i18n().s();
    let sources = ReferralSource::ALL
        .iter()
        .map(|s| (s.as_str(), source_label(t, *s)))
        .collect();
    let reasons: Vec<_> = NotAcceptedReason::ALL
        .iter()
        .map(|r| (r.as_str(), not_accepted_label(t, *r)))
        .collect();
    let decisions = vec![
        (ACCEPTED, t.staff_decision_accepted),
        (NOT_ACCEPTED, t.staff_decision_not_accepted),
        (UNDECIDED, t.staff_decision_undecided),
    ];
    let decision = fields.decision;
    view! {
        <Choice
            name="source"
            legend=trs(|t| t.staff_source)
            options=sources
            value=fields.source
            problem
            target="source-self"
        />
        <Choice
            name="decision"
            legend=trs(|t| t.staff_decision)
            options=decisions
            value=decision
            problem
            target="decision-accepted"
        />
        <Show when=move || decision.with(|d| d != UNDECIDED)>
            <Input
                id="decided-on"
                label=trs(|t| t.staff_decided_on)
                kind="date"
                value=fields.decided_on
                problem
            />
        </Show>
        <Show when=move || decision.with(|d| d == NOT_ACCEPTED)>
            <Choice
                name="reason"
                legend=trs(|t| t.staff_not_accepted_reason)
                options=reasons.clone()
                value=fields.reason
                problem
                target="reason-ineligible"
            />
        </Show>
    }
}
