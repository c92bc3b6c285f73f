//! A survey handed to the client on the specialist's phone (DESIGN §3, "assisted completion"):
//! the specialist chooses the survey, when in support and how the person will answer; then the
//! person sees the very screens of their own phone (one question per page, Easy Read, read
//! aloud, Welsh), with the staff menus out of sight. The answer waits in the specialist's outbox
//! like every field record, offline included, recorded as answered on a staff device.

use domain::auth::Me;
use domain::feedback::SurveyTexts;
use domain::instrument::{InstrumentDefinition, Texts};
use domain::instrument::{InstrumentKey, InstrumentKind};
use domain::kpi::Timing;
use domain::records::{Language, Participant, ParticipantKind, Survey};
use leptos::prelude::*;
use uuid::Uuid;

use crate::components::{ErrorSummary, PageHeading};
use crate::i18n::{Lang, fill, use_i18n};
use crate::prefs::use_prefs;
use crate::staff::auth::use_auth;
use crate::staff::components::form::{radio, radios, timing_choice};
use crate::staff::components::not_found::not_found_view;
use crate::staff::offline::{LocalScore, use_caseload};
use crate::staff::route::{Link, Route, use_router};
use crate::staff::text::{trs, trs_owned};
use crate::staff::time::now;
use crate::survey::{self, Assisted, Draft, HandBack, SurveyFlow};

/// Which survey is handed over: the wellbeing scale, or the satisfaction survey for this kind of
/// participant (jobseeker or employer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    Swemwbs,
    Satisfaction,
}

impl Ask {
    pub fn as_str(self) -> &'static str {
        match self {
            Ask::Swemwbs => "swemwbs",
            Ask::Satisfaction => "satisfaction",
        }
    }

    pub fn parse(text: &str) -> Option<Ask> {
        match text {
            "swemwbs" => Some(Ask::Swemwbs),
            "satisfaction" => Some(Ask::Satisfaction),
            _ => None,
        }
    }

    fn instrument(self, kind: ParticipantKind) -> InstrumentKey {
        match self {
            Ask::Swemwbs => InstrumentKey::Swemwbs,
            Ask::Satisfaction => kind.audience().satisfaction_instrument(),
        }
    }
}

/// The client page's way in: the surveys this person can answer here and now.
#[component]
pub fn HandOverLinks(participant: Uuid, kind: ParticipantKind) -> impl IntoView {
    view! {
        <section class="handover-box" aria-labelledby="handover-title">
            <h2 id="handover-title">{trs(|t| t.staff_handover_title)}</h2>
            <p class="hint">{trs(|t| t.staff_handover_lead)}</p>
            <div class="button-group">
                {(kind == ParticipantKind::Jobseeker).then(|| view! {
                    <Link route=Route::Ask(participant, Ask::Swemwbs) class="button">
                        {trs(|t| t.staff_handover_swemwbs)}
                    </Link>
                })}
                <Link route=Route::Ask(participant, Ask::Satisfaction) class="button button-secondary">
                    {trs(|t| t.staff_handover_satisfaction)}
                </Link>
            </div>
        </section>
    }
}

/// While the client holds the phone the staff menus are hidden (their caseload is not theirs to
/// browse). Provided by the staff app.
#[derive(Debug, Clone, Copy)]
pub struct HandedOver(pub RwSignal<bool>);

#[component]
pub fn AskPage(participant: Uuid, ask: Ask) -> impl IntoView {
    let caseload = use_caseload();
    let Some(person) = caseload.with(|c| c.participant(participant).cloned()) else {
        return not_found_view().into_any();
    };
    let key = ask.instrument(person.kind);
    let Some(instrument) = caseload.with(|c| c.instrument(key).cloned()) else {
        return view! {
            <PageHeading text=trs_owned(|t| t.staff_ask_title) />
            <p>{trs(|t| t.staff_swemwbs_unavailable)}</p>
        }
        .into_any();
    };
    let episode = caseload.with(|c| c.current_episode_of(participant));
    if ask == Ask::Swemwbs && episode.is_none() {
        return not_found_view().into_any();
    }
    // A survey handed over here and not finished (the phone was taken back half-way, or the
    // app was closed) carries on where it stopped.
    let handed = RwSignal::new(episode.and_then(|e| survey::assisted_unfinished(e, key.as_str())));
    view! {
        {move || match handed.get() {
            // The survey's signal belongs to this branch, not to the form that made it.
            Some(draft) => view! { <Handed draft=RwSignal::new(draft) participant /> }.into_any(),
            None => {
                view! {
                    <Setup person=person.clone() instrument=instrument.clone() episode handed />
                }
                    .into_any()
            }
        }}
    }
    .into_any()
}

