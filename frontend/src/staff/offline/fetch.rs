//! Bringing the server's copy into the device's cache: the caseload (with its referrals, and the
//! sessions and jobs of one's open episodes) at every start and after every sync, an episode's
//! sessions and jobs whenever its card is shown.
//! With no signal the cache keeps what it has.

use domain::records::SessionRecord;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::cache::{Cache, Caseload};
use super::outbox::my_keys;
use crate::offline::outbox::{self, Listed, Status};
use crate::staff::api;
use crate::staff::auth::Auth;
use crate::staff::time::now;

/// Refreshes the cached caseload from the server; offline it keeps what it has.
pub fn caseload(auth: Auth, caseload: Caseload) {
    spawn_local(async move {
        let Some(me) = auth.me_untracked() else {
            return;
        };
        let (participants, episodes) = (api::participants(auth).await, api::episodes(auth).await);
        match (participants, episodes) {
            (Ok(participants), Ok(episodes)) => {
                let extras = Extras::fetch(auth).await;
                let waiting = my_keys(auth, Status::Waiting).await;
                // The login may have changed while we waited.
                if auth.me_untracked().map(|m| m.id) != Some(me.id) {
                    return;
                }
                // The jobs and sessions of one's own open episodes come too, so their
                // journeys and histories (and the stage the next session starts at) read
                // offline even if their page was never opened with a signal.
                let open: Vec<Uuid> = episodes
                    .iter()
                    .filter(|e| e.specialist_id == me.id && e.ended_on.is_none())
                    .map(|e| e.id)
                    .collect();
                caseload.update(|c| {
                    c.owner = Some(me.id);
                    c.merge_server(participants, episodes);
                    extras.put_in(c, &waiting);
                    c.reapply_changes(&waiting);
                    c.fetched_at = Some(now());
                });
                for episode in open {
                    jobs(auth, caseload, episode).await;
                    sessions(auth, caseload, episode).await;
                }
            }
            (Err(error), _) | (_, Err(error)) => log::info!("caseload not refreshed: {error}"),
        }
    });
}

/// What comes with the caseload, each kept from the last fetch when the server cannot give it.
struct Extras {
    instruments: Option<Vec<domain::instrument::InstrumentDefinition>>,
    survey_texts: Option<domain::feedback::SurveyTexts>,
    forms: Option<Vec<domain::coverage::EpisodeForms>>,
    referrals: Option<Vec<domain::journey::Referral>>,
}

impl Extras {
    async fn fetch(auth: Auth) -> Extras {
        Extras {
            instruments: api::instruments(auth).await.ok(),
            survey_texts: api::survey_texts(auth).await.ok(),
            forms: api::caseload_forms(auth).await.ok(),
            referrals: api::referrals(auth).await.ok(),
        }
    }

    /// Into the cache; `waiting`: the outbox's keys of records still to send.
    fn put_in(self, c: &mut Cache, waiting: &[String]) {
        if let Some(instruments) = self.instruments {
            c.instruments = instruments;
        }
        if self.survey_texts.is_some() {
            c.survey_texts = self.survey_texts;
        }
        if let Some(forms) = self.forms {
            c.forms = forms;
        }
        if let Some(referrals) = self.referrals {
            c.merge_referrals(referrals, waiting);
        }
    }
}

/// Takes the server's jobs of an episode into the cache, keeping those recorded here that still
/// wait to be sent, with the changes made here laid over them.
pub async fn jobs(auth: Auth, caseload: Caseload, episode: Uuid) {
    let Some(me) = auth.me_untracked() else {
        return;
    };
    let jobs = match api::episode_jobs(auth, episode).await {
        Ok(jobs) => jobs,
        Err(error) => {
            log::info!("jobs not refreshed: {error}");
            return;
        }
    };
    let waiting = my_keys(auth, Status::Waiting).await;
    if auth.me_untracked().map(|m| m.id) != Some(me.id) {
        return;
    }
    caseload.update(|c| {
        c.merge_jobs(episode, jobs, &waiting);
        c.reapply_changes(&waiting);
    });
}

/// Takes the server's sessions of an episode into the cache. An edit the server kept as a
/// conflict stays in the outbox (shown there) until the conflict is resolved, here or elsewhere.
pub async fn sessions(auth: Auth, caseload: Caseload, episode: Uuid) {
    let Some(me) = auth.me_untracked() else {
        return;
    };
    let records = match api::episode_sessions(auth, episode).await {
        Ok(records) => records,
        Err(error) => {
            log::info!("sessions not refreshed: {error}");
            return;
        }
    };
    let listed = outbox::list(&me.id.to_string()).await.unwrap_or_default();
    let mine: Vec<String> = caseload.with_untracked(|c| {
        c.edits
            .iter()
            .filter(|e| e.episode_id == episode)
            .map(|e| e.edit.id.to_string())
            .collect()
    });
    let keep = still_held(listed, &records, &mine).await;
    if auth.me_untracked().map(|m| m.id) != Some(me.id) {
        return;
    }
    caseload.update(|c| c.merge_sessions(episode, records, &keep));
}

/// The outbox keys of edits still to show beside the server's copy: those waiting, and this
/// episode's (`mine`) that the server keeps as open conflicts. A conflict the server no longer
/// has was resolved (here or on another device), so its entry is dropped from the outbox.
async fn still_held(
    listed: Vec<Listed>,
    records: &[SessionRecord],
    mine: &[String],
) -> Vec<String> {
    let open: Vec<String> = records
        .iter()
        .flat_map(|r| r.conflicts.iter().map(|c| c.edit_id.to_string()))
        .collect();
    let mut keep = Vec::new();
    for entry in listed {
        let settled = entry.status == Status::Conflict && mine.contains(&entry.key);
        if settled && !open.contains(&entry.key) {
            if let Err(error) = outbox::forget_conflict(&entry.key).await {
                log::warn!("could not clear a resolved conflict: {error}");
            }
        } else if entry.status == Status::Waiting || settled {
            keep.push(entry.key);
        }
    }
    keep
}
