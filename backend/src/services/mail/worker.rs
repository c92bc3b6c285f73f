//! The mail worker: claims due emails with a lease taken by one conditional UPDATE (so two
//! server copies on one database never both take an email, and an expired lease left by a crash
//! is taken over), sends them over SMTP, and marks them sent. Failures are retried with
//! exponential backoff, then marked failed. Delivery is at-least-once: an email whose sender
//! died after the SMTP server took it but before it was marked sent goes again, with the same
//! Message-ID.

use super::{Links, NoMail, may_email};
use crate::{
    config::MailConfig,
    entities::{invitation, mail_message},
    repo,
};
use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use domain::feedback::{MailKind, MailStatus};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, MultiPart,
        header::{Header, HeaderName, HeaderValue},
    },
};
use sea_orm::{DatabaseConnection, DbErr};
use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

/// Emails one worker claims per look at the queue.
const BATCH: u64 = 20;
/// Due reminders one worker decides per look at the queue.
const REMINDERS_PER_LOOK: u64 = 100;
/// Longest wait between two attempts at one email.
const MAX_BACKOFF_MS: i64 = 6 * 3600 * 1000;
/// Emails are kept this long after they were queued, then deleted (they hold addresses and
/// live links).
pub const KEEP_DAYS: i64 = 90;

/// What one look at the queue did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tick {
    pub reminders_queued: u64,
    pub sent: u64,
    pub kept_locally: u64,
    pub retried: u64,
    pub failed: u64,
    pub cancelled: u64,
}

/// What became of one claimed email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Sent,
    KeptLocally,
    Retried,
    Failed,
    Cancelled,
}

impl Tick {
    fn count(&mut self, outcome: Outcome) {
        let n = match outcome {
            Outcome::Sent => &mut self.sent,
            Outcome::KeptLocally => &mut self.kept_locally,
            Outcome::Retried => &mut self.retried,
            Outcome::Failed => &mut self.failed,
            Outcome::Cancelled => &mut self.cancelled,
        };
        *n += 1;
    }
}

/// Everything the worker needs; cheap to clone. Several may run on one database.
#[derive(Clone)]
pub struct Mailer {
    db: DatabaseConnection,
    links: Arc<Links>,
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    config: MailConfig,
    last_purge: Arc<AtomicI64>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("smtp", &self.transport.is_some())
            .finish()
    }
}

impl Mailer {
    /// Checks the SMTP URL and From address now, so a typo stops the server at start rather
    /// than failing every email later. The URL is never logged (it may hold a password).
    pub fn new(db: DatabaseConnection, config: &MailConfig, links: Links) -> anyhow::Result<Self> {
        let transport = match &config.smtp_url {
            Some(url) => Some(
                smtp_builder(url.expose())?
                    .timeout(Some(std::time::Duration::from_secs(
                        config.smtp_timeout_seconds,
                    )))
                    .build(),
            ),
            None => None,
        };
        let from: Mailbox = config
            .from
            .parse()
            .context("SOUNDINGS_MAIL_FROM is not an email address")?;
        Ok(Mailer {
            db,
            links: Arc::new(links),
            transport,
            from,
            config: config.clone(),
            last_purge: Arc::new(AtomicI64::new(0)),
        })
    }

    pub fn links(&self) -> &Links {
        &self.links
    }

    /// Whether emails go to an SMTP server (else they stay in the local outbox).
    pub fn sends(&self) -> bool {
        self.transport.is_some()
    }

    /// Looks at the queue every `poll_ms` until the task is dropped. A failed look is logged
    /// and the next one tries again.
    pub async fn run(self, worker_id: String) {
        let pause = std::time::Duration::from_millis(self.config.poll_ms.max(10));
        tracing::info!(smtp = self.sends(), "mail worker started");
        loop {
            if let Err(e) = self.tick(&worker_id, Utc::now()).await {
                tracing::error!(
                    error = format!("{e:#}"),
                    "mail worker: a look at the queue failed"
                );
            }
            tokio::time::sleep(pause).await;
        }
    }

