//! Registering a client: the participant (with their optional equality answers) and their
//! consent, and for a jobseeker the referral and the start of support, all saved to the outbox
//! first, so it works with no signal; the caseload shows them at once.

use domain::records::{
    Accessibility, ConsentGivenBy, ConsentMethod, ConsentScope, Language, NewConsent,
    NewParticipant, Participant, ParticipantKind, Programme, Reference, ShortText,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::journey::equality::{EqualityFields, EqualityFieldset};
use super::journey::referral::{ReferralFields, ReferralFieldset};
use super::journey::start::{StartFields, StartFieldset};
use super::journey::{Refusal, new_referral::Start};
use crate::components::PageHeading;
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::staff::auth::use_auth;
use crate::staff::components::checked::{Input, Problem, ProblemSummary};
use crate::staff::components::form::{Checkbox, radios};
use crate::staff::offline::outbox::enqueue_part;
use crate::staff::offline::use_caseload;
use crate::staff::route::{Route, use_router};
use crate::staff::text::{trs, trs_owned};
use crate::staff::time::now;

/// The consent wording's version the form shows (kept with each consent record).
const CONSENT_TEXT_VERSION: &str = "staff-app-consent-2026-11";

#[component]
pub fn NewClientPage() -> impl IntoView {
    let i18n = use_i18n();
    let (auth, caseload, router) = (use_auth(), use_caseload(), use_router());
    let form = ClientForm::new();
    let problem = Problem::new();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.s();
        let taken = |reference: &str| {
            caseload.with(|c| {
                c.participants
                    .iter()
                    .any(|p| p.reference.eq_ignore_ascii_case(reference))
            })
        };
        let (client, start) = match form.check(t, taken) {
            Ok(checked) => checked,
            Err((message, field)) => return problem.set(message, field),
        };
        problem.clear();
        let Some(me) = auth.me_untracked() else {
            return;
        };
        spawn_local(async move {
            let saved = match client.save(auth, t).await {
                Ok(()) => {
                    let action = client.participant.id;
                    start
                        .save(auth, caseload, action, t, &client.reference)
                        .await
                }
                Err(e) => Err(e),
            };
            match saved {
                Ok(()) => {
                    caseload.update(|c| c.participants.push(client.shown_here(me.id)));
                    router.go(Route::Client(client.participant.id));
                }
                Err(e) => {
                    log::warn!("client not saved: {e}");
                    problem.set(t.staff_error_saving, "reference");
                }
            }
        });
    };

    let jobseeker = move || form.kind.with(|k| k == ParticipantKind::Jobseeker.as_str());
    let starts = move || jobseeker() && form.referral.starts();
    view! {
        <ProblemSummary problem />
        <PageHeading text=trs_owned(|t| t.staff_new_client_title) />
        <form class="staff-form" on:submit=submit novalidate>
            <ClientFields form problem />
            <Show when=jobseeker>
                <ReferralFieldset fields=form.referral problem />
            </Show>
            <Show when=starts>
                <StartFieldset fields=form.start problem />
            </Show>
            <Show when=jobseeker>
                <EqualityFieldset fields=form.equality problem />
            </Show>
            <button type="submit" class="button" id="save-client">{trs(|t| t.staff_save_client)}</button>
        </form>
    }
}

/// The form's fields, as typed and chosen.
#[derive(Debug, Clone, Copy)]
struct ClientForm {
    reference: RwSignal<String>,
    kind: RwSignal<String>,
    welsh: RwSignal<bool>,
    consent_surveys: RwSignal<bool>,
    consent_email: RwSignal<bool>,
    given_by: RwSignal<String>,
    method: RwSignal<String>,
    programme: RwSignal<String>,
    referral: ReferralFields,
    start: StartFields,
    equality: EqualityFields,
}

/// The client's own records, checked.
struct Client {
    reference: String,
    participant: NewParticipant,
    consent: NewConsent,
}

impl ClientForm {
    fn new() -> ClientForm {
        ClientForm {
            reference: RwSignal::new(String::new()),
            kind: RwSignal::new("jobseeker".to_owned()),
            welsh: RwSignal::new(false),
            consent_surveys: RwSignal::new(false),
            consent_email: RwSignal::new(false),
            given_by: RwSignal::new("person".to_owned()),
            method: RwSignal::new("verbal".to_owned()),
            programme: RwSignal::new("seqf".to_owned()),
            referral: ReferralFields::optional(),
            start: StartFields::new(),
            equality: EqualityFields::new(),
        }
    }

