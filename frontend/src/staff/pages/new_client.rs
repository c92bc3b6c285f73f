//! Registering a client: the participant, their consent and (for a jobseeker) an episode of
//! support, all saved to the outbox first, so it works with no signal; the caseload shows them
//! at once.

use chrono::NaiveDate;
use domain::auth::Me;
use domain::records::{
    Accessibility, ConsentGivenBy, ConsentMethod, ConsentScope, Episode, Equality, Language,
    NewConsent, NewEpisode, NewParticipant, Participant, ParticipantKind, Programme, Reference,
    ShortText,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::components::{ErrorSummary, PageHeading};
use crate::i18n::{StaffMessages, fill, use_i18n};
use crate::staff::auth::{Auth, use_auth};
use crate::staff::components::form::{Checkbox, Field, radios};
use crate::staff::offline::outbox::enqueue;
use crate::staff::offline::use_caseload;
use crate::staff::route::{Route, use_router};
use crate::staff::text::{trs, trs_owned};
use crate::staff::time::{now, today};

/// The consent wording's version the form shows (kept with each consent record).
const CONSENT_TEXT_VERSION: &str = "staff-app-consent-2026-11";

/// What to say about a field, and the id of the field at fault.
type Problem = (&'static str, &'static str);

#[component]
pub fn NewClientPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let caseload = use_caseload();
    let router = use_router();
    let form = ClientForm::new();
    let error = RwSignal::new(None::<Problem>);

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
        let checked = match form.check(t, taken) {
            Ok(checked) => checked,
            Err(problem) => {
                error.set(Some(problem));
                return;
            }
        };
        let Some(me) = auth.me_untracked() else {
            return;
        };
        let Ok(text_version) = ShortText::parse(CONSENT_TEXT_VERSION) else {
            return;
        };
        let records = checked.records(text_version);
        let (local, local_episode) = records.shown_here(&me);
        let label = checked.reference.as_str().to_owned();
        spawn_local(async move {
            match save(auth, t, &records, &label).await {
                Ok(()) => {
                    caseload.update(|c| {
                        c.participants.push(local);
                        c.episodes.extend(local_episode);
                    });
                    router.go(Route::Client(records.participant.id));
                }
                Err(e) => {
                    log::warn!("client not saved: {e}");
                    error.set(Some((t.staff_error_saving, "reference")));
                }
            }
        });
    };

    view! {
        {move || error.get().map(|(message, target)| view! { <ErrorSummary message=message target=target /> })}
        <PageHeading text=trs_owned(|t| t.staff_new_client_title) />
        <form class="staff-form" on:submit=submit novalidate>
            <ClientFields form />
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
    started_on: RwSignal<String>,
}

/// The form's values, checked.
struct Checked {
    reference: Reference,
    kind: ParticipantKind,
    language: Language,
    scopes: Vec<ConsentScope>,
    given_by: ConsentGivenBy,
    method: ConsentMethod,
    programme: Programme,
    started: NaiveDate,
}

impl ClientForm {
    fn new() -> ClientForm {
        ClientForm {
            reference: RwSignal::new(String::new()),
            kind: RwSignal::new("jobseeker".to_owned()),
            welsh: RwSignal::new(false),
            consent_surveys: RwSignal::new(true),
            consent_email: RwSignal::new(false),
            given_by: RwSignal::new("person".to_owned()),
            method: RwSignal::new("verbal".to_owned()),
            programme: RwSignal::new("seqf".to_owned()),
            started_on: RwSignal::new(today().to_string()),
        }
    }

    /// Checks the fields that can be wrong, top to bottom; `taken` says whether a reference is
    /// already in the caseload.
    fn check(
        self,
        t: &'static StaffMessages,
        taken: impl Fn(&str) -> bool,
    ) -> Result<Checked, Problem> {
        let reference = Reference::parse(&self.reference.get_untracked())
            .map_err(|_| (t.staff_error_reference, "reference"))?;
        if taken(reference.as_str()) {
            return Err((t.staff_error_reference_taken, "reference"));
        }
        let started = self
            .started_on
            .get_untracked()
            .parse::<NaiveDate>()
            .map_err(|_| (t.staff_error_date, "started-on"))?;
        let scopes: Vec<ConsentScope> = [
            (self.consent_surveys, ConsentScope::Surveys),
            (self.consent_email, ConsentScope::Email),
        ]
        .into_iter()
        .filter(|(given, _)| given.get_untracked())
        .map(|(_, scope)| scope)
        .collect();
        if scopes.is_empty() {
            return Err((t.staff_error_consent, "consent-surveys"));
        }
        Ok(Checked {
            reference,
            kind: ParticipantKind::parse(&self.kind.get_untracked())
                .unwrap_or(ParticipantKind::Jobseeker),
            language: if self.welsh.get_untracked() {
                Language::Welsh
            } else {
                Language::English
            },
            scopes,
            given_by: ConsentGivenBy::parse(&self.given_by.get_untracked())
                .unwrap_or(ConsentGivenBy::Person),
            method: ConsentMethod::parse(&self.method.get_untracked())
                .unwrap_or(ConsentMethod::Verbal),
            programme: Programme::parse(&self.programme.get_untracked()).unwrap_or(Programme::Seqf),
            started,
        })
    }
}

