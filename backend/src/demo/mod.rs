//! The demo organisation: what someone trying Soundings logs into. Its logins are in the
//! README. It holds 18 months of made-up but plausible work, so the KPIs and trends show
//! something: episodes starting and ending, SWEMWBS at start and end, satisfaction surveys from
//! jobseekers and employers, with the mix of formats and help a real service sees. The data comes
//! from a fixed seed, laid out backwards from today, so demos look alike whenever they start.
//! Each episode also has its journey (referral, jobs, why support ended: `journey`), drawn
//! from a seed of its own.

mod journey;

use crate::{
    auth,
    entities::{episode, invitation, organisation_setting, participant, response},
    repo,
    services::capture::body_hash,
    time::local_date,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use domain::{
    Role,
    instrument::{Audience, InstrumentDefinition, InstrumentKey, InstrumentKind},
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, NotSet, Set};
use uuid::Uuid;

pub const DEMO_ORGANISATION: &str = "Demo Supported Employment Service";
pub const DEMO_PASSWORD: &str = "soundings-demo";

/// `(email, name, role, team index)` of the demo staff.
pub const DEMO_STAFF: &[(&str, &str, Role, Option<usize>)] = &[
    ("admin@demo.example.org", "Alex Admin", Role::Admin, None),
    (
        "manager@demo.example.org",
        "Morgan Manager",
        Role::Manager,
        None,
    ),
    (
        "sam@demo.example.org",
        "Sam Specialist",
        Role::Specialist,
        Some(0),
    ),
    (
        "priya@demo.example.org",
        "Priya Specialist",
        Role::Specialist,
        Some(0),
    ),
    (
        "jo@demo.example.org",
        "Jo Specialist",
        Role::Specialist,
        Some(1),
    ),
    (
        "tom@demo.example.org",
        "Tom Specialist",
        Role::Specialist,
        Some(1),
    ),
    // Outside the service: the demo organisation shares its published reports with them.
    (
        "commissioner@demo.example.org",
        "Casey Commissioner",
        Role::Commissioner,
        None,
    ),
];

const MONTHS: i64 = 18;
const STARTS_PER_MONTH: usize = 5;

/// Seeds the demo into an empty database. Returns false (and changes nothing) otherwise.
pub async fn seed(db: &DatabaseConnection) -> anyhow::Result<bool> {
    seed_at(db, Utc::now()).await
}

/// [`seed`] as if the clock read `now`: the same seed and the same day give the same figures.
pub async fn seed_at(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<bool> {
    if repo::orgs::count(db).await? > 0 {
        return Ok(false);
    }
    let hash = auth::hash_password(DEMO_PASSWORD.to_owned()).await?;
    let txn = crate::db::begin_write(db).await?;
    let org = repo::orgs::create(&txn, DEMO_ORGANISATION).await?;
    let mut teams = Vec::new();
    for name in ["North team", "South team"] {
        teams.push(repo::teams::create(&txn, org.id, name).await?.id);
    }
    let mut specialists = Vec::new();
    let mut admin = None;
    let mut commissioners = Vec::new();
    let mut manager = None;
    for (email, name, role, team) in DEMO_STAFF {
        let team_id = team.and_then(|i| teams.get(i).copied());
        let s = repo::staff::create(
            &txn,
            repo::staff::NewStaff {
                organisation_id: org.id,
                team_id,
                name,
                email,
                role: *role,
                password_hash: hash.clone(),
            },
        )
        .await?;
        match role {
            Role::Specialist => specialists.push((s.id, team_id)),
            Role::Admin => admin = Some(s.id),
            Role::Manager => manager = Some(s.id),
            Role::Commissioner => commissioners.push(s.id),
        }
    }
    let admin = admin.ok_or_else(|| anyhow::anyhow!("the demo has no admin"))?;
    for c in commissioners {
        repo::commissioners::share(&txn, c, org.id, admin).await?;
    }
    settings(&txn, org.id, admin, now).await?;
    let instruments = [
        repo::instruments::latest(&txn, InstrumentKey::JobseekerSatisfaction.as_str()).await?,
        repo::instruments::latest(&txn, InstrumentKey::EmployerSatisfaction.as_str()).await?,
        repo::instruments::latest(&txn, InstrumentKey::Swemwbs.as_str()).await?,
    ];
    let [Some(jobseeker), Some(employer), Some(swemwbs)] = instruments else {
        anyhow::bail!("the instruments are missing; migrations not applied?");
    };
    let mut g = Generator {
        rng: StdRng::seed_from_u64(2026),
        org: org.id,
        author: admin,
        tz: org.time_zone.clone(),
        today: now.date_naive(),
        now,
        journey: journey::Journeys::new(org.id, admin, now),
    };
    g.history(&txn, &specialists, [&jobseeker, &employer, &swemwbs])
        .await?;
    let sam = specialists.first().copied();
    g.open_invitations(&txn, sam, [&jobseeker, &employer, &swemwbs])
        .await?;
    let manager = auth::StaffUser {
        id: manager.ok_or_else(|| anyhow::anyhow!("the demo has no manager"))?,
        organisation_id: org.id,
        role: Role::Manager,
        team_id: None,
    };
    published_quarters(&txn, &manager, now.date_naive()).await?;
    txn.commit().await?;
    tracing::info!("demo organisation seeded");
    Ok(true)
}

/// The manager has published the reports of the last two whole quarters (read as of the day
/// after each ends), so the commissioner's page and the reports list show something.
async fn published_quarters(
    db: &impl ConnectionTrait,
    manager: &auth::StaffUser,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let this_quarter = NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1)
        .ok_or_else(|| anyhow::anyhow!("a quarter's first day"))?;
    for back in [6u32, 3] {
        let first = this_quarter - chrono::Months::new(back);
        let last = first + chrono::Months::new(3) - Duration::days(1);
        let request: domain::privacy::PublishReport = serde_json::from_value(serde_json::json!({
            "period": {"first": first, "last": last},
            "title": format!("Quarter from {}", first.format("%B %Y")),
            "as_of": last + Duration::days(1),
            "key_messages": [
                "Most jobseekers we supported rated the service well.",
                "We are following up employers we have not heard from."
            ],
            "grade": "amber",
            "grade_reason": "Satisfaction held up; some outcome figures are short of their benchmarks.",
        }))?;
        crate::services::oversight::publish_report_within(db, manager, request)
            .await
            .map_err(|e| anyhow::anyhow!("publishing a demo report: {e:?}"))?;
    }
    Ok(())
}

/// The demo's settings: the SWEMWBS licence held, the default thresholds, and outcome settings
/// with contract values and targets (`journey::outcome_settings`).
async fn settings(
    db: &impl ConnectionTrait,
    org: Uuid,
    admin: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    organisation_setting::ActiveModel {
        organisation_id: Set(org),
        swemwbs_licence_held: Set(true),
        swemwbs_licence_reference: Set(Some("Demo: licence held (example)".into())),
        swemwbs_licence_recorded_at: Set(Some(now)),
        swemwbs_licence_recorded_by: Set(Some(admin)),
        small_number: Set(domain::kpi::DEFAULT_SMALL_NUMBER as i32),
        change_threshold: Set(domain::kpi::DEFAULT_CHANGE_THRESHOLD.0 as i32),
        retention_days: Set(None),
        readers_text: Set(None),
        help_text: Set(None),
        help_phone: Set(None),
        outcomes: Set(Some(serde_json::to_string(&journey::outcome_settings(
            now.date_naive(),
        ))?)),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Open invitations with fixed short codes, so anyone can try the participant app on the demo
/// (README): (code, participant reference, kind, language, accessibility, instrument index).
const DEMO_CODES: [(&str, &str, &str, &str, &str, usize); 4] = [
    ("JBSK7777", "DEMO-JOBSEEKER", "jobseeker", "en", "{}", 0),
    (
        "CYMR7777",
        "DEMO-CYMRAEG",
        "jobseeker",
        "cy",
        r#"{"easy_read":true,"read_aloud":true}"#,
        0,
    ),
    ("EMPY7777", "DEMO-EMPLOYER", "employer", "en", "{}", 1),
    ("SWEM7777", "DEMO-JOBSEEKER", "jobseeker", "en", "{}", 2),
];

struct Generator {
    rng: StdRng,
    org: Uuid,
    author: Uuid,
    tz: String,
    today: NaiveDate,
    now: DateTime<Utc>,
    /// The journeys' own draws, apart from `rng`'s.
    journey: journey::Journeys,
}

/// Seven SWEMWBS items adding up to `raw`.
fn items_for_raw(raw: u8) -> Vec<Option<u8>> {
    let mut items = [1u8; 7];
    let mut left = raw.clamp(7, 35) - 7;
    for i in items.iter_mut() {
        let add = left.min(4);
        *i += add;
        left -= add;
    }
    items.iter().map(|v| Some(*v)).collect()
}

impl Generator {
    fn pick<T: Copy>(&mut self, weighted: &[(T, u32)]) -> T {
        let total: u32 = weighted.iter().map(|w| w.1).sum();
        let mut roll = self.rng.gen_range(0..total.max(1));
        for (v, w) in weighted {
            if roll < *w {
                return *v;
            }
            roll -= w;
        }
        weighted[0].0
    }

    fn chance(&mut self, pct: u32) -> bool {
        self.rng.gen_range(0..100) < pct
    }

    fn at(&mut self, day: NaiveDate) -> DateTime<Utc> {
        let minutes = self.rng.gen_range(9 * 60..17 * 60);
        day.and_hms_opt(0, 0, 0).map_or(self.now, |d| d.and_utc()) + Duration::minutes(minutes)
    }

    /// The demo codes' participants (with an open episode with `specialist`) and invitations,
    /// open for a year.
    async fn open_invitations(
        &mut self,
        db: &impl ConnectionTrait,
        specialist: Option<(Uuid, Option<Uuid>)>,
        instruments: [&InstrumentDefinition; 3],
    ) -> anyhow::Result<()> {
        let Some((specialist, team)) = specialist else {
            return Ok(());
        };
        let now = self.now;
        let mut people: Vec<(&str, Uuid, Option<Uuid>)> = Vec::new();
        for (code, reference, kind, language, needs, instrument) in DEMO_CODES {
            let known = people.iter().find(|(r, ..)| *r == reference).copied();
            let (participant, episode) = match known {
                Some((_, p, e)) => (p, e),
                None => {
                    let mut person = self.person(kind, reference.to_owned());
                    person.language = Set(language.to_owned());
                    person.accessibility = Set(needs.to_owned());
                    let p = person.insert(db).await?.id;
                    let e = if kind == "jobseeker" {
                        let id = Uuid::new_v4();
                        episode::ActiveModel {
                            id: Set(id),
                            organisation_id: Set(self.org),
                            participant_id: Set(p),
                            specialist_id: Set(specialist),
                            team_id: Set(team),
                            programme: Set("seqf".to_owned()),
                            referred_on: Set(None),
                            started_on: Set(self.today),
                            profile_started_on: Set(None),
                            job_started_on: Set(None),
                            ended_on: Set(None),
                            employer_id: Set(None),
                            referral_id: Set(None),
                            hours_before: Set(None),
                            end_reason: Set(None),
                            created_by: Set(self.author),
                            body_hash: Set(body_hash(&id)),
                            created_at: Set(now),
                            updated_at: Set(now),
                        }
                        .insert(db)
                        .await?;
                        Some(id)
                    } else {
                        None
                    };
                    people.push((reference, p, e));
                    (p, e)
                }
            };
            let def = instruments[instrument];
            let swemwbs = def.kind == InstrumentKind::Swemwbs;
            let id = Uuid::new_v4();
            invitation::ActiveModel {
                id: Set(id),
                organisation_id: Set(self.org),
                participant_id: Set(participant),
                episode_id: Set(episode.filter(|_| swemwbs)),
                instrument_key: Set(def.key.as_str().to_owned()),
                instrument_version: Set(def.version),
                timing: Set(swemwbs.then(|| "start".to_owned())),
                // No link for these: they are opened by their code.
                token_hash: Set(body_hash(&(id, "demo link"))),
                short_code: Set(code.to_owned()),
                expires_at: Set(now + Duration::days(365)),
                created_by: Set(self.author),
                body_hash: Set(body_hash(&id)),
                created_at: Set(now),
            }
            .insert(db)
            .await?;
        }
        Ok(())
    }

    fn person(&mut self, kind: &str, reference: String) -> participant::ActiveModel {
        let id = Uuid::new_v4();
        let now = self.now;
        participant::ActiveModel {
            id: Set(id),
            organisation_id: Set(self.org),
            kind: Set(kind.to_owned()),
            body_hash: Set(body_hash(&(id, &reference))),
            reference: Set(reference),
            name: Set(None),
            email: Set(None),
            phone: Set(None),
            language: Set(if self.chance(8) { "cy" } else { "en" }.to_owned()),
            accessibility: Set("{}".into()),
            equality: Set("{}".into()),
            withdrawn_at: Set(None),
            erased_at: Set(None),
            created_by: Set(self.author),
            created_at: Set(now),
            updated_at: Set(now),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn answer(
        &mut self,
        def: &InstrumentDefinition,
        participant: Uuid,
        ep: &episode::Model,
        timing: Option<&str>,
        answers: Vec<Option<u8>>,
        day: NaiveDate,
        easy_read_ok: bool,
    ) -> anyhow::Result<response::ActiveModel> {
        let answered_at = self.at(day);
        let swemwbs = def.kind == InstrumentKind::Swemwbs;
        let scored = def
            .check(&answers)
            .map_err(|e| anyhow::anyhow!("demo answers: {}: {}", e.field, e.message))?;
        let respondent = self.pick(&[("self", 95), ("proxy", 5)]);
        let support = self.pick(&[("none", 70), ("read_aloud", 20), ("staff_assisted", 10)]);
        let channel = self.pick(&[
            ("own_device", 50),
            ("staff_device", 40),
            ("paper_transcribed", 10),
        ]);
        let format = if easy_read_ok && self.chance(25) {
            "easy_read"
        } else {
            "standard"
        };
        // Some answers carry a comment, so managers' comment lists have something to read; the
        // people who answered for themselves with the first wording agreed to be quoted, so a
        // report has comments to choose from.
        let (comment, may_quote) = if !swemwbs && self.chance(15) {
            let wording = self.rng.gen_range(0..2);
            let text = demo_comment(def.audience == Audience::Employer, scored.overall, wording);
            (Some(text.to_owned()), wording == 0 && respondent == "self")
        } else {
            (None, false)
        };
        let id = Uuid::new_v4();
        let mut am = response::ActiveModel {
            id: Set(id),
            organisation_id: Set(self.org),
            invitation_id: Set(None),
            participant_id: Set(participant),
            episode_id: Set(Some(ep.id)),
            instrument_key: Set(def.key.as_str().to_owned()),
            instrument_version: Set(def.version),
            timing: Set(timing.map(str::to_owned)),
            answers: Set(serde_json::to_string(&answers).unwrap_or_default()),
            overall: NotSet,
            swemwbs_raw: NotSet,
            swemwbs_metric: NotSet,
            complete: NotSet,
            respondent: Set(respondent.to_owned()),
            support: Set(support.to_owned()),
            channel: Set(channel.to_owned()),
            format: Set(format.to_owned()),
            language: Set("en".to_owned()),
            answered_at: Set(answered_at),
            answered_on: Set(local_date(&self.tz, answered_at)),
            received_at: Set(answered_at + Duration::minutes(self.rng.gen_range(0..3000))),
            author_id: Set(Some(self.author)),
            participant_session_id: Set(None),
            specialist_id: Set(Some(ep.specialist_id)),
            team_id: Set(ep.team_id),
            programme: Set(Some(ep.programme.clone())),
            comment: Set(comment),
            may_quote: Set(may_quote),
            body_hash: Set(body_hash(&id)),
        };
        am.set_scores(&scored);
        Ok(am)
    }

    fn satisfaction_answers(&mut self, mood: i32) -> Vec<Option<u8>> {
        (0..5)
            .map(|_| {
                let v = (mood + self.rng.gen_range(-1..=1)).clamp(1, 5);
                if self.chance(4) {
                    None
                } else {
                    u8::try_from(v).ok()
                }
            })
            .collect()
    }

    async fn history(
        &mut self,
        db: &impl ConnectionTrait,
        specialists: &[(Uuid, Option<Uuid>)],
        [jobseeker, employer, swemwbs]: [&InstrumentDefinition; 3],
    ) -> anyhow::Result<()> {
        let mut employers = Vec::new();
        for i in 1..=30 {
            let e = self
                .person("employer", format!("EMP-{i:03}"))
                .insert(db)
                .await?;
            employers.push(e.id);
        }
        let first_month = self.today - Duration::days(30 * MONTHS);
        let mut n = 0;
        for month in 0..MONTHS {
            for _ in 0..STARTS_PER_MONTH {
                n += 1;
                let started = first_month + Duration::days(30 * month + self.rng.gen_range(0..30));
                let ep = self
                    .jobseeker_episode(db, n, started, specialists, &employers)
                    .await?;
                self.forms(db, &ep, [jobseeker, employer, swemwbs]).await?;
            }
        }
        self.journey
            .never_started(db, specialists, first_month, MONTHS)
            .await
    }

    /// The `n`th jobseeker, starting on `started` with a specialist, perhaps ending and
    /// finding a job with one of `employers` before today.
    async fn jobseeker_episode(
        &mut self,
        db: &impl ConnectionTrait,
        n: usize,
        started: NaiveDate,
        specialists: &[(Uuid, Option<Uuid>)],
        employers: &[Uuid],
    ) -> anyhow::Result<episode::Model> {
        let mut person = self.person("jobseeker", format!("JS-{n:04}"));
        let equality = self.journey.equality(started);
        person.equality = Set(serde_json::to_string(&equality)?);
        let js = person.insert(db).await?;
        // The draws of `rng` in the order they have always been made.
        let (specialist, team) = specialists[self.rng.gen_range(0..specialists.len())];
        let length = Duration::days(self.rng.gen_range(120..360));
        let ended = Some(started + length).filter(|d| *d < self.today);
        let job = Some(started + Duration::days(self.rng.gen_range(40..110)))
            .filter(|d| *d < self.today && ended.is_none_or(|e| *d <= e) && self.chance(55));
        let employer_id = job.map(|_| employers[self.rng.gen_range(0..employers.len())]);
        let programme = if self.chance(80) { "seqf" } else { "ips" };
        let referred_on = started - Duration::days(self.rng.gen_range(5..40));
        let profile =
            Some(started + Duration::days(self.rng.gen_range(7..30))).filter(|d| *d < self.today);
        let draft = journey::EpisodeDraft {
            id: Uuid::new_v4(),
            referred: journey::Referred {
                participant: js.id,
                specialist,
                team,
                programme,
                on: referred_on,
            },
            started,
            profile,
            placement: job.zip(employer_id),
            ended,
            born_on: equality.born_on,
        };
        self.journey_episode(db, draft).await
    }

    /// Stores an episode as drawn, with its journey: the referral it started from, its jobs,
    /// its hours before and why it ended.
    async fn journey_episode(
        &mut self,
        db: &impl ConnectionTrait,
        d: journey::EpisodeDraft,
    ) -> anyhow::Result<episode::Model> {
        let plan = self.journey.plan(&d);
        plan.referral.insert(db).await?;
        let now = self.now;
        let ep = episode::ActiveModel {
            id: Set(d.id),
            organisation_id: Set(self.org),
            participant_id: Set(d.referred.participant),
            specialist_id: Set(d.referred.specialist),
            team_id: Set(d.referred.team),
            programme: Set(d.referred.programme.to_owned()),
            referred_on: Set(Some(d.referred.on)),
            started_on: Set(d.started),
            profile_started_on: Set(d.profile),
            job_started_on: Set(d.placement.map(|p| p.0)),
            ended_on: Set(d.ended),
            employer_id: Set(d.placement.map(|p| p.1)),
            referral_id: Set(Some(plan.referral_id)),
            hours_before: Set(plan.hours_before),
            end_reason: Set(plan.end_reason.map(str::to_owned)),
            created_by: Set(self.author),
            body_hash: Set(body_hash(&d.id)),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db)
        .await?;
        for j in plan.jobs {
            j.insert(db).await?;
        }
        Ok(ep)
    }

    /// The forms an episode was answered: SWEMWBS at its start and end, the jobseeker's and
    /// the employer's satisfaction surveys.
    async fn forms(
        &mut self,
        db: &impl ConnectionTrait,
        ep: &episode::Model,
        [jobseeker, employer, swemwbs]: [&InstrumentDefinition; 3],
    ) -> anyhow::Result<()> {
        let started = ep.started_on;
        let start_raw: i32 = self.rng.gen_range(12..27);
        if self.chance(90) {
            let mut items = items_for_raw(start_raw as u8);
            if self.chance(5) {
                items[3] = None;
            }
            self.answer(
                swemwbs,
                ep.participant_id,
                ep,
                Some("start"),
                items,
                started,
                false,
            )?
            .insert(db)
            .await?;
        }
        let Some(ended) = ep.ended_on else {
            return Ok(());
        };
        let change: i32 = self.rng.gen_range(-4..=9);
        if self.chance(80) {
            let end_raw = (start_raw + change).clamp(7, 35) as u8;
            self.answer(
                swemwbs,
                ep.participant_id,
                ep,
                Some("end"),
                items_for_raw(end_raw),
                ended,
                false,
            )?
            .insert(db)
            .await?;
        }
        if self.chance(75) {
            let mood = self.pick(&[(5, 45), (4, 35), (3, 12), (2, 6), (1, 2)]);
            let answers = self.satisfaction_answers(mood);
            let day = ended + Duration::days(self.rng.gen_range(0..10));
            if day < self.today {
                self.answer(jobseeker, ep.participant_id, ep, None, answers, day, true)?
                    .insert(db)
                    .await?;
            }
        }
        if let (Some(job), Some(employer_id)) = (ep.job_started_on, ep.employer_id) {
            let due = job + domain::coverage::EMPLOYER_SURVEY_AFTER;
            if due < self.today && self.chance(60) {
                let mood = self.pick(&[(5, 40), (4, 40), (3, 12), (2, 6), (1, 2)]);
                let answers = self.satisfaction_answers(mood);
                let day = due + Duration::days(self.rng.gen_range(0..20));
                if day < self.today {
                    self.answer(employer, employer_id, ep, None, answers, day, false)?
                        .insert(db)
                        .await?;
                }
            }
        }
        Ok(())
    }
}

/// A made-up comment that fits the rating (the demo's people are invented).
fn demo_comment(employer: bool, overall: Option<u8>, which: usize) -> &'static str {
    let options: [&str; 2] = match (employer, overall.unwrap_or(3)) {
        (false, 1..=2) => [
            "I waited weeks to hear back about the interview.",
            "I did not feel listened to at the first meeting.",
        ],
        (false, 3) => [
            "Helpful, but the meetings were hard to get to by bus.",
            "Some weeks were good, some I heard nothing.",
        ],
        (false, _) => [
            "My specialist helped me write my CV and came to the interview with me.",
            "I like my job and I still get support when I need it.",
        ],
        (true, 1..=2) => [
            "Nobody called back when we had a problem on shift.",
            "We needed more support in the first month.",
        ],
        (true, 3) => [
            "Good candidate; the paperwork took too long.",
            "Support was fine, but visits were hard to arrange.",
        ],
        (true, _) => [
            "The job coach visits made a real difference in the first weeks.",
            "Clear communication and a good match for the role.",
        ],
    };
    options[which % options.len()]
}