    /// Checks the fields top to bottom; `taken` says whether a reference is already in the
    /// caseload. A jobseeker's referral and start come with the client.
    fn check(
        self,
        t: &'static StaffMessages,
        taken: impl Fn(&str) -> bool,
    ) -> Result<(Client, Start), Refusal> {
        let reference = Reference::parse(&self.reference.get_untracked())
            .map_err(|_| (t.staff_error_reference.to_owned(), "reference"))?;
        if taken(reference.as_str()) {
            return Err((t.staff_error_reference_taken.to_owned(), "reference"));
        }
        let scopes: Vec<ConsentScope> = [
            (self.consent_surveys, ConsentScope::Surveys),
            (self.consent_email, ConsentScope::Email),
        ]
        .into_iter()
        .filter(|(given, _)| given.get_untracked())
        .map(|(_, scope)| scope)
        .collect();
        if scopes.is_empty() {
            return Err((t.staff_error_consent.to_owned(), "consent-surveys"));
        }
        let kind = ParticipantKind::parse(&self.kind.get_untracked())
            .unwrap_or(ParticipantKind::Jobseeker);
        let programme =
            Programme::parse(&self.programme.get_untracked()).unwrap_or(Programme::Seqf);
        let id = Uuid::new_v4();
        let (start, equality) = match kind {
            ParticipantKind::Jobseeker => (
                Start::check(t, id, programme, self.referral, self.start)?,
                self.equality.check(t)?,
            ),
            ParticipantKind::Employer => (Start::default(), Default::default()),
        };
        let participant = NewParticipant {
            id,
            kind,
            reference: reference.clone(),
            name: None,
            email: None,
            phone: None,
            language: if self.welsh.get_untracked() {
                Language::Welsh
            } else {
                Language::English
            },
            accessibility: Accessibility::default(),
            equality,
        };
        let consent = NewConsent {
            id: Uuid::new_v4(),
            participant_id: id,
            scopes,
            given_by: ConsentGivenBy::parse(&self.given_by.get_untracked())
                .unwrap_or(ConsentGivenBy::Person),
            method: ConsentMethod::parse(&self.method.get_untracked())
                .unwrap_or(ConsentMethod::Verbal),
            text_version: ShortText::parse(CONSENT_TEXT_VERSION)
                .map_err(|_| (t.staff_error_saving.to_owned(), "reference"))?,
            given_at: now(),
        };
        let client = Client {
            reference: reference.as_str().to_owned(),
            participant,
            consent,
        };
        Ok((client, start))
    }
}

impl Client {
    /// Saves the client and their consent in the outbox, in the order the server needs them, as
    /// one thing done (with the referral and start that come with them).
    async fn save(
        &self,
        auth: crate::staff::auth::Auth,
        t: &'static StaffMessages,
    ) -> Result<(), String> {
        let label = |text| fill(text, &[("ref", &self.reference)]);
        let (p, c) = (&self.participant, &self.consent);
        let (client, consent) = (label(t.staff_label_client), label(t.staff_label_consent));
        enqueue_part(auth, p.id, "participant", p.id, &client, p).await?;
        enqueue_part(auth, p.id, "consent", c.id, &consent, c).await
    }

    /// The client as the caseload shows them until the server's copy replaces it after sync.
    fn shown_here(&self, me: Uuid) -> Participant {
        let p = &self.participant;
        Participant {
            id: p.id,
            kind: p.kind,
            reference: p.reference.as_str().to_owned(),
            name: None,
            email: None,
            phone: None,
            language: p.language,
            accessibility: p.accessibility.clone(),
            equality: p.equality.clone(),
            withdrawn: false,
            created_by: me,
            created_at: now(),
        }
    }
}

/// The form's first fields, in the order a first conversation with a client goes.
#[component]
fn ClientFields(form: ClientForm, problem: Problem) -> impl IntoView {
    let t = use_i18n().s();
    let kinds = [
        ("jobseeker", t.staff_kind_jobseeker),
        ("employer", t.staff_kind_employer),
    ];
    let given_by = [
        ("person", t.staff_given_person),
        ("advocate", t.staff_given_advocate),
        ("attorney", t.staff_given_attorney),
        ("parent_or_guardian", t.staff_given_parent),
    ];
    let methods = [
        ("verbal", t.staff_method_verbal),
        ("written", t.staff_method_written),
    ];
    let programmes = [("seqf", "SEQF"), ("ips", "IPS")];
    view! {
        <Input
            id="reference"
            label=trs(|t| t.staff_reference)
            hint=trs(|t| t.staff_reference_hint)
            value=form.reference
            problem
        />
        {radios(trs(|t| t.staff_kind), "kind", &kinds, form.kind)}
        <Checkbox id="welsh" label=trs(|t| t.staff_language_welsh) checked=form.welsh />
        <fieldset class="fieldset">
            <legend class="legend">{trs(|t| t.staff_consent)}</legend>
            <p class="hint">{trs(|t| t.staff_consent_hint)}</p>
            <Checkbox
                id="consent-surveys"
                label=trs(|t| t.staff_consent_surveys)
                checked=form.consent_surveys
            />
            <Checkbox id="consent-email" label=trs(|t| t.staff_consent_email) checked=form.consent_email />
        </fieldset>
        {radios(trs(|t| t.staff_consent_given_by), "given-by", &given_by, form.given_by)}
        {radios(trs(|t| t.staff_consent_method), "method", &methods, form.method)}
        {radios(trs(|t| t.staff_programme), "programme", &programmes, form.programme)}
    }
}
