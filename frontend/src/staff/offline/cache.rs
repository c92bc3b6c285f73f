//! What a specialist needs in the field with no signal, kept on the device for the person logged
//! in: their caseload (participants, episodes and their journeys), the survey wording, and what
//! they recorded here (sessions, scores, journey steps) until the server has it. Nothing else is
//! cached (DESIGN §8), and logging out removes it. It is kept in IndexedDB encrypted with the
//! person's own key (`outbox-core.js`), never in `localStorage`.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use domain::Hundredths;
use domain::coverage::{Answered, CoverageEpisode, EpisodeForms, FormState};
use domain::instrument::InstrumentDefinition;
use domain::journey::{Job, Referral};
use domain::kpi::Timing;
use domain::records::{Episode, NewSession, Participant, SessionRecord};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::journey::LocalChange;
use super::sessions::LocalEdit;
use crate::offline::outbox;
use crate::store;

/// Where an earlier version kept the cache in clear; removed when found.
const OLD_KEY: &str = "soundings-staff-cache";

/// A SWEMWBS form completed on this device, with the score shown to the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalScore {
    pub response_id: Uuid,
    pub episode_id: Uuid,
    pub timing: Timing,
    pub raw: Option<u8>,
    pub metric: Option<Hundredths>,
    pub answered_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cache {
    /// Whose cache this is: another login never reads it.
    pub owner: Option<Uuid>,
    pub participants: Vec<Participant>,
    pub episodes: Vec<Episode>,
    /// Sessions recorded on this device (until logout; the server's copy wins once fetched).
    pub sessions: Vec<NewSession>,
    /// The server's sessions of the episodes this device has fetched, with open conflicts.
    #[serde(default)]
    pub records: Vec<SessionRecord>,
    /// Edits made here that the outbox has not settled yet.
    #[serde(default)]
    pub edits: Vec<LocalEdit>,
    pub scores: Vec<LocalScore>,
    pub instruments: Vec<InstrumentDefinition>,
    /// Who reads the answers and where to get help (the organisation's words), for surveys
    /// handed over here.
    #[serde(default)]
    pub survey_texts: Option<domain::feedback::SurveyTexts>,
    /// Which forms the server knows are done, by episode (answered anywhere).
    #[serde(default)]
    pub forms: Vec<EpisodeForms>,
    /// The caseload's referrals: the server's, and those made here not yet sent.
    #[serde(default)]
    pub referrals: Vec<Referral>,
    /// Jobs of the episodes this device has shown, and those recorded here not yet sent.
    #[serde(default)]
    pub jobs: Vec<Job>,
    /// Changes to jobs and episodes made here that the outbox has not sent yet.
    #[serde(default)]
    pub changes: Vec<LocalChange>,
    pub fetched_at: Option<DateTime<Utc>>,
}

impl Cache {
    pub fn participant(&self, id: Uuid) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    pub fn episodes_of(&self, participant: Uuid) -> Vec<Episode> {
        self.episodes
            .iter()
            .filter(|e| e.participant_id == participant)
            .cloned()
            .collect()
    }

    pub fn episode(&self, id: Uuid) -> Option<&Episode> {
        self.episodes.iter().find(|e| e.id == id)
    }

    /// The episode a participant's answer belongs to now: their open one (an employer's: the
    /// placement they are the employer of), else their latest.
    pub fn current_episode_of(&self, participant: Uuid) -> Option<Uuid> {
        self.episodes
            .iter()
            .filter(|e| e.participant_id == participant || e.employer_id == Some(participant))
            .max_by_key(|e| (e.ended_on.is_none(), e.started_on))
            .map(|e| e.id)
    }

