//! Oversight for managers: the safeguarding "needs attention" list, frozen published reports
//! (with their CSV and printable renderings, `render`) and the records that arrived after one
//! was published; and the organisation's time zone, which dates every figure.

mod content;
mod render;
mod sections;

use content::ReportAsk;
pub use render::{
    audit_csv, print_style_source, report_csv, report_html, report_page_csp, report_xlsx,
};

use crate::{
    ApiError, Result,
    auth::StaffUser,
    entities::{published_report, response},
    repo::{self, audit::Actor},
    services::audit,
};
use chrono::{NaiveDate, Utc};
use domain::{
    commissioning::SharedReport,
    instrument::InstrumentKey,
    period::Period,
    privacy::{AttentionItem, LateArrivals, PublishReport, PublishedReport, ReportPreview},
};
use sea_orm::{ConnectionTrait, DatabaseConnection, Set};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// Most items on the needs-attention list at once.
const ATTENTION_LIMIT: u64 = 500;

/// Every comment (typed or recorded) and every rating of 2 or less not yet handled, oldest
/// first. Each comment shown is recorded in the audit trail as read by `actor`.
pub async fn needs_attention(
    db: &impl ConnectionTrait,
    org: Uuid,
    actor: &Actor,
) -> Result<Vec<AttentionItem>> {
    let rows = repo::attention::candidates(db, org, ATTENTION_LIMIT * 4).await?;
    let voiced: std::collections::HashSet<Uuid> =
        repo::voice::summaries_of(db, rows.iter().map(|r| r.id).collect())
            .await?
            .into_iter()
            .map(|v| v.response_id)
            .collect();
    let mut picked = Vec::new();
    for r in rows {
        let answers: Vec<Option<u8>> =
            serde_json::from_str(&r.answers).map_err(anyhow::Error::from)?;
        let lowest = answers.iter().flatten().min().copied();
        let low =
            r.instrument_key != InstrumentKey::Swemwbs.as_str() && lowest.is_some_and(|v| v <= 2);
        let voice_comment = voiced.contains(&r.id);
        if r.comment.is_none() && !voice_comment && !low {
            continue;
        }
        picked.push((r, answers, lowest, voice_comment));
        if picked.len() as u64 >= ATTENTION_LIMIT {
            break;
        }
    }
    let people: Vec<Uuid> = picked.iter().map(|(r, ..)| r.participant_id).collect();
    let references = repo::records::references_of(db, &people).await?;
    // Every comment shown is a read of someone's words: recorded before they are sent.
    audit::log_comment_reads(
        db,
        actor,
        picked.iter().map(|(r, ..)| (r.id, r.participant_id)),
    )
    .await?;
    Ok(picked
        .into_iter()
        .map(|(r, answers, lowest, voice_comment)| AttentionItem {
            response_id: r.id,
            participant_reference: references
                .get(&r.participant_id)
                .cloned()
                .unwrap_or_default(),
            instrument: r.instrument_key,
            answered_at: r.answered_at,
            lowest_rating: lowest,
            answers,
            comment: r.comment,
            voice_comment,
            specialist_id: r.specialist_id,
        })
        .collect())
}

/// A response of the organisation, to be marked handled.
pub async fn response_to_handle(
    db: &impl ConnectionTrait,
    user: &StaffUser,
    id: Uuid,
) -> Result<response::Model> {
    repo::invitations::find_response_any(db, id)
        .await?
        .filter(|r| r.organisation_id == user.organisation_id)
        .ok_or(ApiError::NotFound("no such response"))
}

/// Marks a response on the list handled, with a note, and records who did.
pub async fn handle_attention(
    db: &impl ConnectionTrait,
    user: &StaffUser,
    actor: &Actor,
    r: response::Model,
    note: &str,
) -> Result<()> {
    repo::attention::mark_handled(db, user.organisation_id, r.id, user.id, note)
        .await
        .map_err(|e| {
            if repo::is_unique_violation(&e) {
                ApiError::conflict("id", "this has already been handled")
            } else {
                e.into()
            }
        })?;
    audit::log(
        db,
        actor,
        "handle",
        "response",
        Some(r.id),
        Some(r.participant_id),
    )
    .await
}

/// Freezes the organisation's figures for a period: late data never changes a published report.
pub async fn publish_report(
    db: &sea_orm::DatabaseConnection,
    user: &StaffUser,
    request: PublishReport,
) -> Result<PublishedReport> {
    let report = prepare_report(db, user, request).await?;
    let txn = crate::db::begin_write(db).await?;
    let stored = store_report(&txn, report).await?;
    txn.commit().await?;
    report_view(stored)
}