    /// One look at the queue as of `now`: queue due reminders, then claim and send what is due.
    pub async fn tick(&self, worker_id: &str, now: DateTime<Utc>) -> anyhow::Result<Tick> {
        let mut report = Tick {
            reminders_queued: self.queue_reminders(now).await?,
            ..Tick::default()
        };
        // Batches until the queue is drained; a batch smaller than full means it is, and an
        // email retried in this look is not taken again in it.
        loop {
            let claimed = self.claim(worker_id, now).await?;
            let full = claimed.len() as u64 == BATCH;
            for mail in claimed {
                report.count(self.deliver(worker_id, mail, now).await?);
            }
            if !full {
                break;
            }
        }
        self.purge(now).await?;
        Ok(report)
    }

    /// Invitation emails whose reminder is due: each is decided once (the conditional UPDATE
    /// that clears `remind_at` is the lock), and gets its reminder if still unanswered, open,
    /// and the person may still be emailed.
    async fn queue_reminders(&self, now: DateTime<Utc>) -> anyhow::Result<u64> {
        let due = repo::mail::due_reminders(&self.db, now, REMINDERS_PER_LOOK).await?;
        let mut queued = 0;
        for mail in due {
            if !repo::mail::take_reminder(&self.db, mail.id).await? {
                continue;
            }
            let Some(inv_id) = mail.invitation_id else {
                continue;
            };
            let Some(inv) = repo::invitations::find_any(&self.db, inv_id).await? else {
                continue;
            };
            if inv.expires_at <= now || is_answered(&self.db, &inv).await? {
                continue;
            }
            if let Ok(true) =
                super::queue_invitation(&self.db, &self.links, &inv, MailKind::Reminder, now)
                    .await?
            {
                queued += 1;
            }
        }
        Ok(queued)
    }

    /// Takes due emails: queued ones whose time has come, and ones left `sending` by a worker
    /// whose lease ran out (it crashed or lost its connection).
    async fn claim(
        &self,
        worker_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<mail_message::Model>, DbErr> {
        let lease = now + Duration::seconds(Ord::max(self.config.lease_seconds, 1));
        repo::mail::claim(&self.db, worker_id, now, lease, BATCH).await
    }

    /// Sends one claimed email, unless it should no longer go; without an SMTP server it stays
    /// in the local outbox.
    async fn deliver(
        &self,
        worker_id: &str,
        mail: mail_message::Model,
        now: DateTime<Utc>,
    ) -> Result<Outcome, DbErr> {
        // Checked again now: the person may have withdrawn or unsubscribed since it was queued.
        if let Some(why) = self.still_wanted(&mail, now).await? {
            self.finish(worker_id, &mail, MailStatus::Cancelled, Some(why), now)
                .await?;
            tracing::info!(mail_id = %mail.id, reason = why, "email cancelled before sending");
            return Ok(Outcome::Cancelled);
        }
        let Some(transport) = &self.transport else {
            self.finish(worker_id, &mail, MailStatus::LocalOutbox, None, now)
                .await?;
            tracing::info!(mail_id = %mail.id, "email kept in the local outbox (no SMTP server configured)");
            return Ok(Outcome::KeptLocally);
        };
        match self.send(transport, &mail).await {
            Ok(()) => self.sent(worker_id, &mail, now).await,
            Err((permanent, error)) => self.failed(worker_id, &mail, permanent, &error, now).await,
        }
    }

    /// Hands the email to the SMTP server. A failure says whether it is permanent, and its
    /// error has every address scrubbed out.
    async fn send(
        &self,
        transport: &AsyncSmtpTransport<Tokio1Executor>,
        mail: &mail_message::Model,
    ) -> Result<(), (bool, String)> {
        let message = self
            .message(mail)
            .map_err(|e| (true, scrub(&format!("{e:#}"))))?;
        transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| (e.is_permanent(), scrub(&e.to_string())))
    }

