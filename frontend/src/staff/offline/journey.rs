//! The journey of each episode as this device keeps it (DESIGN §4a): referrals, jobs, and the
//! changes recorded here (a job's end, the support end, the profile start) until the server has
//! them, so a client's page reads the same with no signal. The dates are checked by
//! `domain::journey::check_journey` over what this device knows.

use chrono::NaiveDate;
use domain::journey::{Job, JobEndRecord, JourneyDates, Referral};
use domain::records::{Episode, EpisodeUpdateRecord};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::cache::Cache;

/// A change to a journey saved in the outbox under `key`, shown here until the server has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalChange {
    pub key: String,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Change {
    JobEnd(JobEndRecord),
    Episode(EpisodeUpdateRecord),
}

impl Cache {
    pub fn referral(&self, id: Uuid) -> Option<&Referral> {
        self.referrals.iter().find(|r| r.id == id)
    }

    /// A person's referrals, newest first.
    pub fn referrals_of(&self, participant: Uuid) -> Vec<Referral> {
        let mut found: Vec<Referral> = self
            .referrals
            .iter()
            .filter(|r| r.participant_id == participant)
            .cloned()
            .collect();
        found.sort_by_key(|r| std::cmp::Reverse(r.referred_on));
        found
    }

    /// Whether support started from a referral, by the server or on this device.
    pub fn started_from(&self, referral: Uuid) -> bool {
        self.episodes
            .iter()
            .any(|e| e.referral_id == Some(referral))
    }

    /// Shows support started here, and its referral as started from (and, undecided, accepted
    /// that day, as the server records it).
    pub fn start(&mut self, e: Episode) {
        if let Some(r) = self
            .referrals
            .iter_mut()
            .find(|r| Some(r.id) == e.referral_id)
        {
            r.episode_id = Some(e.id);
            if r.accepted.is_none() {
                r.accepted = Some(true);
                r.decided_on = Some(e.started_on);
            }
        }
        self.episodes.push(e);
    }

    pub fn job(&self, id: Uuid) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id == id)
    }

    /// An episode's jobs in the order they started.
    pub fn jobs_of(&self, episode: Uuid) -> Vec<Job> {
        let mut found: Vec<Job> = self
            .jobs
            .iter()
            .filter(|j| j.episode_id == episode)
            .cloned()
            .collect();
        found.sort_by_key(|j| j.started_on);
        found
    }

    /// The dates of an episode's journey as this device knows them.
    pub fn journey_of(&self, e: &Episode) -> JourneyDates {
        let referral = e.referral_id.and_then(|r| self.referral(r));
        JourneyDates {
            referred_on: e.referred_on.or(referral.map(|r| r.referred_on)),
            decided_on: referral.and_then(|r| r.decided_on),
            started_on: Some(e.started_on),
            profile_started_on: e.profile_started_on,
            jobs: self
                .jobs_of(e.id)
                .iter()
                .map(|j| (j.started_on, j.ended_on))
                .collect(),
            ended_on: e.ended_on,
        }
    }

    /// [`Self::journey_of`] with one of its jobs ending on `ended_on`.
    pub fn journey_ending(&self, e: &Episode, job: Uuid, ended_on: NaiveDate) -> JourneyDates {
        let mut journey = self.journey_of(e);
        journey.jobs = self
            .jobs_of(e.id)
            .iter()
            .map(|j| {
                (
                    j.started_on,
                    if j.id == job {
                        Some(ended_on)
                    } else {
                        j.ended_on
                    },
                )
            })
            .collect();
        journey
    }

    /// Takes the server's referrals, keeping those made here that still wait to be sent.
    pub fn merge_referrals(&mut self, server: Vec<Referral>, waiting: &[String]) {
        let kept: Vec<Referral> = self
            .referrals
            .drain(..)
            .filter(|r| !server.iter().any(|s| s.id == r.id))
            .filter(|r| waiting.contains(&r.id.to_string()))
            .collect();
        self.referrals = server;
        self.referrals.extend(kept);
    }

    /// Takes the server's jobs of an episode, keeping those made here that still wait.
    pub fn merge_jobs(&mut self, episode: Uuid, server: Vec<Job>, waiting: &[String]) {
        self.jobs.retain(|j| {
            j.episode_id != episode
                || (!server.iter().any(|s| s.id == j.id) && waiting.contains(&j.id.to_string()))
        });
        self.jobs.extend(server);
    }

    /// Shows a change made here at once, and again over every copy fetched from the server
    /// until it has reached the server.
    pub fn change(&mut self, change: LocalChange) {
        apply(self, &change.change);
        self.changes.push(change);
    }

    /// Lays the changes that still wait in the outbox over the server's copies; the others
    /// have arrived (or were refused, and the server's copy is the truth).
    pub fn reapply_changes(&mut self, waiting: &[String]) {
        self.changes.retain(|c| waiting.contains(&c.key));
        for c in self.changes.clone() {
            apply(self, &c.change);
        }
    }
}

fn apply(cache: &mut Cache, change: &Change) {
    match change {
        Change::JobEnd(end) => {
            if let Some(job) = cache.jobs.iter_mut().find(|j| j.id == end.job_id) {
                job.ended_on = end.ended_on;
                job.end_reason = end.end_reason;
            }
        }
        Change::Episode(update) => {
            if let Some(e) = cache
                .episodes
                .iter_mut()
                .find(|e| e.id == update.episode_id)
            {
                let c = &update.change;
                if let Some(profile) = c.profile_started_on {
                    e.profile_started_on = profile;
                }
                if let Some(ended) = c.ended_on {
                    e.ended_on = ended;
                }
                if let Some(hours) = c.hours_before {
                    e.hours_before = hours;
                }
                if let Some(reason) = c.end_reason {
                    e.end_reason = reason;
                }
            }
        }
    }
}
