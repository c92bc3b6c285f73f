//! Commissioners: people outside the service (a council, the NHS) who fund it and review it in
//! about ten minutes a week (seed 002). An organisation shares its published reports with them;
//! they read those and the headline trend, never personal data.

use crate::period::Period;
use crate::privacy::{PublishedReport, ReportSnapshot};
use crate::report::{HeadlineFigure, ReportGrade, commissioner_headlines};
use crate::{Email, Name, Password};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An admin shares the organisation's published reports with a commissioner. A new address
/// makes a commissioner's account with this first password (and needs `name`); an address that
/// already has one only gains this organisation's reports (its name and password are theirs,
/// and are not changed).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InviteCommissioner {
    pub email: Email,
    #[serde(default)]
    pub name: Option<Name>,
    #[serde(default)]
    pub password: Option<Password>,
}

/// A commissioner an organisation shares its reports with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commissioner {
    pub id: Uuid,
    pub name: String,
    pub email: Email,
    /// When this organisation started sharing with them.
    pub shared_at: DateTime<Utc>,
}

/// A published report as a commissioner's list shows it: whose it is, the grade, the key
/// messages and the headline figures (the whole report opens by its id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedReport {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub organisation: String,
    pub title: String,
    pub period: Period,
    pub published_at: DateTime<Utc>,
    pub grade: Option<ReportGrade>,
    pub key_messages: Vec<String>,
    pub headlines: Vec<HeadlineFigure>,
}

impl SharedReport {
    pub fn of(report: &PublishedReport, organisation_id: Uuid, organisation: String) -> Self {
        let s = &report.snapshot;
        SharedReport {
            id: report.id,
            organisation_id,
            organisation,
            title: report.title.clone(),
            period: s.period,
            published_at: report.published_at,
            grade: s.grade.clone(),
            key_messages: s.key_messages.clone(),
            headlines: commissioner_headlines(
                &s.kpi_c,
                &s.kpi_d,
                &s.wellbeing,
                s.outcomes.as_ref(),
            ),
        }
    }
}

impl ReportSnapshot {
    /// The report as it leaves the service: without anything about one person — the
    /// responses behind KPIs C and D, each episode's wellbeing pair (its scores) and the
    /// caseload per specialist (staff names). What stays is counts, means with their intervals,
    /// suppressed equality splits, the published actions, and the quoted comments (which their
    /// authors agreed to) without the responses they came from.
    pub fn shared(mut self) -> Self {
        self.kpi_c.response_ids.clear();
        self.kpi_d.response_ids.clear();
        self.wellbeing.pairs.clear();
        self.caseload = None;
        for quote in &mut self.quotes {
            quote.response_id = None;
        }
        self
    }
}