    async fn sent(
        &self,
        worker_id: &str,
        mail: &mail_message::Model,
        now: DateTime<Utc>,
    ) -> Result<Outcome, DbErr> {
        let marked = self
            .finish(worker_id, mail, MailStatus::Sent, None, now)
            .await?;
        if marked {
            tracing::info!(mail_id = %mail.id, kind = %mail.kind, attempts = mail.attempts, "email sent");
        } else {
            // Our lease ran out mid-send and another worker took the email: it will
            // go again with the same Message-ID (at-least-once).
            tracing::warn!(mail_id = %mail.id, "email sent after its lease ran out");
        }
        Ok(Outcome::Sent)
    }

    /// A failed send is tried again after a backoff, unless it is permanent or the email has
    /// used up its attempts.
    async fn failed(
        &self,
        worker_id: &str,
        mail: &mail_message::Model,
        permanent: bool,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<Outcome, DbErr> {
        let give_up = permanent || mail.attempts >= self.config.max_attempts;
        let outcome = if give_up {
            self.finish(worker_id, mail, MailStatus::Failed, Some(error), now)
                .await?;
            Outcome::Failed
        } else {
            let wait = backoff_ms(self.config.retry_ms, mail.attempts);
            let at = now + Duration::milliseconds(wait);
            repo::mail::retry_at(&self.db, mail.id, worker_id, at, error).await?;
            Outcome::Retried
        };
        tracing::warn!(mail_id = %mail.id, attempts = mail.attempts, permanent, gave_up = give_up, error = %error, "sending an email failed");
        Ok(outcome)
    }

    /// Ends this worker's hold on an email. `false` if it was no longer ours to end.
    async fn finish(
        &self,
        worker_id: &str,
        mail: &mail_message::Model,
        status: MailStatus,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, DbErr> {
        repo::mail::finish(&self.db, mail.id, worker_id, status, error, now).await
    }

    /// Why this email should no longer go, if it should not.
    async fn still_wanted(
        &self,
        mail: &mail_message::Model,
        now: DateTime<Utc>,
    ) -> Result<Option<&'static str>, DbErr> {
        let Some(person) =
            repo::records::find_participant_any(&self.db, mail.participant_id).await?
        else {
            return Ok(Some(NoMail::Erased.reason()));
        };
        if let Err(why) = may_email(&self.db, &person).await? {
            return Ok(Some(why.reason()));
        }
        if mail.kind != MailKind::Digest.as_str()
            && let Some(inv_id) = mail.invitation_id
        {
            let Some(inv) = repo::invitations::find_any(&self.db, inv_id).await? else {
                return Ok(Some("cancelled: invitation gone"));
            };
            if inv.expires_at <= now {
                return Ok(Some("cancelled: invitation expired"));
            }
            if mail.kind == MailKind::Reminder.as_str() && is_answered(&self.db, &inv).await? {
                return Ok(Some("cancelled: already answered"));
            }
        }
        Ok(None)
    }

    fn message(&self, mail: &mail_message::Model) -> anyhow::Result<Message> {
        let to: Mailbox = mail
            .to_address
            .parse()
            .map_err(|_| anyhow::anyhow!("the recipient's address is not valid"))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(mail.message_id.clone()))
            .header(ListUnsubscribe(format!(
                "<{}>",
                self.links.unsubscribe(mail.participant_id)
            )))
            .multipart(MultiPart::alternative_plain_html(
                mail.text_body.clone(),
                mail.html_body.clone(),
            ))
            .map_err(|e| anyhow::anyhow!("building the email: {e}"))
    }