    /// Which forms an episode owes on `today`, by the shared coverage rules: done if the server
    /// knows of an answer or one was given on this phone, whether or not it has been sent.
    pub fn forms_of(&self, episode: &Episode, today: NaiveDate) -> EpisodeForms {
        let known = self.forms.iter().find(|f| f.episode_id == episode.id);
        let given_here = self.scores.iter().filter(|s| s.episode_id == episode.id);
        let answered: HashSet<(Uuid, Answered)> = known
            .into_iter()
            .flat_map(done_by_server)
            .chain(given_here.map(|s| Answered::Swemwbs(s.timing)))
            .map(|what| (episode.id, what))
            .collect();
        let e = CoverageEpisode {
            id: episode.id,
            started_on: episode.started_on,
            ended_on: episode.ended_on,
            job_started_on: episode.job_started_on,
            employer_id: episode.employer_id,
        };
        domain::coverage::forms_of(&e, &answered, today)
    }

    /// Whether a start SWEMWBS was completed here for the episode (so the next is the end one).
    pub fn has_start_score(&self, episode: Option<Uuid>) -> bool {
        self.scores
            .iter()
            .any(|s| Some(s.episode_id) == episode && s.timing == Timing::Start)
    }

    pub fn instrument(
        &self,
        key: domain::instrument::InstrumentKey,
    ) -> Option<&InstrumentDefinition> {
        self.instruments.iter().find(|i| i.key == key)
    }

    /// Takes the server's caseload, keeping records made here that it does not have yet.
    pub fn merge_server(&mut self, participants: Vec<Participant>, episodes: Vec<Episode>) {
        let local_p: Vec<Participant> = self
            .participants
            .drain(..)
            .filter(|p| !participants.iter().any(|s| s.id == p.id))
            .collect();
        let local_e: Vec<Episode> = self
            .episodes
            .drain(..)
            .filter(|e| !episodes.iter().any(|s| s.id == e.id))
            .collect();
        self.participants = participants;
        self.participants.extend(local_p);
        self.episodes = episodes;
        self.episodes.extend(local_e);
        self.participants
            .sort_by_key(|p| p.reference.to_lowercase());
    }
}

/// The forms of an episode the server knows were answered (anywhere).
fn done_by_server(known: &EpisodeForms) -> impl Iterator<Item = Answered> {
    [
        (known.swemwbs_start, Answered::Swemwbs(Timing::Start)),
        (known.swemwbs_end, Answered::Swemwbs(Timing::End)),
        (
            known.jobseeker_satisfaction,
            Answered::JobseekerSatisfaction,
        ),
        (
            known.employer_satisfaction.unwrap_or(FormState::NotYet),
            Answered::EmployerSatisfaction,
        ),
    ]
    .into_iter()
    .filter(|(state, _)| *state == FormState::Done)
    .map(|(_, what)| what)
}

/// The cache as a signal, saved on every change. Reading it from the device takes a moment
/// (it is decrypted): until then it is not [`ready`](Caseload::ready), and the app shows no
/// page and fetches nothing, so nothing is written over the stored copy before it is read.
#[derive(Debug, Clone, Copy)]
pub struct Caseload(RwSignal<Cache>, RwSignal<bool>);

impl Caseload {
    pub fn provide(owner: Option<Uuid>) -> Caseload {
        let caseload = Caseload(RwSignal::new(Cache::default()), RwSignal::new(false));
        caseload.reset(owner);
        provide_context(caseload);
        caseload
    }

    /// Whether the stored copy has been read.
    pub fn ready(self) -> bool {
        self.1.get()
    }

    pub fn with<R>(self, f: impl FnOnce(&Cache) -> R) -> R {
        self.0.with(f)
    }

    pub fn with_untracked<R>(self, f: impl FnOnce(&Cache) -> R) -> R {
        self.0.with_untracked(f)
    }

    pub fn update(self, f: impl FnOnce(&mut Cache)) {
        self.0.update(f);
        let Some((owner, text)) = self.0.with_untracked(|c| {
            let owner = c.owner?;
            match serde_json::to_string(c) {
                Ok(text) => Some((owner.to_string(), text)),
                Err(error) => {
                    log::warn!("could not encode the caseload: {error}");
                    None
                }
            }
        }) else {
            return;
        };
        spawn_local(async move {
            if let Err(error) = outbox::put_caseload(&owner, &text).await {
                log::warn!("could not keep the caseload on the device: {error}");
            }
        });
    }