/// [`publish_report`] for a caller already in a writing transaction (the demo's seed).
pub async fn publish_report_within(
    txn: &impl ConnectionTrait,
    user: &StaffUser,
    request: PublishReport,
) -> Result<PublishedReport> {
    let report = prepare_report(txn, user, request).await?;
    report_view(store_report(txn, report).await?)
}

/// A report computed and ready to store, with the comments it quotes.
struct ReadyReport {
    row: published_report::ActiveModel,
    org: Uuid,
    period: Period,
    quotes: Vec<Uuid>,
}

/// Reads the period's figures into the report to store (nothing written).
async fn prepare_report(
    db: &impl ConnectionTrait,
    user: &StaffUser,
    request: PublishReport,
) -> Result<ReadyReport> {
    let org_id = user.organisation_id;
    request.check()?;
    let period = Period::new(request.period.first, request.period.last)
        .map_err(|e| ApiError::invalid("period.last", e.0))?;
    let org = repo::orgs::get(db, org_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("organisation missing"))?;
    let as_of = request
        .as_of
        .unwrap_or_else(|| crate::time::today(&org.time_zone));
    // Taken before the figures are read: a response that arrives while they are being read
    // counts as late (`late_arrivals`) rather than slipping between the two.
    let published_at = Utc::now();
    let ask = ReportAsk {
        org: org_id,
        time_zone: &org.time_zone,
        period,
        as_of,
    };
    let grade = request.report_grade();
    let messages = request
        .key_messages
        .iter()
        .map(|m| m.as_str().to_owned())
        .collect();
    let quotes = content::quotes(db, org_id, period, &request.quotes).await?;
    let snapshot = content::snapshot(db, &ask, messages, grade, quotes).await?;
    let title = request
        .title
        .map(String::from)
        .unwrap_or_else(|| format!("{} report, {} to {}", org.name, period.first, period.last));
    Ok(ReadyReport {
        row: published_report::ActiveModel {
            id: Set(Uuid::new_v4()),
            organisation_id: Set(org_id),
            first: Set(period.first),
            last: Set(period.last),
            title: Set(title),
            published_by: Set(user.id),
            published_at: Set(published_at),
            snapshot: Set(serde_json::to_string(&snapshot).map_err(anyhow::Error::from)?),
        },
        org: org_id,
        period,
        quotes: request.quotes,
    })
}

/// Stores a prepared report in a writing transaction. Its quotations are checked again with the
/// organisation's changes taken one at a time: a person who withdrew or was erased while the
/// figures were being read is not quoted.
async fn store_report(
    txn: &impl ConnectionTrait,
    report: ReadyReport,
) -> Result<published_report::Model> {
    repo::orgs::lock_changes(txn, report.org).await?;
    content::quotes(txn, report.org, report.period, &report.quotes).await?;
    let stored = repo::published_reports::insert(txn, report.row).await?;
    tracing::info!(report_id = %stored.id, "report published");
    Ok(stored)
}

/// The report a period would have if published now (nothing stored), with drafted key messages.
pub async fn preview_report(
    db: &impl ConnectionTrait,
    org: Uuid,
    period: Period,
    as_of: Option<NaiveDate>,
) -> Result<ReportPreview> {
    let time_zone = repo::orgs::time_zone(db, org).await?;
    let ask = ReportAsk {
        org,
        time_zone: &time_zone,
        period,
        as_of: as_of.unwrap_or_else(|| crate::time::today(&time_zone)),
    };
    content::preview(db, &ask).await
}

/// `(key, version)` pairs as each key's versions, in order.
fn versions_by_key(pairs: BTreeSet<(String, i32)>) -> BTreeMap<String, Vec<i32>> {
    let mut out: BTreeMap<String, Vec<i32>> = BTreeMap::new();
    for (key, version) in pairs {
        out.entry(key).or_default().push(version);
    }
    out
}

/// For the live view of `period`: every published report whose period shares a day with it,
/// newest first, with how many responses answered in the report's own period arrived after it
/// was published. Overlap rather than equality, so a month's view also hears of its quarter's
/// report. A published report holds the whole organisation (it takes no filters), so nothing
/// is filtered here either.
pub async fn late_arrivals(
    db: &impl ConnectionTrait,
    org: Uuid,
    period: Period,
) -> Result<Vec<LateArrivals>> {
    let mut out = Vec::new();
    for r in repo::published_reports::overlapping(db, org, period.first, period.last).await? {
        let late_records =
            repo::published_reports::received_after(db, org, r.first, r.last, r.published_at)
                .await?;
        out.push(LateArrivals {
            report_id: r.id,
            print_url: format!("/api/reports/{}/print", r.id),
            title: r.title,
            period: Period {
                first: r.first,
                last: r.last,
            },
            published_at: r.published_at,
            late_records,
        });
    }
    Ok(out)
}