/// The specialist's choices before handing the phone over.
#[component]
fn Setup(
    person: Participant,
    instrument: InstrumentDefinition,
    episode: Option<Uuid>,
    handed: RwSignal<Option<Draft>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let caseload = use_caseload();
    let prefs = use_prefs();
    let is_swemwbs = instrument.kind == InstrumentKind::Swemwbs;
    let has_start = caseload.with(|c| c.has_start_score(episode));
    let timing = RwSignal::new(if has_start { "end" } else { "start" }.to_owned());
    let how = RwSignal::new(String::new());
    let language = RwSignal::new(person.language.as_str().to_owned());
    let missing = RwSignal::new(false);
    let title = survey::text(&instrument.title, i18n.lang().code()).to_owned();
    let reference = person.reference.clone();
    let stored = StoredValue::new((person, instrument));

    let hand_over = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let helped = match how.get_untracked().as_str() {
            "alone" => false,
            "helped" => true,
            _ => {
                missing.set(true);
                return;
            }
        };
        let Some(me) = auth.me_untracked() else {
            return;
        };
        let (person, instrument) = stored.get_value();
        let language = Language::parse(&language.get_untracked()).unwrap_or(Language::English);
        let timing =
            is_swemwbs.then(|| Timing::parse(&timing.get_untracked()).unwrap_or(Timing::Start));
        let label = fill(
            i18n.s().staff_label_assisted,
            &[
                ("ref", &person.reference),
                ("survey", survey::text(&instrument.title, "en")),
            ],
        );
        let texts = caseload.with(|c| c.survey_texts.clone());
        let survey = survey_for(&me, &person, instrument, timing, language, texts);
        let draft = Draft::handed_over(
            survey,
            Assisted {
                owner: me.id,
                specialist: me.name.clone(),
                participant_id: person.id,
                episode_id: episode,
                helped,
                label,
            },
        );
        // The person's recorded needs: their language and display, as on their own phone.
        if let Some(lang) = Lang::from_tag(language.as_str()) {
            i18n.set(lang);
        }
        prefs.at_least(
            person.accessibility.large_text,
            person.accessibility.high_contrast,
        );
        handed.set(Some(draft));
    };

    let t = i18n.s();
    let languages = [("en", "English"), ("cy", "Cymraeg")];
    view! {
        {move || {
            missing
                .get()
                .then(|| view! { <ErrorSummary message=i18n.s().staff_ask_how_missing target="how-alone" /> })
        }}
        <PageHeading
            text=Signal::derive(move || fill(i18n.s().staff_ask_heading, &[("ref", &reference)]))
            caption=Signal::derive(move || title.clone())
        />
        <p class="hint">{trs(|t| t.staff_ask_lead)}</p>
        <form class="staff-form" on:submit=hand_over novalidate>
            {is_swemwbs.then(|| timing_choice("timing", timing))}
            <fieldset class="fieldset" class:fieldset-error=move || missing.get()>
                <legend class="legend">{trs(|t| t.staff_ask_how)}</legend>
                {move || missing.get().then(|| view! {
                    <p class="error-message">{trs(|t| t.staff_ask_how_missing)}</p>
                })}
                <div class="radios">
                    {radio("how", "alone", t.staff_ask_alone, how)}
                    {radio("how", "helped", t.staff_ask_helped, how)}
                </div>
            </fieldset>
            {radios(trs(|t| t.staff_ask_language), "ask-language", &languages, language)}
            <button type="submit" class="button" id="hand-over">{trs(|t| t.staff_ask_button)}</button>
        </form>
    }
}

/// The person's screens, with the way back to the specialist at the end.
#[component]
fn Handed(draft: RwSignal<Draft>, participant: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let caseload = use_caseload();
    let router = use_router();
    let handed_over = use_context::<HandedOver>();
    let specialist_lang = i18n.lang();
    if let Some(h) = handed_over {
        h.0.set(true);
    }
    let sent = Callback::new(move |sent: Draft| {
        // Shown on the client's page at once, before the server has it.
        if let (Some(score), Some(assisted)) = (sent.score, sent.assisted.as_ref())
            && let (Some(episode), Some(timing)) = (assisted.episode_id, sent.survey.timing)
        {
            let local = LocalScore {
                response_id: sent.response_id,
                episode_id: episode,
                timing,
                raw: Some(score.raw),
                metric: Some(score.metric),
                answered_at: sent.sent_at.unwrap_or_else(now),
            };
            caseload.update(|c| c.scores.push(local));
        }
    });
    let back = Callback::new(move |()| {
        draft.with_untracked(survey::forget_assisted);
        router.go(Route::Client(participant));
    });
    provide_context(HandBack { sent, back });
    // However the specialist leaves (finish, or the phone's back button): their language and
    // menus come back.
    on_cleanup(move || {
        i18n.set(specialist_lang);
        if let Some(h) = handed_over {
            h.0.set(false);
        }
    });
    view! { <SurveyFlow draft /> }
}

/// The survey as the person's own phone would show it, from what this phone holds.
fn survey_for(
    me: &Me,
    person: &Participant,
    instrument: InstrumentDefinition,
    timing: Option<Timing>,
    language: Language,
    texts: Option<SurveyTexts>,
) -> Survey {
    let (readers, help) = match texts {
        Some(t) => (t.readers, t.help),
        None => (default_readers(&me.organisation_name), Default::default()),
    };
    Survey {
        // Only a key for this phone's copy: no invitation is behind a handed-over survey.
        invitation_id: Uuid::new_v4(),
        organisation_name: me.organisation_name.clone(),
        instrument,
        timing,
        language,
        accessibility: person.accessibility.clone(),
        expires_at: now() + chrono::Duration::days(1),
        answered: false,
        invitation_answered: false,
        readers,
        help,
    }
}

/// Before the organisation's own words have reached this phone: the default, in both languages.
fn default_readers(organisation: &str) -> Texts {
    [Lang::En, Lang::Cy]
        .into_iter()
        .map(|lang| {
            (
                lang.code().to_owned(),
                fill(
                    lang.staff().staff_readers_default,
                    &[("organisation", organisation)],
                ),
            )
        })
        .collect()
}
