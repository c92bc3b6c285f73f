//! What a specialist needs in the field with no signal, kept on the device for the person logged
//! in: their caseload (participants, episodes), the survey wording, and what they recorded here
//! (sessions, scores) until the server has it. Nothing else is cached (DESIGN §8), and logging
//! out removes it.

use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use domain::Hundredths;
use domain::coverage::EpisodeForms;
use domain::instrument::InstrumentDefinition;
use domain::kpi::Timing;
use domain::records::{
    Episode, NewSession, Participant, SessionConflict, SessionEdit, SessionRecord, Stage,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
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

/// An edit of a session made on this device, kept until the outbox has settled it, so the page
/// shows what the person saved even with no signal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalEdit {
    pub session_id: Uuid,
    pub episode_id: Uuid,
    pub edit: SessionEdit,
}

/// A session as the page shows it: the server's copy (or the one recorded here and not yet
/// sent), the edit of it that waits in the outbox, and the conflicts the server keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionView {
    pub id: Uuid,
    pub episode_id: Uuid,
    pub held_on: chrono::NaiveDate,
    pub duration_minutes: u16,
    pub stage: Stage,
    pub activity: String,
    pub note: Option<String>,
    /// The version this device's copy has (1 for a session the server does not have yet).
    pub version: i32,
    pub updated_at: Option<DateTime<Utc>>,
    /// The server does not have it yet.
    pub local: bool,
    /// An edit saved here that waits to be sent (its values are shown).
    pub pending: Option<SessionEdit>,
    pub conflicts: Vec<SessionConflict>,
}

impl SessionView {
    /// The copy an edit starts from: the edit waiting here if there is one, else the saved one.
    pub fn with_pending(mut self) -> SessionView {
        if let Some(p) = &self.pending {
            self.held_on = p.held_on;
            self.duration_minutes = p.duration_minutes;
            self.stage = p.stage;
            self.activity = p.activity.as_str().to_owned();
            self.note = p.note.as_ref().map(|n| n.as_str().to_owned());
        }
        self
    }

    /// The version a new edit is made from: a waiting edit's own base (the new one replaces it).
    pub fn base_version(&self) -> i32 {
        self.pending
            .as_ref()
            .map_or(self.version, |p| p.base_version)
    }
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
    pub forms: Vec<domain::coverage::EpisodeForms>,
    pub fetched_at: Option<DateTime<Utc>>,
}

impl Cache {
    pub fn participant(&self, id: Uuid) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// How many edits of sessions in these episodes wait for someone to resolve them: kept by
    /// the server beside a newer version, as its copy says or as the outbox says (`in_outbox`:
    /// the outbox's keys of edits it holds as conflicts).
    pub fn conflicts_in(&self, episodes: &[Uuid], in_outbox: &[String]) -> usize {
        let mut edits: HashSet<Uuid> = self
            .records
            .iter()
            .filter(|r| episodes.contains(&r.session.episode_id))
            .flat_map(|r| r.conflicts.iter().map(|c| c.edit_id))
            .collect();
        edits.extend(
            self.edits
                .iter()
                .filter(|e| episodes.contains(&e.episode_id))
                .filter(|e| in_outbox.contains(&e.edit.id.to_string()))
                .map(|e| e.edit.id),
        );
        edits.len()
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
        use domain::coverage::{Answered, CoverageEpisode, FormState};
        let mut answered = HashSet::new();
        if let Some(known) = self.forms.iter().find(|f| f.episode_id == episode.id) {
            for (state, what) in [
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
            ] {
                if state == FormState::Done {
                    answered.insert((episode.id, what));
                }
            }
        }
        for score in self.scores.iter().filter(|s| s.episode_id == episode.id) {
            answered.insert((episode.id, Answered::Swemwbs(score.timing)));
        }
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

    /// The episode's sessions, newest first: the server's, then those only on this device.
    /// `waiting` holds the outbox keys (edit ids) that still wait to be sent.
    pub fn session_views(&self, episode: Uuid, waiting: &[String]) -> Vec<SessionView> {
        let pending = |id: Uuid| {
            self.edits
                .iter()
                .rev()
                .find(|e| e.session_id == id && waiting.contains(&e.edit.id.to_string()))
                .map(|e| e.edit.clone())
        };
        let mut views: Vec<SessionView> = self
            .records
            .iter()
            .filter(|r| r.session.episode_id == episode)
            .map(|r| SessionView {
                id: r.session.id,
                episode_id: episode,
                held_on: r.session.held_on,
                duration_minutes: r.session.duration_minutes,
                stage: r.session.stage,
                activity: r.session.activity.clone(),
                note: r.session.note.clone(),
                version: r.session.version,
                updated_at: Some(r.session.updated_at),
                local: false,
                pending: pending(r.session.id),
                conflicts: r.conflicts.clone(),
            })
            .collect();
        for s in self.sessions.iter().filter(|s| s.episode_id == episode) {
            if views.iter().any(|v| v.id == s.id) {
                continue;
            }
            views.push(SessionView {
                id: s.id,
                episode_id: episode,
                held_on: s.held_on,
                duration_minutes: s.duration_minutes,
                stage: s.stage,
                activity: s.activity.as_str().to_owned(),
                note: s.note.as_ref().map(|n| n.as_str().to_owned()),
                version: 1,
                updated_at: None,
                local: true,
                pending: pending(s.id),
                conflicts: Vec::new(),
            });
        }
        views.sort_by_key(|v| std::cmp::Reverse(v.held_on));
        views
    }

    pub fn session_view(&self, id: Uuid, waiting: &[String]) -> Option<SessionView> {
        let episode = self
            .records
            .iter()
            .find(|r| r.session.id == id)
            .map(|r| r.session.episode_id)
            .or_else(|| {
                self.sessions
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| s.episode_id)
            })?;
        self.session_views(episode, waiting)
            .into_iter()
            .find(|v| v.id == id)
    }