/// The records a client is registered with, as the server takes them.
struct Records {
    participant: NewParticipant,
    consent: NewConsent,
    /// A jobseeker's episode of support (an employer has none of their own).
    episode: Option<NewEpisode>,
}

impl Checked {
    fn records(&self, text_version: ShortText) -> Records {
        let participant = NewParticipant {
            id: Uuid::new_v4(),
            kind: self.kind,
            reference: self.reference.clone(),
            name: None,
            email: None,
            phone: None,
            language: self.language,
            accessibility: Accessibility::default(),
            equality: Equality::default(),
        };
        let consent = NewConsent {
            id: Uuid::new_v4(),
            participant_id: participant.id,
            scopes: self.scopes.clone(),
            given_by: self.given_by,
            method: self.method,
            text_version,
            given_at: now(),
        };
        let episode = (self.kind == ParticipantKind::Jobseeker).then(|| NewEpisode {
            id: Uuid::new_v4(),
            participant_id: participant.id,
            specialist_id: None,
            programme: self.programme,
            referred_on: None,
            started_on: self.started,
            profile_started_on: None,
            job_started_on: None,
            ended_on: None,
            employer_id: None,
            referral_id: None,
            hours_before: None,
            end_reason: None,
        });
        Records {
            participant,
            consent,
            episode,
        }
    }
}

impl Records {
    /// The client and episode as the caseload shows them from the device until the server's
    /// copies replace them after sync.
    fn shown_here(&self, me: &Me) -> (Participant, Option<Episode>) {
        let p = &self.participant;
        let text = |t: &Option<ShortText>| t.as_ref().map(|t| t.as_str().to_owned());
        let participant = Participant {
            id: p.id,
            kind: p.kind,
            reference: p.reference.as_str().to_owned(),
            name: text(&p.name),
            email: p.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: text(&p.phone),
            language: p.language,
            accessibility: p.accessibility.clone(),
            equality: p.equality.clone(),
            withdrawn: false,
            created_by: me.id,
            created_at: now(),
        };
        let episode = self.episode.as_ref().map(|e| Episode {
            id: e.id,
            participant_id: e.participant_id,
            specialist_id: me.id,
            team_id: me.team_id,
            programme: e.programme,
            referred_on: e.referred_on,
            started_on: e.started_on,
            profile_started_on: e.profile_started_on,
            job_started_on: e.job_started_on,
            ended_on: e.ended_on,
            employer_id: e.employer_id,
            referral_id: e.referral_id,
            hours_before: e.hours_before,
            end_reason: e.end_reason,
        });
        (participant, episode)
    }
}

/// Saves the records in the outbox in the order the server needs them: the client first.
async fn save(
    auth: Auth,
    t: &'static StaffMessages,
    records: &Records,
    reference: &str,
) -> Result<(), String> {
    let label = |text| fill(text, &[("ref", reference)]);
    let Records {
        participant,
        consent,
        episode,
    } = records;
    enqueue(
        auth,
        "participant",
        participant.id,
        &label(t.staff_label_client),
        participant,
    )
    .await?;
    enqueue(
        auth,
        "consent",
        consent.id,
        &label(t.staff_label_consent),
        consent,
    )
    .await?;
    if let Some(episode) = episode {
        enqueue(
            auth,
            "episode",
            episode.id,
            &label(t.staff_label_episode),
            episode,
        )
        .await?;
    }
    Ok(())
}

/// The form's fields, in the order a first conversation with a client goes.
#[component]
fn ClientFields(form: ClientForm) -> impl IntoView {
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
        <Field id="reference" label=trs(|t| t.staff_reference) hint=trs(|t| t.staff_reference_hint)>
            <input
                class="input"
                id="reference"
                name="reference"
                autocomplete="off"
                aria-describedby="reference-hint"
                bind:value=form.reference
            />
        </Field>
        {radios(trs(|t| t.staff_kind), "kind", &kinds, form.kind)}
        <Checkbox id="welsh" label=trs(|t| t.staff_language_welsh) checked=form.welsh />
        <fieldset class="fieldset">
            <legend class="legend">{trs(|t| t.staff_consent)}</legend>
            <p class="hint">{trs(|t| t.staff_consent_hint)}</p>
            <Checkbox id="consent-surveys" label=trs(|t| t.staff_consent_surveys) checked=form.consent_surveys />
            <Checkbox id="consent-email" label=trs(|t| t.staff_consent_email) checked=form.consent_email />
        </fieldset>
        {radios(trs(|t| t.staff_consent_given_by), "given-by", &given_by, form.given_by)}
        {radios(trs(|t| t.staff_consent_method), "method", &methods, form.method)}
        {radios(trs(|t| t.staff_programme), "programme", &programmes, form.programme)}
        <Field id="started-on" label=trs(|t| t.staff_started_on)>
            <input class="input input-date" id="started-on" type="date" bind:value=form.started_on />
        </Field>
    }
}