    /// Deletes emails past their keeping time, at most once an hour per worker.
    async fn purge(&self, now: DateTime<Utc>) -> Result<(), DbErr> {
        let last = self.last_purge.load(Ordering::Relaxed);
        if now.timestamp() - last < 3600 {
            return Ok(());
        }
        self.last_purge.store(now.timestamp(), Ordering::Relaxed);
        let cutoff = now - Duration::days(KEEP_DAYS);
        let gone = repo::mail::delete_finished_before(&self.db, cutoff).await?;
        let links = repo::results_links::delete_expired_before(&self.db, cutoff).await?;
        if gone + links > 0 {
            tracing::info!(
                emails = gone,
                results_links = links,
                "old emails and results links deleted"
            );
        }
        Ok(())
    }
}

/// With TLS built in, lettre reads every form of URL (`smtps://`, `?tls=required`).
#[cfg(feature = "smtp-tls")]
fn smtp_builder(url: &str) -> anyhow::Result<lettre::transport::smtp::AsyncSmtpTransportBuilder> {
    AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| anyhow::anyhow!("SOUNDINGS_SMTP_URL is not usable: {e}"))
}

/// Without TLS: plain `smtp://[user:password@]host[:port]` (port 25 by default), for a relay on
/// this host or a private network. Error messages never repeat the URL (it may hold a password).
#[cfg(not(feature = "smtp-tls"))]
fn smtp_builder(url: &str) -> anyhow::Result<lettre::transport::smtp::AsyncSmtpTransportBuilder> {
    use lettre::transport::smtp::authentication::Credentials;
    let rest = url.trim().strip_prefix("smtp://").ok_or_else(|| {
        anyhow::anyhow!(
            "SOUNDINGS_SMTP_URL must look like smtp://host:port (smtps:// and ?tls= need the server built with the smtp-tls feature)"
        )
    })?;
    if rest.contains('?') {
        anyhow::bail!("SOUNDINGS_SMTP_URL: ?tls= needs the server built with the smtp-tls feature");
    }
    let rest = rest.trim_end_matches('/');
    let (userinfo, hostport) = match rest.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, rest),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (
            h,
            p.parse::<u16>()
                .map_err(|_| anyhow::anyhow!("SOUNDINGS_SMTP_URL: the port is not a number"))?,
        ),
        None => (hostport, 25),
    };
    if host.is_empty() {
        anyhow::bail!("SOUNDINGS_SMTP_URL names no host");
    }
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port);
    if let Some((user, password)) = userinfo.and_then(|u| u.split_once(':')) {
        builder = builder.credentials(Credentials::new(user.to_owned(), password.to_owned()));
    }
    Ok(builder)
}

async fn is_answered(db: &DatabaseConnection, inv: &invitation::Model) -> Result<bool, DbErr> {
    Ok(!repo::invitations::answers_to(db, inv.id).await?.is_empty())
}

/// `base`, doubled for each attempt after the first, at most six hours.
pub fn backoff_ms(base: i64, attempts: i32) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(30);
    base.max(0)
        .saturating_mul(1_i64 << doublings)
        .min(MAX_BACKOFF_MS)
}

/// Server replies can quote the recipient's address; errors are shown to managers and logged,
/// so anything that looks like an address is replaced.
pub fn scrub(error: &str) -> String {
    let cleaned: Vec<String> = error
        .split_whitespace()
        .map(|w| {
            if w.contains('@') {
                "<address>".to_owned()
            } else {
                w.to_owned()
            }
        })
        .collect();
    let mut s = cleaned.join(" ");
    if s.len() > 500 {
        let mut end = 500;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    s
}

/// `List-Unsubscribe` (RFC 2369), so mail programs can offer their own unsubscribe button.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_and_stops_at_six_hours() {
        assert_eq!(backoff_ms(1000, 1), 1000);
        assert_eq!(backoff_ms(1000, 2), 2000);
        assert_eq!(backoff_ms(1000, 4), 8000);
        assert_eq!(backoff_ms(60_000, 40), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(0, 3), 0);
    }

    #[test]
    fn addresses_never_reach_a_stored_or_logged_error() {
        let s = scrub("550 5.1.1 <ann@example.org>: Recipient address rejected");
        assert!(!s.contains("ann@"), "{s}");
        assert!(s.contains("Recipient address rejected"));
    }
}