    /// Takes the server's sessions of one episode. Edits the outbox no longer holds as waiting
    /// (`waiting`: its keys) have reached the server, so the server's copy now tells their story.
    pub fn merge_sessions(
        &mut self,
        episode: Uuid,
        records: Vec<SessionRecord>,
        waiting: &[String],
    ) {
        self.records.retain(|r| r.session.episode_id != episode);
        self.records.extend(records);
        self.edits
            .retain(|e| e.episode_id != episode || waiting.contains(&e.edit.id.to_string()));
    }

    /// Puts one session's server copy in place (after resolving a conflict).
    pub fn put_record(&mut self, record: SessionRecord) {
        self.records.retain(|r| r.session.id != record.session.id);
        self.records.push(record);
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

    pub fn with_untracked<R>(self, f: impl FnOnce(&Cache) -> R) -> R {
        self.0.with_untracked(f)
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

#[cfg(test)]
mod tests {
    use super::*;
    use domain::coverage::FormState;
    use domain::records::{LongText, Programme, Session, ShortText};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 2, d).unwrap()
    }

    fn record(id: Uuid, episode: Uuid, version: i32, note: &str) -> SessionRecord {
        SessionRecord {
            session: Session {
                id,
                episode_id: episode,
                author_id: Uuid::new_v4(),
                held_on: day(1),
                duration_minutes: 45,
                stage: Stage::Engagement,
                activity: "First meeting".to_owned(),
                note: Some(note.to_owned()),
                version,
                updated_at: DateTime::UNIX_EPOCH,
            },
            conflicts: Vec::new(),
        }
    }

    fn edit(base_version: i32, note: &str) -> SessionEdit {
        SessionEdit {
            id: Uuid::new_v4(),
            base_version,
            held_on: day(1),
            duration_minutes: 60,
            stage: Stage::VocationalProfiling,
            activity: ShortText::parse("First meeting").unwrap(),
            note: Some(LongText::parse(note).unwrap()),
        }
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

    #[test]
    fn conflicts_are_counted_once_whether_the_server_or_the_outbox_says_so() {
        let (episode, other, session) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let kept = edit(1, "edited on two phones");
        let mut server = record(session, episode, 2, "saved");
        server.conflicts.push(SessionConflict {
            edit_id: kept.id,
            author_id: Uuid::new_v4(),
            base_version: 1,
            held_on: day(1),
            duration_minutes: 60,
            stage: Stage::VocationalProfiling,
            activity: "First meeting".to_owned(),
            note: None,
            made_at: DateTime::UNIX_EPOCH,
        });
        let only_in_outbox = edit(2, "sent from here");
        let cache = Cache {
            records: vec![server],
            edits: vec![
                LocalEdit {
                    session_id: session,
                    episode_id: episode,
                    edit: kept.clone(),
                },
                LocalEdit {
                    session_id: session,
                    episode_id: episode,
                    edit: only_in_outbox.clone(),
                },
            ],
            ..Cache::default()
        };
        let outbox = vec![kept.id.to_string(), only_in_outbox.id.to_string()];
        assert_eq!(cache.conflicts_in(&[episode], &outbox), 2);
        // An edit the outbox still sends (not a conflict) is not counted.
        assert_eq!(cache.conflicts_in(&[episode], &[]), 1);
        assert_eq!(cache.conflicts_in(&[other], &outbox), 0);
    }

    #[test]
    fn a_waiting_edit_is_shown_and_the_next_edit_keeps_its_base_version() {
        let (episode, session) = (Uuid::new_v4(), Uuid::new_v4());
        let waiting = edit(2, "edited on the phone");
        let cache = Cache {
            records: vec![record(session, episode, 2, "saved")],
            edits: vec![LocalEdit {
                session_id: session,
                episode_id: episode,
                edit: waiting.clone(),
            }],
            ..Cache::default()
        };
        let keys = vec![waiting.id.to_string()];
        let view = cache.session_view(session, &keys).unwrap();
        assert_eq!(view.note.as_deref(), Some("saved"));
        assert_eq!(view.pending.as_ref(), Some(&waiting));
        assert_eq!(view.base_version(), 2);
        let shown = view.with_pending();
        assert_eq!(shown.note.as_deref(), Some("edited on the phone"));
        assert_eq!(shown.duration_minutes, 60);
        // Once the outbox no longer holds it as waiting, the server's copy tells the story.
        let settled = cache.session_view(session, &[]).unwrap();
        assert_eq!(settled.pending, None);
    }

    #[test]
    fn sessions_made_here_are_listed_until_the_server_has_them_newest_first() {
        let episode = Uuid::new_v4();
        let local = NewSession {
            id: Uuid::new_v4(),
            episode_id: episode,
            held_on: day(9),
            duration_minutes: 30,
            stage: Stage::JobFinding,
            activity: ShortText::parse("CV writing").unwrap(),
            note: None,
        };
        let server = record(Uuid::new_v4(), episode, 1, "saved");
        let mut cache = Cache {
            sessions: vec![local.clone()],
            records: vec![
                server.clone(),
                record(Uuid::new_v4(), Uuid::new_v4(), 1, "other"),
            ],
            ..Cache::default()
        };
        let views = cache.session_views(episode, &[]);
        assert_eq!(views.len(), 2);
        assert_eq!(
            (views[0].id, views[0].local, views[0].version),
            (local.id, true, 1)
        );
        assert_eq!((views[1].id, views[1].local), (server.session.id, false));
        // The server now has it too: shown once, as the server's.
        let mut arrived = record(local.id, episode, 1, "");
        arrived.session.held_on = day(9);
        cache.merge_sessions(episode, vec![server, arrived], &[]);
        let views = cache.session_views(episode, &[]);
        assert_eq!(views.len(), 2);
        assert!(views.iter().all(|v| !v.local));
    }

    #[test]
    fn merging_an_episode_keeps_edits_still_in_the_outbox_and_other_episodes() {
        let (episode, other) = (Uuid::new_v4(), Uuid::new_v4());
        let local = |episode_id, e: &SessionEdit| LocalEdit {
            session_id: Uuid::new_v4(),
            episode_id,
            edit: e.clone(),
        };
        let (kept, sent, elsewhere) = (edit(1, "a"), edit(1, "b"), edit(1, "c"));
        let mut cache = Cache {
            edits: vec![
                local(episode, &kept),
                local(episode, &sent),
                local(other, &elsewhere),
            ],
            ..Cache::default()
        };
        cache.merge_sessions(episode, Vec::new(), &[kept.id.to_string()]);
        let left: Vec<Uuid> = cache.edits.iter().map(|e| e.edit.id).collect();
        assert_eq!(left, vec![kept.id, elsewhere.id]);
    }
}
