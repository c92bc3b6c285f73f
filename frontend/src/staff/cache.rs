//! What a specialist needs in the field with no signal, kept on the device for the person logged
//! in: their caseload (participants, episodes), the survey wording, and what they recorded here
//! (sessions, scores) until the server has it. Nothing else is cached (DESIGN §8), and logging
//! out removes it.

use chrono::{DateTime, Utc};
use domain::Hundredths;
use domain::instrument::InstrumentDefinition;
use domain::kpi::Timing;
use domain::records::{Episode, NewSession, Participant};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::store;

const KEY: &str = "soundings-staff-cache";

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
    pub sessions: Vec<NewSession>,
    pub scores: Vec<LocalScore>,
    pub instruments: Vec<InstrumentDefinition>,
    /// Who reads the answers and where to get help (the organisation's words), for surveys
    /// handed over here.
    #[serde(default)]
    pub survey_texts: Option<domain::feedback::SurveyTexts>,
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

    /// Whether a start SWEMWBS was completed here for the episode (so the next is the end one).
    pub fn has_start_score(&self, episode: Option<Uuid>) -> bool {
        self.scores
            .iter()
            .any(|s| Some(s.episode_id) == episode && s.timing == Timing::Start)
    }

    pub fn sessions_of(&self, episode: Uuid) -> Vec<NewSession> {
        let mut sessions: Vec<NewSession> = self
            .sessions
            .iter()
            .filter(|s| s.episode_id == episode)
            .cloned()
            .collect();
        sessions.sort_by_key(|s| std::cmp::Reverse(s.held_on));
        sessions
    }

    pub fn instrument(&self, key: &str) -> Option<&InstrumentDefinition> {
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

/// The cache as a signal, saved on every change.
#[derive(Debug, Clone, Copy)]
pub struct Caseload(RwSignal<Cache>);

impl Caseload {
    pub fn provide(owner: Option<Uuid>) -> Caseload {
        let stored = store::get::<Cache>(KEY).filter(|c| c.owner.is_some() && c.owner == owner);
        let caseload = Caseload(RwSignal::new(stored.unwrap_or(Cache {
            owner,
            ..Cache::default()
        })));
        provide_context(caseload);
        caseload
    }

    pub fn with<R>(self, f: impl FnOnce(&Cache) -> R) -> R {
        self.0.with(f)
    }

    pub fn update(self, f: impl FnOnce(&mut Cache)) {
        self.0.update(f);
        self.0.with_untracked(|c| store::set(KEY, c));
    }

    /// A new person logged in: their own (empty until fetched) cache.
    pub fn reset(self, owner: Option<Uuid>) {
        let stored = store::get::<Cache>(KEY).filter(|c| c.owner.is_some() && c.owner == owner);
        self.0.set(stored.unwrap_or(Cache {
            owner,
            ..Cache::default()
        }));
    }

    /// Logging out: nothing of this person's stays on the device.
    pub fn purge(self) {
        store::remove(KEY);
        self.0.set(Cache::default());
    }
}

pub fn use_caseload() -> Caseload {
    expect_context::<Caseload>()
}