    /// The person logged in (a new one, or the one found at start): their own cache as this
    /// device kept it (empty until fetched); anyone else's is never read.
    pub fn reset(self, owner: Option<Uuid>) {
        // An earlier version kept it in clear in `localStorage`: moved into the encrypted store
        // (for its own person only), never left there.
        let old = store::get::<Cache>(OLD_KEY).filter(|c| c.owner.is_some() && c.owner == owner);
        store::remove(OLD_KEY);
        self.0.set(Cache {
            owner,
            ..Cache::default()
        });
        let Some(id) = owner else {
            self.1.set(true);
            return;
        };
        self.1.set(false);
        spawn_local(async move {
            let stored = match outbox::get_caseload(&id.to_string()).await {
                Ok(text) => text.and_then(|text| match serde_json::from_str::<Cache>(&text) {
                    Ok(cache) => Some(cache),
                    Err(error) => {
                        log::warn!("ignoring an unreadable cached caseload: {error}");
                        None
                    }
                }),
                Err(error) => {
                    log::warn!("could not read the cached caseload: {error}");
                    None
                }
            };
            crate::survey::load_assisted(id).await;
            // Another login may have come meanwhile: its own read decides then.
            if self.0.with_untracked(|c| c.owner) != Some(id) {
                return;
            }
            match (stored.filter(|c| c.owner == Some(id)), old) {
                (Some(cache), _) => self.0.set(cache),
                (None, Some(old)) => self.update(|c| *c = old),
                (None, None) => {}
            }
            self.1.set(true);
        });
    }

    /// Logging out: the signal forgets this person (what is on the device goes with the rest of
    /// their things, [`outbox::forget_owner`]).
    pub fn purge(self) {
        store::remove(OLD_KEY);
        self.0.set(Cache::default());
        self.1.set(true);
    }
}

pub fn use_caseload() -> Caseload {
    expect_context::<Caseload>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::records::Programme;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 2, d).unwrap()
    }

    #[test]
    fn forms_are_done_when_the_server_knows_or_this_phone_answered_and_due_by_the_dates() {
        let episode = Episode {
            id: Uuid::new_v4(),
            participant_id: Uuid::new_v4(),
            specialist_id: Uuid::new_v4(),
            team_id: None,
            programme: Programme::Seqf,
            referred_on: None,
            started_on: day(1),
            profile_started_on: None,
            job_started_on: None,
            ended_on: Some(day(20)),
            employer_id: None,
            referral_id: None,
            hours_before: None,
            end_reason: None,
        };
        let mut cache = Cache::default();
        // Nothing known yet: by the dates alone.
        let f = cache.forms_of(&episode, day(10));
        assert_eq!(f.swemwbs_start, FormState::Due);
        assert_eq!(f.swemwbs_end, FormState::NotYet);
        // The server knows of the end answer (given on the person's own phone); this phone
        // holds a start form not yet sent.
        cache.forms.push(EpisodeForms {
            episode_id: episode.id,
            swemwbs_start: FormState::Due,
            swemwbs_end: FormState::Done,
            jobseeker_satisfaction: FormState::Due,
            employer_satisfaction: None,
        });
        cache.scores.push(LocalScore {
            response_id: Uuid::new_v4(),
            episode_id: episode.id,
            timing: Timing::Start,
            raw: Some(20),
            metric: None,
            answered_at: DateTime::UNIX_EPOCH,
        });
        let f = cache.forms_of(&episode, day(21));
        assert_eq!(
            (f.swemwbs_start, f.swemwbs_end, f.jobseeker_satisfaction),
            (FormState::Done, FormState::Done, FormState::Due)
        );
        assert_eq!(f.employer_satisfaction, None);
    }
}