/// Sets the organisation's time zone (already checked to be an IANA zone) and records the
/// change, old and new, in the audit trail; both or neither. Only answers stored from now on
/// are dated in it: nothing stored or published is re-dated.
pub async fn change_time_zone(
    db: &DatabaseConnection,
    actor: &Actor,
    zone: chrono_tz::Tz,
) -> Result<()> {
    let org = actor.organisation_id;
    let txn = crate::db::begin_write(db).await?;
    let before = repo::orgs::time_zone(&txn, org).await?;
    if !repo::orgs::set_time_zone(&txn, org, zone.name()).await? {
        return Err(anyhow::anyhow!("organisation missing").into());
    }
    repo::audit::record(
        &txn,
        actor,
        repo::audit::Event {
            action: "update",
            entity: "settings",
            entity_id: Some(org),
            participant_id: None,
            detail: format!("time_zone: {before} -> {}", zone.name()),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(time_zone = zone.name(), "time zone changed");
    Ok(())
}

pub async fn report(db: &impl ConnectionTrait, org: Uuid, id: Uuid) -> Result<PublishedReport> {
    let found = repo::published_reports::find(db, org, id)
        .await?
        .ok_or(ApiError::NotFound("no such report"))?;
    report_view(found)
}

/// A published report as `reader` may read it: for a manager or admin, their organisation's
/// whole report; for a commissioner, a report of an organisation that shares with them, as it
/// leaves the service (`ReportSnapshot::shared`: nothing about one person). Any other report
/// is "no such report", as another organisation's is to staff.
pub async fn readable_report(
    db: &impl ConnectionTrait,
    reader: &StaffUser,
    id: Uuid,
) -> Result<PublishedReport> {
    if reader.role.is_staff() {
        return report(db, reader.organisation_id, id).await;
    }
    let found = repo::commissioners::report(db, reader.id, id)
        .await?
        .ok_or(ApiError::NotFound("no such report"))?;
    let mut r = report_view(found)?;
    r.snapshot = r.snapshot.shared();
    Ok(r)
}

/// The published reports of every organisation sharing with the commissioner, newest first,
/// as their list shows them: whose, the grade, key messages and headline figures.
pub async fn shared_reports(
    db: &impl ConnectionTrait,
    commissioner: &StaffUser,
) -> Result<Vec<SharedReport>> {
    let orgs = repo::commissioners::organisations(db, commissioner.id).await?;
    let ids: Vec<Uuid> = orgs.iter().map(|o| o.id).collect();
    repo::commissioners::reports_of(db, &ids)
        .await?
        .into_iter()
        .map(|m| {
            let org = m.organisation_id;
            let name = orgs
                .iter()
                .find(|o| o.id == org)
                .map(|o| o.name.clone())
                .unwrap_or_default();
            Ok(SharedReport::of(&report_view(m)?, org, name))
        })
        .collect()
}

/// Newest first.
pub async fn reports(db: &impl ConnectionTrait, org: Uuid) -> Result<Vec<PublishedReport>> {
    repo::published_reports::list(db, org)
        .await?
        .into_iter()
        .map(report_view)
        .collect()
}

fn report_view(m: published_report::Model) -> Result<PublishedReport> {
    Ok(PublishedReport {
        id: m.id,
        title: m.title,
        published_by: m.published_by,
        published_at: m.published_at,
        snapshot: serde_json::from_str(&m.snapshot)
            .map_err(|e| anyhow::anyhow!("stored report: {e}"))?,
    })
}

/// Replaces the organisation's outcome settings (bands, targets, contract values, minimum-wage
/// table), with the change in the audit trail, together or not at all.
pub async fn change_outcome_settings(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &domain::outcomes::OutcomeSettings,
) -> Result<()> {
    let org = actor.organisation_id;
    let txn = crate::db::begin_write(db).await?;
    let mut s = repo::instruments::settings(&txn, org).await?;
    let before = s.outcomes();
    s.outcomes = Some(serde_json::to_string(settings).map_err(anyhow::Error::from)?);
    repo::instruments::save_settings(&txn, s).await?;
    let mut changed = Vec::new();
    if before.bands != settings.bands {
        changed.push("scoring bands");
    }
    if before.targets != settings.targets {
        changed.push("targets");
    }
    if before.contract_values != settings.contract_values {
        changed.push("contract values");
    }
    if before.minimum_wage != settings.minimum_wage {
        changed.push("minimum-wage table");
    }
    repo::audit::record(
        &txn,
        actor,
        repo::audit::Event {
            action: "update",
            entity: "settings",
            entity_id: Some(org),
            participant_id: None,
            detail: format!(
                "outcomes: {}",
                if changed.is_empty() {
                    "unchanged".to_owned()
                } else {
                    changed.join(", ")
                }
            ),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(changed = changed.len(), "outcome settings changed");
    Ok(())
}
