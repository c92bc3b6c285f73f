//! Sessions as the client page shows them: the server's copies kept for offline use, those
//! recorded here and not yet sent, edits waiting in the outbox, and the conflicts the server
//! keeps for a person to resolve.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use domain::records::{NewSession, SessionConflict, SessionEdit, SessionRecord, Stage};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::cache::Cache;

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
    pub held_on: NaiveDate,
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
    /// The server's copy of a session.
    fn saved(record: &SessionRecord, pending: Option<SessionEdit>) -> SessionView {
        let s = &record.session;
        SessionView {
            id: s.id,
            episode_id: s.episode_id,
            held_on: s.held_on,
            duration_minutes: s.duration_minutes,
            stage: s.stage,
            activity: s.activity.clone(),
            note: s.note.clone(),
            version: s.version,
            updated_at: Some(s.updated_at),
            local: false,
            pending,
            conflicts: record.conflicts.clone(),
        }
    }

    /// A session recorded on this device that the server does not have yet.
    fn made_here(s: &NewSession, pending: Option<SessionEdit>) -> SessionView {
        SessionView {
            id: s.id,
            episode_id: s.episode_id,
            held_on: s.held_on,
            duration_minutes: s.duration_minutes,
            stage: s.stage,
            activity: s.activity.as_str().to_owned(),
            note: s.note.as_ref().map(|n| n.as_str().to_owned()),
            version: 1,
            updated_at: None,
            local: true,
            pending,
            conflicts: Vec::new(),
        }
    }

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

impl Cache {
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

    /// The episode's sessions, newest first: the server's, then those only on this device.
    /// `waiting` holds the outbox keys (edit ids) that still wait to be sent.
    pub fn session_views(&self, episode: Uuid, waiting: &[String]) -> Vec<SessionView> {
        let pending = |id: Uuid| self.pending_edit(id, waiting);
        let mut views: Vec<SessionView> = self
            .records
            .iter()
            .filter(|r| r.session.episode_id == episode)
            .map(|r| SessionView::saved(r, pending(r.session.id)))
            .collect();
        for s in self.sessions.iter().filter(|s| s.episode_id == episode) {
            if !views.iter().any(|v| v.id == s.id) {
                views.push(SessionView::made_here(s, pending(s.id)));
            }
        }
        views.sort_by_key(|v| std::cmp::Reverse(v.held_on));
        views
    }

    /// The latest edit of a session made here that the outbox still holds as waiting.
    fn pending_edit(&self, session: Uuid, waiting: &[String]) -> Option<SessionEdit> {
        self.edits
            .iter()
            .rev()
            .find(|e| e.session_id == session && waiting.contains(&e.edit.id.to_string()))
            .map(|e| e.edit.clone())
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::records::{LongText, Session, ShortText};

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
