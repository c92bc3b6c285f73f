//! Outcomes through the API (DESIGN.md §4a): the journey of an episode (referral, decision,
//! service start, vocational profile, jobs and their ends, hours before, support end) and the
//! figures read from it, on a hand-made dataset whose expected figures are worked out by hand
//! in the comments; then the journey's refusals, resends and bad input.

use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of, sync_statuses, xlsx};
use uuid::Uuid;

pub(crate) struct World {
    pub(crate) app: TestApp,
    pub(crate) admin: String,
    pub(crate) manager: String,
    pub(crate) sam: String,
    jo: String,
    sam_id: Uuid,
    jo_id: Uuid,
}

/// Sam (team North) and Jo (team South), a manager and an admin.
pub(crate) async fn world() -> World {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    app.create_staff_direct(org, "manager@a.example.org", domain::Role::Manager)
        .await;
    let manager = app.login("manager@a.example.org").await.access_token;
    let (sam_id, _) = app
        .specialist_in_team(org, &admin, "sam@a.example.org", "North")
        .await;
    let (jo_id, _) = app
        .specialist_in_team(org, &admin, "jo@a.example.org", "South")
        .await;
    let sam = app.login("sam@a.example.org").await.access_token;
    let jo = app.login("jo@a.example.org").await.access_token;
    World {
        app,
        admin,
        manager,
        sam,
        jo,
        sam_id,
        jo_id,
    }
}

impl World {
    async fn person(&self, token: &str, reference: &str, equality: Value) -> Uuid {
        let p = body::with(
            body::participant("jobseeker", reference),
            json!({"equality": equality}),
        );
        id_of(&self.app.create("/api/participants", token, &p).await)
    }

    /// A referral; `decision` adds `accepted`, `decided_on` and `not_accepted_reason`.
    async fn refer(
        &self,
        token: &str,
        participant: Uuid,
        programme: &str,
        referred_on: &str,
        source: &str,
        decision: Value,
    ) -> Uuid {
        let r = body::with(
            body::referral(participant, programme, referred_on, source),
            decision,
        );
        id_of(&self.app.create("/api/referrals", token, &r).await)
    }

    /// An episode of support; `extra` adds `referral_id`, `profile_started_on`, `hours_before`...
    async fn start(
        &self,
        token: &str,
        participant: Uuid,
        programme: &str,
        started_on: &str,
        extra: Value,
    ) -> Uuid {
        let e = body::with(
            json!({"id": Uuid::new_v4(), "participant_id": participant, "programme": programme,
                   "started_on": started_on}),
            extra,
        );
        id_of(&self.app.create("/api/episodes", token, &e).await)
    }

    /// A job; `extra` adds hours, pay, sector, an end...
    async fn job(
        &self,
        token: &str,
        episode: Uuid,
        started_on: &str,
        outcome: &str,
        paid: bool,
        extra: Value,
    ) -> Uuid {
        let j = body::with(body::job(episode, started_on, outcome, paid), extra);
        id_of(&self.app.create("/api/jobs", token, &j).await)
    }

    async fn patch_ok(&self, token: &str, path: &str, change: Value) -> Value {
        let res = self.app.patch(path, Some(token), &change).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, 200, "PATCH {path} {change}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    pub(crate) async fn get_ok(&self, token: &str, path: &str) -> Value {
        let res = self.app.get(path, Some(token)).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, 200, "GET {path}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    async fn put_ok(&self, token: &str, path: &str, body: &Value) -> Value {
        let res = self.app.put(path, Some(token), body).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, 200, "PUT {path}: {text}");
        serde_json::from_str(&text).unwrap()
    }
}

/// The whole of 2025, read as of 31 March 2026 (so nothing depends on today).
const YEAR: &str = "first=2025-01-01&last=2025-12-31&as_of=2026-03-31";

/// The dataset: fifteen jobseekers' journeys, mostly in 2025 (all dates 2025 unless said).
///
/// ```text
/// who  by   prog  referral (source; decision)          start       profile      jobs (paid unless said)                   support end
/// ADA  Sam  seqf  06 Jan job centre; yes 08 Jan        13 Jan      20 Jan       new 03 Mar–30 May; new 27 Jun (28 days on) 28 Nov
/// BEN  Sam  seqf  03 Feb self; yes 05 Feb              10 Feb      17 Feb       new 07 Apr–06 Jun; new 05 Jul (29 days on)
/// CAT  Jo   seqf  03 Mar health; yes 05 Mar            10 Mar      01 Apr       unpaid 01–31 May; self-employed 04 Aug
/// DAN  Jo   seqf  24 Mar social care; undecided        07 Apr      14 Apr       retained 30 Sep
/// EVE  Sam  seqf  03 Mar school; yes 10 Mar            17 Mar      31 Mar       apprenticeship 01 Apr 2026
/// FAY  Jo   ips   02 Jun health; yes 04 Jun            09 Jun      16 Jun       new 07 Jul–05 Sep
/// GUS  Sam  ips   01 Sep job centre; yes 03 Sep        08 Sep      15 Sep       new 03 Nov
/// HAL  Sam  seqf  23 Jun other; yes 30 Jun             07 Jul      14 Jul       unpaid 01 Aug                              19 Dec
/// IVY  Sam  seqf  —                                    01 Oct 2024 15 Oct 2024  apprenticeship 06 Jan                      29 Aug
/// JON  Jo   seqf  —                                    03 Jun 2024 —            —                                          14 Mar
/// KIT  Sam  seqf  14 Apr job centre; no (ineligible)
/// LEO  Jo   ips   05 May self; no (declined)
/// MIA  Jo   seqf  21 Jul health; later no (could not contact, 04 Aug)
/// NED  Sam  seqf  03 Nov job centre; yes 10 Nov; support not started
/// OLA  Sam  seqf  16 Dec 2024 other; no (other, 20 Dec 2024) — before the period
/// ```
///
/// Areas: urban ADA CAT EVE KIT NED OLA; rural BEN FAY LEO; prefer not to say DAN GUS MIA; HAL,
/// IVY and JON not recorded. Hours a week before support: ADA 0, BEN 8, DAN 12.5.
pub(crate) async fn dataset(w: &World) {
    let (sam, jo) = (w.sam.as_str(), w.jo.as_str());
    let yes = |on: &str| json!({"accepted": true, "decided_on": on});
    let no = |on: &str, why: &str| json!({"accepted": false, "decided_on": on, "not_accepted_reason": why});
    let cafe = id_of(
        &w.app
            .create(
                "/api/participants",
                sam,
                &body::participant("employer", "EMP-CAFE"),
            )
            .await,
    );

    // ADA: the first job ends on 30 May and the next starts 28 days later: one spell.
    let ada = w
        .person(
            sam,
            "ADA",
            json!({"gender": "woman", "area": "urban", "born_on": "1990-05-01"}),
        )
        .await;
    let r = w
        .refer(
            sam,
            ada,
            "seqf",
            "2025-01-06",
            "job_centre",
            yes("2025-01-08"),
        )
        .await;
    let e = w
        .start(
            sam,
            ada,
            "seqf",
            "2025-01-13",
            json!({"referral_id": r, "profile_started_on": "2025-01-20", "hours_before": 0}),
        )
        .await;
    let first = w
        .job(
            sam,
            e,
            "2025-03-03",
            "new_job",
            true,
            json!({"employer_id": cafe, "title": "Barista", "sector": "I", "hours_per_week": 16,
                   "hourly_pay": 12.5, "job_analysis": true}),
        )
        .await;
    w.patch_ok(
        sam,
        &format!("/api/jobs/{first}"),
        json!({"ended_on": "2025-05-30", "end_reason": "resigned"}),
    )
    .await;
    w.job(
        sam,
        e,
        "2025-06-27",
        "new_job",
        true,
        json!({"sector": "G", "hours_per_week": 20, "hourly_pay": 12.6, "job_analysis": true}),
    )
    .await;
    w.patch_ok(
        sam,
        &format!("/api/episodes/{e}"),
        json!({"ended_on": "2025-11-28", "end_reason": "sustained_in_work"}),
    )
    .await;

    // BEN: the next job starts 29 days after the first ended: a new spell.
    let ben = w
        .person(sam, "BEN", json!({"gender": "man", "area": "rural"}))
        .await;
    let r = w
        .refer(sam, ben, "seqf", "2025-02-03", "self", yes("2025-02-05"))
        .await;
    let e = w
        .start(
            sam,
            ben,
            "seqf",
            "2025-02-10",
            json!({"referral_id": r, "profile_started_on": "2025-02-17"}),
        )
        .await;
    w.patch_ok(
        sam,
        &format!("/api/episodes/{e}"),
        json!({"hours_before": 8}),
    )
    .await;
    w.job(
        sam,
        e,
        "2025-04-07",
        "new_job",
        true,
        json!({"sector": "H", "hours_per_week": 37.5, "hourly_pay": 11.44,
               "ended_on": "2025-06-06", "end_reason": "dismissed"}),
    )
    .await;
    w.job(
        sam,
        e,
        "2025-07-05",
        "new_job",
        true,
        json!({"sector": "H", "hours_per_week": 37.5, "hourly_pay": 12.21}),
    )
    .await;

    // CAT: unpaid work first, which is not a paid job start; then self-employment.
    let cat = w
        .person(jo, "CAT", json!({"gender": "woman", "area": "urban"}))
        .await;
    let r = w
        .refer(jo, cat, "seqf", "2025-03-03", "health", yes("2025-03-05"))
        .await;
    let e = w
        .start(
            jo,
            cat,
            "seqf",
            "2025-03-10",
            json!({"referral_id": r, "profile_started_on": "2025-04-01"}),
        )
        .await;
    w.job(
        jo,
        e,
        "2025-05-01",
        "new_job",
        false,
        json!({"hours_per_week": 10, "ended_on": "2025-05-31", "end_reason": "contract_ended"}),
    )
    .await;
    w.job(
        jo,
        e,
        "2025-08-04",
        "self_employment",
        true,
        json!({"sector": "S"}),
    )
    .await;

    // DAN: nobody recorded a decision; starting support accepts the referral. His hours
    // before support come through the offline outbox.
    let dan = w
        .person(
            jo,
            "DAN",
            json!({"gender": "man", "area": "prefer_not_to_say", "born_on": "1998-02-28"}),
        )
        .await;
    let r = w
        .refer(jo, dan, "seqf", "2025-03-24", "social_care", json!({}))
        .await;
    let e = w
        .start(
            jo,
            dan,
            "seqf",
            "2025-04-07",
            json!({"referral_id": r, "profile_started_on": "2025-04-14"}),
        )
        .await;
    let res = w
        .app
        .post(
            "/api/sync",
            Some(jo),
            &json!({"records": [{"kind": "episode_update",
                                 "body": {"episode_id": e, "change": {"hours_before": 12.5}}}]}),
        )
        .await;
    assert_eq!(sync_statuses(&res.json().await.unwrap()), vec![201]);
    let referral: Vec<Value> = w
        .get_ok(jo, &format!("/api/referrals?participant_id={dan}"))
        .await
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        (&referral[0]["accepted"], &referral[0]["decided_on"]),
        (&json!(true), &json!("2025-04-07"))
    );
    w.job(
        jo,
        e,
        "2025-09-30",
        "retained_job",
        true,
        json!({"sector": "Q", "hours_per_week": 30, "hourly_pay": 12.21}),
    )
    .await;

    // EVE: her apprenticeship starts the day after the as-of date.
    let eve = w
        .person(
            sam,
            "EVE",
            json!({"gender": "non_binary", "area": "urban", "born_on": "2007-01-15"}),
        )
        .await;
    let r = w
        .refer(
            sam,
            eve,
            "seqf",
            "2025-03-03",
            "school_college",
            yes("2025-03-10"),
        )
        .await;
    let e = w
        .start(
            sam,
            eve,
            "seqf",
            "2025-03-17",
            json!({"referral_id": r, "profile_started_on": "2025-03-31"}),
        )
        .await;
    w.job(
        sam,
        e,
        "2026-04-01",
        "apprenticeship",
        true,
        json!({"hourly_pay": 7.55}),
    )
    .await;

    // FAY (IPS): in work for two months.
    let fay = w
        .person(jo, "FAY", json!({"gender": "woman", "area": "rural"}))
        .await;
    let r = w
        .refer(jo, fay, "ips", "2025-06-02", "health", yes("2025-06-04"))
        .await;
    let e = w
        .start(
            jo,
            fay,
            "ips",
            "2025-06-09",
            json!({"referral_id": r, "profile_started_on": "2025-06-16"}),
        )
        .await;
    w.job(
        jo,
        e,
        "2025-07-07",
        "new_job",
        true,
        json!({"sector": "G", "hours_per_week": 25, "hourly_pay": 12, "job_analysis": true,
               "ended_on": "2025-09-05", "end_reason": "contract_ended"}),
    )
    .await;

    // GUS (IPS): in work from November.
    let gus = w
        .person(
            sam,
            "GUS",
            json!({"gender": "man", "area": "prefer_not_to_say"}),
        )
        .await;
    let r = w
        .refer(
            sam,
            gus,
            "ips",
            "2025-09-01",
            "job_centre",
            yes("2025-09-03"),
        )
        .await;
    let e = w
        .start(
            sam,
            gus,
            "ips",
            "2025-09-08",
            json!({"referral_id": r, "profile_started_on": "2025-09-15"}),
        )
        .await;
    w.job(
        sam,
        e,
        "2025-11-03",
        "new_job",
        true,
        json!({"sector": "C", "hours_per_week": 40}),
    )
    .await;

    // HAL: volunteering only, then he withdrew.
    let hal = w.person(sam, "HAL", json!({"gender": "man"})).await;
    let r = w
        .refer(sam, hal, "seqf", "2025-06-23", "other", yes("2025-06-30"))
        .await;
    let e = w
        .start(
            sam,
            hal,
            "seqf",
            "2025-07-07",
            json!({"referral_id": r, "profile_started_on": "2025-07-14"}),
        )
        .await;
    w.job(sam, e, "2025-08-01", "new_job", false, json!({}))
        .await;
    w.patch_ok(
        sam,
        &format!("/api/episodes/{e}"),
        json!({"ended_on": "2025-12-19", "end_reason": "withdrew"}),
    )
    .await;

    // IVY: support from 2024 without a referral; an apprenticeship from January.
    let ivy = w.person(sam, "IVY", json!({})).await;
    let e = w
        .start(
            sam,
            ivy,
            "seqf",
            "2024-10-01",
            json!({"profile_started_on": "2024-10-15"}),
        )
        .await;
    w.job(
        sam,
        e,
        "2025-01-06",
        "apprenticeship",
        true,
        json!({"sector": "F", "hours_per_week": 30, "hourly_pay": 7.55}),
    )
    .await;
    w.patch_ok(
        sam,
        &format!("/api/episodes/{e}"),
        json!({"ended_on": "2025-08-29", "end_reason": "sustained_in_work"}),
    )
    .await;

    // JON: support from 2024 that ended before April 2025.
    let jon = w.person(jo, "JON", json!({})).await;
    w.start(
        jo,
        jon,
        "seqf",
        "2024-06-03",
        json!({"ended_on": "2025-03-14", "end_reason": "lost_contact"}),
    )
    .await;

    // Referrals that did not start.
    let kit = w
        .person(sam, "KIT", json!({"gender": "man", "area": "urban"}))
        .await;
    w.refer(
        sam,
        kit,
        "seqf",
        "2025-04-14",
        "job_centre",
        no("2025-04-16", "ineligible"),
    )
    .await;
    let leo = w.person(jo, "LEO", json!({"area": "rural"})).await;
    w.refer(
        jo,
        leo,
        "ips",
        "2025-05-05",
        "self",
        no("2025-05-09", "declined"),
    )
    .await;
    let mia = w
        .person(jo, "MIA", json!({"area": "prefer_not_to_say"}))
        .await;
    let r = w
        .refer(jo, mia, "seqf", "2025-07-21", "health", json!({}))
        .await;
    // The manager records the decision later.
    let decided = w
        .patch_ok(
            &w.manager,
            &format!("/api/referrals/{r}"),
            no("2025-08-04", "could_not_contact"),
        )
        .await;
    assert_eq!(decided["not_accepted_reason"], "could_not_contact");
    let ned = w.person(sam, "NED", json!({"area": "urban"})).await;
    w.refer(
        sam,
        ned,
        "seqf",
        "2025-11-03",
        "job_centre",
        yes("2025-11-10"),
    )
    .await;
    let ola = w.person(sam, "OLA", json!({"area": "urban"})).await;
    w.refer(
        sam,
        ola,
        "seqf",
        "2024-12-16",
        "other",
        no("2024-12-20", "other"),
    )
    .await;
}

/// A count under `key` in a list of counts (0 when it is not listed).
fn count(list: &Value, key: &str) -> u64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .map_or(0, |c| c["n"].as_u64().unwrap())
}

/// A rate's numerator, n and percentage.
fn rate(r: &Value) -> (u64, u64, Value) {
    (
        r["numerator"].as_u64().unwrap(),
        r["n"].as_u64().unwrap(),
        r["percent"].clone(),
    )
}

fn at_least(value: f64) -> Value {
    json!({"kind": "at_least", "value": value})
}

fn between(low: f64, high: f64) -> Value {
    json!({"kind": "between", "low": low, "high": high})
}

#[tokio::test]
async fn kpis_a_b_and_e_access_and_the_job_figures_are_the_hand_worked_ones() {
    let w = world().await;
    dataset(&w).await;

    let o = w.get_ok(&w.manager, &format!("/api/outcomes?{YEAR}")).await;
    assert_eq!(
        o["period"],
        json!({"first": "2025-01-01", "last": "2025-12-31"})
    );
    assert_eq!(o["as_of"], "2026-03-31");
    assert_eq!(o["programme"], "seqf");

    // KPI A. The cohort is the eight profiles started in 2025: ADA, BEN, CAT, DAN, EVE, FAY,
    // GUS, HAL (IVY's was in 2024). A paid job had started by 31 March 2026 for six: not EVE
    // (1 April 2026, a day late) nor HAL (unpaid only). 6 / 8 = 75.00%.
    let a = &o["kpi_a"];
    assert_eq!(rate(&a["rate"]), (6, 8, json!(75.0)));
    // Still early: a profile later than 31 March 2025 (12 months before the as-of date): CAT,
    // DAN, FAY, GUS, HAL. EVE's, on 31 March 2025 exactly, is 12 months old: not early.
    assert_eq!(a["still_early"], 5);
    // 75% reaches the 50% band: 5. Judged by "starters into paid work", at least 40%: green.
    assert_eq!(a["scored"]["score"], 5);
    assert_eq!(a["scored"]["direction"], "at_least");
    assert_eq!(a["judged"]["benchmark"], at_least(40.0));
    assert_eq!(a["judged"]["benchmark_rag"], "green");
    assert_eq!(a["judged"]["target"], Value::Null);
    assert_eq!(a["judged"]["target_rag"], Value::Null);

    // KPI B: first paid job in 2025, days from the service start: ADA 3 Mar − 13 Jan = 49,
    // BEN 7 Apr − 10 Feb = 56, CAT 4 Aug − 10 Mar = 147 (her unpaid May does not count),
    // DAN 30 Sep − 7 Apr = 176, FAY 7 Jul − 9 Jun = 28, GUS 3 Nov − 8 Sep = 56,
    // IVY 6 Jan 2025 − 1 Oct 2024 = 97. 609 days / 7 = 87 days = 12.43 weeks: 12.4 to 1 dp.
    let b = &o["kpi_b"];
    assert_eq!(b["weeks"]["n"], 7);
    assert_eq!(b["weeks"]["mean"], 12.4);
    // At most 16 weeks scores 4 (10 would be 5).
    assert_eq!(b["scored"]["score"], 4);
    assert_eq!(b["scored"]["direction"], "at_most");

    // KPI E, 26 weeks (182 days) on from the first paid job:
    //   ADA  3 Mar → 1 Sep 2025: her spell goes on (the next job began 28 days after the first
    //        ended): sustained.
    //   BEN  7 Apr → 6 Oct 2025: his first spell ended 6 Jun; the job 29 days later is a new
    //        spell: not sustained.
    //   CAT  4 Aug → 2 Feb 2026: still self-employed: sustained.
    //   DAN 30 Sep → 31 Mar 2026, the as-of date itself: still in work: sustained.
    //   FAY  7 Jul → 5 Jan 2026: the job ended 5 Sep: not sustained.
    //   GUS  3 Nov → 4 May 2026, after the as-of date: too early to tell.
    //   IVY  6 Jan → 7 Jul 2025: still in the apprenticeship (support ending is not the job
    //        ending): sustained.
    // 4 of 6 = 66.67%, one too early.
    let e = &o["kpi_e"];
    assert_eq!(rate(&e["rate"]), (4, 6, json!(66.67)));
    assert_eq!(e["too_early"], 1);
    assert_eq!(e["weeks"], 26);
    // 66.67% reaches the 60% band: 2. Against SEQF's "at least 70%": short by 3.33, within
    // 10% of 70 (7): amber.
    assert_eq!(e["scored"]["score"], 2);
    assert_eq!(e["judged"]["benchmark"], at_least(70.0));
    assert_eq!(e["judged"]["benchmark_rag"], "amber");

    // Access: twelve referrals in 2025 (OLA's was in December 2024). Eight started (ADA, BEN,
    // CAT, DAN, EVE, FAY, GUS, HAL); KIT, LEO and MIA were not accepted and NED has not
    // started. 8 / 12 = 66.67%: within 10% of 70% (63): amber.
    assert_eq!(rate(&o["access"]), (8, 12, json!(66.67)));
    assert_eq!(o["access_judged"]["benchmark"], at_least(70.0));
    assert_eq!(o["access_judged"]["benchmark_rag"], "amber");
    let refused = &o["not_accepted"];
    assert_eq!(
        [
            count(refused, "ineligible"),
            count(refused, "declined"),
            count(refused, "could_not_contact"),
            count(refused, "other"),
        ],
        [1, 1, 1, 0],
        "OLA's refusal was in 2024: {refused}"
    );

    // Starters into paid work: of the eight episodes that started in 2025, six had a paid job
    // by the as-of date (not EVE, HAL): 75.00%, at least 40%: green.
    assert_eq!(rate(&o["into_paid_work"]), (6, 8, json!(75.0)));
    assert_eq!(o["into_paid_work_judged"]["benchmark_rag"], "green");

    // The outcome mix of the eleven jobs that started in 2025 (paid or not): new jobs ADA 2,
    // BEN 2, CAT 1 (unpaid), FAY 1, GUS 1, HAL 1 (unpaid) = 8; retained DAN; self-employed
    // CAT; apprenticeship IVY (EVE's is in 2026).
    let mix = &o["outcome_mix"];
    assert_eq!(
        [
            count(mix, "new_job"),
            count(mix, "retained_job"),
            count(mix, "self_employment"),
            count(mix, "apprenticeship"),
        ],
        [8, 1, 1, 1]
    );
    // With a job analysis: ADA's two and FAY's, 3 of 11 = 27.27%.
    assert_eq!(rate(&o["job_analysis"]), (3, 11, json!(27.27)));
    // Hours before support, over episodes with a paid job started in 2025 that have them:
    // ADA 0, BEN 8, DAN 12.5: 20.5 / 3 = 6.83.
    assert_eq!(o["hours_before"]["n"], 3);
    assert_eq!(o["hours_before"]["mean"], 6.83);
    // Hourly pay of the paid jobs of 2025 that have one: 12.50 + 12.60 + 11.44 + 12.21 (BEN)
    // + 12.21 (DAN) + 12.00 + 7.55 (IVY) = 80.51 / 7 = 11.501: 11.50.
    assert_eq!(o["hourly_pay"]["n"], 7);
    assert_eq!(o["hourly_pay"]["mean"], 11.5);
    // No contract value recorded: no cost figures.
    assert_eq!(o["cost"], Value::Null);
}

#[tokio::test]
async fn the_ips_view_counts_ips_journeys_13_weeks_on_against_ips_benchmarks() {
    let w = world().await;
    dataset(&w).await;

    let o = w
        .get_ok(&w.manager, &format!("/api/outcomes?{YEAR}&programme=ips"))
        .await;
    assert_eq!(o["programme"], "ips");
    // KPI A: FAY (16 Jun) and GUS (15 Sep), both in paid work: 2 / 2, both still early.
    assert_eq!(rate(&o["kpi_a"]["rate"]), (2, 2, json!(100.0)));
    assert_eq!(o["kpi_a"]["still_early"], 2);
    // KPI B: FAY 28 days, GUS 56: 84 / 2 = 42 days = 6.0 weeks, at most 10: score 5.
    assert_eq!(o["kpi_b"]["weeks"]["mean"], 6.0);
    assert_eq!(o["kpi_b"]["scored"]["score"], 5);
    // KPI E over 13 weeks (91 days): FAY 7 Jul → 6 Oct 2025, her job ended 5 Sep: not
    // sustained; GUS 3 Nov → 2 Feb 2026, still in work: sustained. 1 / 2 = 50%, none too
    // early (26 weeks on, GUS was too early). 50% scores 1; against IPS's "at least 65%" it is
    // short by 15, more than 6.5: red.
    let e = &o["kpi_e"];
    assert_eq!(e["weeks"], 13);
    assert_eq!(rate(&e["rate"]), (1, 2, json!(50.0)));
    assert_eq!(e["too_early"], 0);
    assert_eq!(e["scored"]["score"], 1);
    assert_eq!(e["judged"]["benchmark"], at_least(65.0));
    assert_eq!(e["judged"]["benchmark_rag"], "red");
    // Access: FAY and GUS started, LEO declined: 2 / 3 = 66.67%, amber against 70%.
    assert_eq!(rate(&o["access"]), (2, 3, json!(66.67)));
    assert_eq!(o["access_judged"]["benchmark_rag"], "amber");
    assert_eq!(count(&o["not_accepted"], "declined"), 1);
    assert_eq!(count(&o["not_accepted"], "ineligible"), 0);
    // Two new jobs.
    assert_eq!(count(&o["outcome_mix"], "new_job"), 2);
    assert_eq!(count(&o["outcome_mix"], "retained_job"), 0);
}

#[tokio::test]
async fn every_figure_counts_for_the_specialist_or_team_asked() {
    let w = world().await;
    dataset(&w).await;
    let north: Value = w.get_ok(&w.manager, "/api/teams").await;
    let north = north
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "North")
        .unwrap()["id"]
        .clone();
    let figures = |filter: String| {
        let w = &w;
        async move {
            let o = w
                .get_ok(&w.manager, &format!("/api/outcomes?{YEAR}&{filter}"))
                .await;
            (
                rate(&o["kpi_a"]["rate"]),
                o["kpi_a"]["still_early"].as_u64().unwrap(),
                (
                    o["kpi_b"]["weeks"]["mean"].clone(),
                    o["kpi_b"]["scored"]["score"].clone(),
                ),
                (
                    rate(&o["kpi_e"]["rate"]),
                    o["kpi_e"]["too_early"].as_u64().unwrap(),
                ),
                (
                    rate(&o["access"]),
                    o["access_judged"]["benchmark_rag"].clone(),
                ),
                [
                    count(&o["not_accepted"], "ineligible"),
                    count(&o["not_accepted"], "declined"),
                    count(&o["not_accepted"], "could_not_contact"),
                ],
            )
        }
    };
    // Sam's journeys (team North): KPI A over ADA, BEN, EVE, GUS, HAL: paid ADA, BEN, GUS =
    // 3 / 5 = 60%, still early GUS and HAL. KPI B: ADA 49, BEN 56, GUS 56, IVY 97 days =
    // 258 / 4 = 64.5 days = 9.2 weeks, at most 10: 5. KPI E: ADA yes, BEN no, IVY yes, GUS too
    // early: 2 / 3 = 66.67%. Access: ADA, BEN, EVE, GUS, HAL started; KIT, NED did not: 5 / 7 =
    // 71.43%, green. KIT ineligible.
    let sams = (
        (3, 5, json!(60.0)),
        2,
        (json!(9.2), json!(5)),
        ((2, 3, json!(66.67)), 1),
        ((5, 7, json!(71.43)), json!("green")),
        [1, 0, 0],
    );
    assert_eq!(figures(format!("specialist_id={}", w.sam_id)).await, sams);
    assert_eq!(
        figures(format!("team_id={}", north.as_str().unwrap())).await,
        sams
    );
    // Jo's: KPI A over CAT, DAN, FAY, all paid: 100%, all still early. KPI B: CAT 147, DAN
    // 176, FAY 28 = 351 / 3 = 117 days = 16.7 weeks: over 16, at most 26: 3. KPI E: CAT yes,
    // DAN yes, FAY no: 66.67%. Access: CAT, DAN, FAY started, LEO and MIA did not: 3 / 5 =
    // 60%, short of 70 by more than 7: red. LEO declined, MIA could not be contacted.
    assert_eq!(
        figures(format!("specialist_id={}", w.jo_id)).await,
        (
            (3, 3, json!(100.0)),
            3,
            (json!(16.7), json!(3)),
            ((2, 3, json!(66.67)), 0),
            ((3, 5, json!(60.0)), json!("red")),
            [0, 1, 1],
        )
    );
}

#[tokio::test]
async fn cost_targets_and_edited_bands_are_read_from_the_outcome_settings() {
    let w = world().await;
    dataset(&w).await;

    // The defaults are seed 000's bands (no score 3 for KPI A, as the seed has it), no
    // targets and no contract values.
    let defaults = w.get_ok(&w.manager, "/api/settings/outcomes").await;
    let bands = |v: &Value| -> Vec<(f64, u64)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["threshold"].as_f64().unwrap(),
                    b["score"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        bands(&defaults["bands"]["kpi_a"]),
        vec![(10.0, 1), (30.0, 2), (40.0, 4), (50.0, 5)]
    );
    assert_eq!(
        bands(&defaults["bands"]["kpi_b"]),
        vec![(52.0, 1), (39.0, 2), (26.0, 3), (16.0, 4), (10.0, 5)]
    );
    assert_eq!(
        bands(&defaults["bands"]["kpi_e"]),
        vec![(50.0, 1), (60.0, 2), (70.0, 3), (80.0, 4), (90.0, 5)]
    );
    assert_eq!(defaults["contract_values"], json!([]));
    assert!(!defaults["minimum_wage"].as_array().unwrap().is_empty());

    // The admin adds a 3 to KPI A's bands, the organisation's own targets, and two contract
    // values: April–September 2025 (inside 2025) and October 2025–March 2026 (not wholly
    // inside 2025, so not counted for 2025).
    let mut settings = defaults.clone();
    // (Figures written as the server writes them back, with a decimal point.)
    settings["bands"]["kpi_a"] = json!([
        {"threshold": 10.0, "score": 1}, {"threshold": 30.0, "score": 2},
        {"threshold": 60.0, "score": 3}, {"threshold": 80.0, "score": 4},
        {"threshold": 90.0, "score": 5}
    ]);
    settings["targets"] = json!({"access": 60.0, "kpi_a": 80.0, "into_paid_work": 90.0,
                                 "kpi_e": 65.0, "caseload": null, "cost_per_participant": 5000.0,
                                 "cost_per_job_outcome": 12000.0});
    settings["contract_values"] = json!([
        {"first": "2025-04-01", "last": "2025-09-30", "amount": 46000.0},
        {"first": "2025-10-01", "last": "2026-03-31", "amount": 20000.0}
    ]);
    let stored = w
        .put_ok(&w.admin, "/api/settings/outcomes", &settings)
        .await;
    assert_eq!(stored, settings);
    assert_eq!(
        w.get_ok(&w.manager, "/api/settings/outcomes").await,
        settings
    );

    let o = w.get_ok(&w.manager, &format!("/api/outcomes?{YEAR}")).await;
    // KPI A's 75% now reaches the 60% band only: 3. Against its target of 80%: short by 5,
    // within 8 (10% of 80): amber.
    assert_eq!(o["kpi_a"]["scored"]["score"], 3);
    assert_eq!(o["kpi_a"]["judged"]["target"], at_least(80.0));
    assert_eq!(o["kpi_a"]["judged"]["target_rag"], "amber");
    assert_eq!(o["kpi_a"]["judged"]["benchmark_rag"], "green");
    // Access 66.67% meets its target of 60: green (the benchmark's word stays amber).
    assert_eq!(o["access_judged"]["target_rag"], "green");
    assert_eq!(o["access_judged"]["benchmark_rag"], "amber");
    // Into paid work 75% against 90: short by 15, more than 9: red.
    assert_eq!(o["into_paid_work_judged"]["target_rag"], "red");
    // KPI E 66.67% meets 65: green.
    assert_eq!(o["kpi_e"]["judged"]["target_rag"], "green");

    // Cost, from the one contract value wholly inside 2025: £46,000 for April–September.
    // Participants supported then (started by 30 Sep, not ended before 1 Apr): ADA, BEN, CAT,
    // DAN, EVE, FAY, GUS, HAL, IVY = 9 (JON's support ended 14 Mar). £46,000 / 9 = £5,111.11:
    // inside SEQF's £4,500–£6,500 (green); over the £5,000 target by £111.11, within £500:
    // amber. Job outcomes (first paid job starts) in that span: BEN 7 Apr, FAY 7 Jul, CAT 4
    // Aug, DAN 30 Sep = 4 (ADA's was in March, GUS's in November). £46,000 / 4 = £11,500.00:
    // far above seed 002's best practice of £2,818–£4,024 (red), under the £12,000 target
    // (green).
    let cost = &o["cost"];
    assert_eq!(cost["contract_value"], 46000.0);
    assert_eq!(
        (&cost["first"], &cost["last"]),
        (&json!("2025-04-01"), &json!("2025-09-30"))
    );
    assert_eq!(cost["participants"], 9);
    assert_eq!(cost["job_outcomes"], 4);
    assert_eq!(cost["per_participant"], 5111.11);
    assert_eq!(
        cost["per_participant_judged"],
        json!({"benchmark": between(4500.0, 6500.0), "benchmark_rag": "green",
               "target": {"kind": "at_most", "value": 5000.0}, "target_rag": "amber"})
    );
    assert_eq!(cost["per_job_outcome"], 11500.0);
    assert_eq!(
        cost["per_job_outcome_judged"],
        json!({"benchmark": between(2818.0, 4024.0), "benchmark_rag": "red",
               "target": {"kind": "at_most", "value": 12000.0}, "target_rag": "green"})
    );
}

#[tokio::test]
async fn caseload_counts_each_specialists_active_episodes_on_the_day() {
    let w = world().await;
    dataset(&w).await;

    let by_specialist = |c: &Value| -> Vec<(Uuid, u64, Value)> {
        let mut v: Vec<(Uuid, u64, Value)> = c["specialists"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    serde_json::from_value(s["specialist_id"].clone()).unwrap(),
                    s["active"].as_u64().unwrap(),
                    s["judged"]["benchmark_rag"].clone(),
                )
            })
            .collect();
        v.sort_by_key(|(id, ..)| *id == w.jo_id);
        v
    };
    // 29 August 2025. Sam: ADA, BEN, EVE, HAL, and IVY, whose support ends that very day = 5
    // (GUS starts 8 Sep). Jo: CAT, DAN, FAY = 3 (JON's ended in March). Both within SEQF's 15:
    // green.
    let c = w
        .get_ok(&w.manager, "/api/outcomes/caseload?on=2025-08-29")
        .await;
    assert_eq!(c["on"], "2025-08-29");
    assert_eq!(
        by_specialist(&c),
        vec![(w.sam_id, 5, json!("green")), (w.jo_id, 3, json!("green"))]
    );
    assert_eq!(
        c["specialists"][0]["judged"]["benchmark"],
        json!({"kind": "at_most", "value": 15.0})
    );
    // The next day IVY is no longer on Sam's caseload.
    let c = w
        .get_ok(&w.manager, "/api/outcomes/caseload?on=2025-08-30")
        .await;
    assert_eq!(by_specialist(&c)[0].1, 4);
    // IPS only, 10 September: GUS (Sam) and FAY (Jo), against IPS's 25.
    let c = w
        .get_ok(
            &w.manager,
            "/api/outcomes/caseload?on=2025-09-10&programme=ips",
        )
        .await;
    assert_eq!(
        by_specialist(&c),
        vec![(w.sam_id, 1, json!("green")), (w.jo_id, 1, json!("green"))]
    );
    assert_eq!(
        c["specialists"][0]["judged"]["benchmark"],
        json!({"kind": "at_most", "value": 25.0})
    );
    // One specialist asked for: only her.
    let c = w
        .get_ok(
            &w.manager,
            &format!(
                "/api/outcomes/caseload?on=2025-08-29&specialist_id={}",
                w.jo_id
            ),
        )
        .await;
    assert_eq!(by_specialist(&c), vec![(w.jo_id, 3, json!("green"))]);
}

#[tokio::test]
async fn an_equality_split_hides_small_groups_and_the_next_smallest_unless_working() {
    let w = world().await;
    dataset(&w).await;
    // A small-number threshold of 2, so that one group alone falls under it.
    w.put_ok(
        &w.admin,
        "/api/settings/thresholds",
        &json!({"small_number": 2, "change_threshold": 3}),
    )
    .await;

    let split = |v: &Value, figure: &str| -> Vec<(String, Option<u64>, bool, Value)> {
        v["splits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["figure"] == figure)
            .unwrap_or_else(|| panic!("no {figure} split in {v}"))["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["group"].as_str().unwrap().to_owned(),
                    g["n"].as_u64(),
                    g["suppressed"].as_bool().unwrap(),
                    g["value"].clone(),
                )
            })
            .collect()
    };
    // A hidden group shows neither its value nor its count ("fewer than N").
    let g = |group: &str, n: u64, suppressed: bool, value: Value| {
        (
            group.to_owned(),
            (!suppressed).then_some(n),
            suppressed,
            value,
        )
    };

    // Access by area, the working view (a manager's, every group shown):
    //   urban: ADA, CAT, EVE started; KIT, NED did not: 3 / 5 = 60.00%
    //   rural: BEN, FAY started; LEO did not: 2 / 3 = 66.67%
    //   prefer not to say: DAN, GUS started; MIA did not: 2 / 3 = 66.67%
    //   not recorded: HAL started: 1 / 1 = 100.00%
    let working = w
        .get_ok(
            &w.manager,
            &format!("/api/outcomes/equality?{YEAR}&by=area&working=true"),
        )
        .await;
    assert_eq!(working["by"], "area");
    assert_eq!(working["threshold"], 2);
    assert_eq!(working["suppression_applied"], false);
    assert_eq!(
        split(&working, "access"),
        vec![
            g("urban", 5, false, json!(60.0)),
            g("rural", 3, false, json!(66.67)),
            g("prefer_not_to_say", 3, false, json!(66.67)),
            g("not_recorded", 1, false, json!(100.0)),
        ]
    );
    // KPI A by area: urban ADA, CAT yes, EVE no: 66.67%; rural BEN, FAY 100%; prefer not to
    // say DAN, GUS 100%; not recorded HAL 0%.
    assert_eq!(
        split(&working, "kpi_a"),
        vec![
            g("urban", 3, false, json!(66.67)),
            g("rural", 2, false, json!(100.0)),
            g("prefer_not_to_say", 2, false, json!(100.0)),
            g("not_recorded", 1, false, json!(0.0)),
        ]
    );

    // Suppressed (the default, and `working=false`): "not recorded" has fewer than 2; it is
    // the only one, so the next smallest goes too, else its value could be worked out from
    // the total. Rural and prefer-not-to-say tie at 3: the first in order (rural) is hidden.
    for query in ["", "&working=false"] {
        let shown = w
            .get_ok(
                &w.manager,
                &format!("/api/outcomes/equality?{YEAR}&by=area{query}"),
            )
            .await;
        assert_eq!(shown["suppression_applied"], true, "{query}");
        assert_eq!(
            split(&shown, "access"),
            vec![
                g("urban", 5, false, json!(60.0)),
                g("rural", 3, true, Value::Null),
                g("prefer_not_to_say", 3, false, json!(66.67)),
                g("not_recorded", 1, true, Value::Null),
            ],
            "{query}"
        );
        assert_eq!(
            split(&shown, "kpi_a"),
            vec![
                g("urban", 3, false, json!(66.67)),
                g("rural", 2, true, Value::Null),
                g("prefer_not_to_say", 2, false, json!(100.0)),
                g("not_recorded", 1, true, Value::Null),
            ],
            "{query}"
        );
    }
}

/// Sends `body` and expects a 400 naming `field`.
async fn refused(
    w: &World,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: &Value,
    field: &str,
) {
    let res = w
        .app
        .send(method.clone(), path, Some(token), Some(body))
        .await;
    assert_eq!(res.status(), 400, "{method} {path} {body}");
    let err = error_body(res).await;
    assert_eq!(err["field"], field, "{method} {path} {body}: {err}");
}

#[tokio::test]
async fn a_step_dated_before_the_one_it_follows_is_refused_naming_it_and_nothing_is_stored() {
    use reqwest::Method;
    let w = world().await;
    let sam = w.sam.as_str();
    let p = w.person(sam, "JS-1", json!({})).await;
    let r = w
        .refer(
            sam,
            p,
            "seqf",
            "2025-03-03",
            "job_centre",
            json!({"accepted": true, "decided_on": "2025-03-12"}),
        )
        .await;
    let referrals = format!("/api/referrals?participant_id={p}");
    let before = w.get_ok(sam, &referrals).await;

    // A decision before the referral, on a new referral and on this one.
    let early = body::with(
        body::referral(p, "seqf", "2025-03-03", "self"),
        json!({"accepted": false, "decided_on": "2025-03-02", "not_accepted_reason": "declined"}),
    );
    refused(
        &w,
        Method::POST,
        "/api/referrals",
        sam,
        &early,
        "decided_on",
    )
    .await;
    refused(
        &w,
        Method::PATCH,
        &format!("/api/referrals/{r}"),
        sam,
        &json!({"accepted": true, "decided_on": "2025-03-02"}),
        "decided_on",
    )
    .await;
    assert_eq!(w.get_ok(sam, &referrals).await, before);

    // Support started before the decision on its referral (but after the referral).
    let episode = |started_on: &str, extra: Value| {
        body::with(
            json!({"id": Uuid::new_v4(), "participant_id": p, "programme": "seqf",
                   "started_on": started_on, "referral_id": r}),
            extra,
        )
    };
    refused(
        &w,
        Method::POST,
        "/api/episodes",
        sam,
        &episode("2025-03-10", json!({})),
        "started_on",
    )
    .await;
    // A profile before the service start, when support starts.
    refused(
        &w,
        Method::POST,
        "/api/episodes",
        sam,
        &episode("2025-03-17", json!({"profile_started_on": "2025-03-16"})),
        "profile_started_on",
    )
    .await;
    let episodes = format!("/api/episodes?participant_id={p}");
    assert_eq!(w.get_ok(sam, &episodes).await, json!([]));
    assert_eq!(
        w.get_ok(sam, &referrals).await,
        before,
        "no episode started from it"
    );

    let e = id_of(
        &w.app
            .create(
                "/api/episodes",
                sam,
                &episode("2025-03-17", json!({"profile_started_on": "2025-03-24"})),
            )
            .await,
    );
    let episode_path = format!("/api/episodes/{e}");
    let stored_episode = w.get_ok(sam, &episode_path).await;
    // A profile moved before the service start.
    refused(
        &w,
        Method::PATCH,
        &episode_path,
        sam,
        &json!({"profile_started_on": "2025-03-16"}),
        "profile_started_on",
    )
    .await;
    // A job before the service start, and one before the profile.
    let jobs = format!("/api/episodes/{e}/jobs");
    for started_on in ["2025-03-14", "2025-03-20"] {
        refused(
            &w,
            Method::POST,
            "/api/jobs",
            sam,
            &body::job(e, started_on, "new_job", true),
            "started_on",
        )
        .await;
    }
    // A job ending before it starts.
    let ends_early = body::with(
        body::job(e, "2025-04-07", "new_job", true),
        json!({"ended_on": "2025-04-06", "end_reason": "resigned"}),
    );
    refused(&w, Method::POST, "/api/jobs", sam, &ends_early, "ended_on").await;
    assert_eq!(w.get_ok(sam, &jobs).await, json!([]));

    let job = w
        .job(sam, e, "2025-04-07", "new_job", true, json!({}))
        .await;
    let stored_jobs = w.get_ok(sam, &jobs).await;
    refused(
        &w,
        Method::PATCH,
        &format!("/api/jobs/{job}"),
        sam,
        &json!({"ended_on": "2025-04-06", "end_reason": "resigned"}),
        "ended_on",
    )
    .await;
    // Support ending before the job started.
    refused(
        &w,
        Method::PATCH,
        &episode_path,
        sam,
        &json!({"ended_on": "2025-04-01", "end_reason": "withdrew"}),
        "ended_on",
    )
    .await;
    // The decision on the referral moved after the service start, or undone.
    refused(
        &w,
        Method::PATCH,
        &format!("/api/referrals/{r}"),
        sam,
        &json!({"accepted": true, "decided_on": "2025-03-18"}),
        "decided_on",
    )
    .await;
    refused(
        &w,
        Method::PATCH,
        &format!("/api/referrals/{r}"),
        sam,
        &json!({"accepted": false, "decided_on": "2025-03-12", "not_accepted_reason": "declined"}),
        "accepted",
    )
    .await;
    // A profile moved after the job started: refused (the job would come before it).
    let res = w
        .app
        .patch(
            &episode_path,
            Some(sam),
            &json!({"profile_started_on": "2025-04-08"}),
        )
        .await;
    assert_eq!(res.status(), 400);
    // The field that moved is named, not the job's (which the change never sent).
    assert_eq!(error_body(res).await["field"], "profile_started_on");
    assert_eq!(w.get_ok(sam, &episode_path).await, stored_episode);
    assert_eq!(w.get_ok(sam, &jobs).await, stored_jobs);

    // Support ends; a job starting after that is refused naming its start.
    w.patch_ok(
        sam,
        &episode_path,
        json!({"ended_on": "2025-06-30", "end_reason": "sustained_in_work"}),
    )
    .await;
    refused(
        &w,
        Method::POST,
        "/api/jobs",
        sam,
        &body::job(e, "2025-07-07", "new_job", true),
        "started_on",
    )
    .await;
    assert_eq!(w.get_ok(sam, &jobs).await, stored_jobs);
    let referral = &w.get_ok(sam, &referrals).await[0];
    assert_eq!(
        (&referral["decided_on"], &referral["episode_id"]),
        (&json!("2025-03-12"), &json!(e))
    );
}

/// POSTs `body` and returns the status and the answer.
async fn post(w: &World, path: &str, token: &str, body: &Value) -> (u16, Value) {
    let res = w.app.post(path, Some(token), body).await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

#[tokio::test]
async fn a_referral_or_job_sent_twice_is_stored_once_and_its_id_with_other_content_is_a_conflict() {
    let w = world().await;
    let sam = w.sam.as_str();
    let p = w.person(sam, "JS-1", json!({})).await;
    let referrals = format!("/api/referrals?participant_id={p}");

    let referral = body::referral(p, "seqf", "2025-03-03", "health");
    let (first, stored) = post(&w, "/api/referrals", sam, &referral).await;
    let (again, resent) = post(&w, "/api/referrals", sam, &referral).await;
    assert_eq!((first, again), (201, 201));
    assert_eq!(resent, stored);
    assert_eq!(w.get_ok(sam, &referrals).await, json!([stored]));
    let changed = body::with(referral.clone(), json!({"source": "self"}));
    let res = w.app.post("/api/referrals", Some(sam), &changed).await;
    assert_eq!(res.status(), 409);
    assert_eq!(error_body(res).await["field"], "id");
    assert_eq!(w.get_ok(sam, &referrals).await, json!([stored]));

    let e = w
        .start(
            sam,
            p,
            "seqf",
            "2025-03-10",
            json!({"referral_id": id_of(&referral), "profile_started_on": "2025-03-17"}),
        )
        .await;
    let jobs = format!("/api/episodes/{e}/jobs");
    let job = body::with(
        body::job(e, "2025-05-05", "new_job", true),
        json!({"title": "Porter", "sector": "Q", "hours_per_week": 22.5, "hourly_pay": 12.71,
               "job_analysis": true}),
    );
    let (first, stored) = post(&w, "/api/jobs", sam, &job).await;
    let (again, resent) = post(&w, "/api/jobs", sam, &job).await;
    assert_eq!((first, again), (201, 201), "{stored}");
    assert_eq!(resent, stored);
    assert_eq!(
        stored,
        body::with(
            job.clone(),
            json!({"employer_id": null, "ended_on": null, "end_reason": null})
        )
    );
    assert_eq!(w.get_ok(sam, &jobs).await, json!([stored]));
    let changed = body::with(job.clone(), json!({"hours_per_week": 30}));
    let res = w.app.post("/api/jobs", Some(sam), &changed).await;
    assert_eq!(res.status(), 409);
    assert_eq!(error_body(res).await["field"], "id");
    assert_eq!(w.get_ok(sam, &jobs).await, json!([stored]));

    // The job ends; the creation sent once more (its first answer lost) is still the same
    // record and leaves the end alone. So does the referral, accepted when support started.
    let ended = w
        .patch_ok(
            sam,
            &format!("/api/jobs/{}", id_of(&job)),
            json!({"ended_on": "2025-06-30", "end_reason": "health"}),
        )
        .await;
    let (status, resent) = post(&w, "/api/jobs", sam, &job).await;
    assert_eq!((status, &resent), (201, &ended));
    assert_eq!(w.get_ok(sam, &jobs).await, json!([ended]));
    let (status, resent) = post(&w, "/api/referrals", sam, &referral).await;
    assert_eq!(status, 201);
    assert_eq!(
        (
            &resent["accepted"],
            &resent["decided_on"],
            &resent["episode_id"]
        ),
        (&json!(true), &json!("2025-03-10"), &json!(e))
    );
    assert_eq!(w.app.count_rows("referral").await, 1);
    assert_eq!(w.app.count_rows("job").await, 1);
}

#[tokio::test]
async fn journey_records_through_sync_are_stored_once_with_a_status_each() {
    let w = world().await;
    let sam = w.sam.as_str();
    let p = w.person(sam, "JS-1", json!({})).await;
    let referral = body::referral(p, "seqf", "2025-03-03", "job_centre");
    let episode = json!({"id": Uuid::new_v4(), "participant_id": p, "programme": "seqf",
                         "referral_id": id_of(&referral), "started_on": "2025-03-10"});
    let e = id_of(&episode);
    let job = body::with(
        body::job(e, "2025-04-07", "apprenticeship", true),
        json!({"hourly_pay": 7.55}),
    );
    let job_id = id_of(&job);
    let job_end = json!({"job_id": job_id, "ended_on": "2025-05-02", "end_reason": "redundancy"});
    let update = json!({"episode_id": e,
                        "change": {"profile_started_on": "2025-03-14", "hours_before": 6}});
    let record = |kind: &str, body: &Value| json!({"kind": kind, "body": body});
    let batch = json!({"records": [
        record("referral", &referral),
        record("referral", &referral),
        record("episode", &episode),
        record("episode_update", &update),
        record("episode_update", &update),
        record("job", &job),
        record("job", &job),
        record("job_end", &job_end),
        record("job_end", &job_end),
        // The same job id with other content.
        record("job", &body::with(job.clone(), json!({"hourly_pay": 8}))),
        // The end of a job nobody recorded.
        record("job_end", &json!({"job_id": Uuid::new_v4(), "ended_on": "2025-05-02"})),
        // A profile before the service start.
        record("episode_update", &json!({"episode_id": e,
                                         "change": {"profile_started_on": "2025-03-09"}})),
        // A job before the profile.
        record("job", &body::job(e, "2025-03-12", "new_job", true)),
        // A decision before the referral.
        record("referral", &body::with(body::referral(p, "seqf", "2025-03-03", "self"),
               json!({"accepted": true, "decided_on": "2025-03-01"}))),
    ]});

    // Sent twice, as an outbox does when the first answer is lost: the same answer both times.
    for attempt in 1..=2 {
        let res = w.app.post("/api/sync", Some(sam), &batch).await;
        assert_eq!(res.status(), 200);
        let out: Value = res.json().await.unwrap();
        assert_eq!(
            sync_statuses(&out),
            vec![
                201, 201, 201, 201, 201, 201, 201, 201, 201, 409, 404, 400, 400, 400
            ],
            "attempt {attempt}: {out}"
        );
        let fields: Vec<&Value> = out["outcomes"].as_array().unwrap()[9..]
            .iter()
            .map(|o| &o["error"]["field"])
            .collect();
        assert_eq!(
            fields,
            vec![
                &json!("id"),
                &Value::Null,
                &json!("profile_started_on"),
                &json!("started_on"),
                &json!("decided_on")
            ],
            "attempt {attempt}"
        );
        let outcomes = out["outcomes"].as_array().unwrap();
        // A change names the record it changes.
        assert_eq!(outcomes[4]["id"], json!(e));
        assert_eq!(outcomes[8]["id"], json!(job_id));
        assert_eq!(outcomes[8]["record"]["ended_on"], "2025-05-02");
        assert_eq!(outcomes[4]["record"]["hours_before"], 6.0);
    }

    // One of each, as the records said.
    let referrals = w
        .get_ok(sam, &format!("/api/referrals?participant_id={p}"))
        .await;
    assert_eq!(referrals.as_array().unwrap().len(), 1);
    assert_eq!(
        (&referrals[0]["accepted"], &referrals[0]["episode_id"]),
        (&json!(true), &json!(e))
    );
    let jobs = w.get_ok(sam, &format!("/api/episodes/{e}/jobs")).await;
    assert_eq!(jobs.as_array().unwrap().len(), 1);
    assert_eq!(
        (
            &jobs[0]["hourly_pay"],
            &jobs[0]["ended_on"],
            &jobs[0]["end_reason"]
        ),
        (&json!(7.55), &json!("2025-05-02"), &json!("redundancy"))
    );
    let stored = w.get_ok(sam, &format!("/api/episodes/{e}")).await;
    assert_eq!(
        (&stored["profile_started_on"], &stored["hours_before"]),
        (&json!("2025-03-14"), &json!(6.0))
    );
    assert_eq!(w.app.count_rows("referral").await, 1);
    assert_eq!(w.app.count_rows("job").await, 1);
}

/// Sends each body and collects every answer that is not a 400 naming its field.
async fn check_refusals(
    w: &World,
    method: reqwest::Method,
    path: &str,
    token: &str,
    cases: &[(Value, &str)],
) -> Vec<String> {
    let mut wrong = Vec::new();
    for (body, field) in cases {
        let res = w
            .app
            .send(method.clone(), path, Some(token), Some(body))
            .await;
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        let named = serde_json::from_str::<Value>(&text).unwrap_or(Value::Null)["field"].clone();
        if status != 400 || named != json!(field) {
            wrong.push(format!(
                "{method} {path} {body}: expected 400 naming {field}, got {status} {text}"
            ));
        }
    }
    wrong
}

#[tokio::test]
async fn bad_journey_records_are_refused_naming_the_field_and_nothing_is_written() {
    use reqwest::Method;
    let w = world().await;
    let sam = w.sam.as_str();
    let p = w.person(sam, "JS-1", json!({})).await;
    let other = w.person(sam, "JS-2", json!({})).await;
    let employer = id_of(
        &w.app
            .create(
                "/api/participants",
                sam,
                &body::participant("employer", "EMP-1"),
            )
            .await,
    );
    let r = w
        .refer(sam, p, "seqf", "2025-03-03", "self", json!({}))
        .await;
    let refused_referral = w
        .refer(
            sam,
            other,
            "seqf",
            "2025-03-03",
            "self",
            json!({"accepted": false, "decided_on": "2025-03-04", "not_accepted_reason": "declined"}),
        )
        .await;
    let e = w
        .start(sam, p, "seqf", "2025-03-10", json!({"referral_id": r}))
        .await;
    let job = w
        .job(sam, e, "2025-04-07", "new_job", true, json!({}))
        .await;
    let mut wrong = Vec::new();

    // Referrals.
    let referral =
        |extra: Value| body::with(body::referral(p, "seqf", "2025-03-03", "self"), extra);
    wrong.extend(
        check_refusals(
            &w,
            Method::POST,
            "/api/referrals",
            sam,
            &[
                (referral(json!({"source": "friend"})), "source"),
                (referral(json!({"programme": "esf"})), "programme"),
                (referral(json!({"referred_on": "2025-02-30"})), "referred_on"),
                (referral(json!({"accepted": true})), "decided_on"),
                (referral(json!({"decided_on": "2025-03-04"})), "accepted"),
                (referral(json!({"accepted": false, "decided_on": "2025-03-04"})), "not_accepted_reason"),
                (
                    referral(json!({"accepted": false, "decided_on": "2025-03-04", "not_accepted_reason": "bored"})),
                    "not_accepted_reason",
                ),
                (
                    referral(json!({"accepted": true, "decided_on": "2025-03-04", "not_accepted_reason": "declined"})),
                    "not_accepted_reason",
                ),
                (referral(json!({"participant_id": employer})), "participant_id"),
                (referral(json!({"participant_id": Uuid::new_v4()})), "participant_id"),
                (referral(json!({"specialist_id": w.jo_id})), "specialist_id"),
                (referral(json!({"priority": "high"})), "priority"),
            ],
        )
        .await,
    );
    wrong.extend(
        check_refusals(
            &w,
            Method::PATCH,
            &format!("/api/referrals/{refused_referral}"),
            sam,
            &[
                (json!({"accepted": false, "decided_on": "2025-03-05"}), "not_accepted_reason"),
                (
                    json!({"accepted": true, "decided_on": "2025-03-05", "not_accepted_reason": "declined"}),
                    "not_accepted_reason",
                ),
                (
                    json!({"accepted": false, "decided_on": "2025-03-05", "not_accepted_reason": "moved"}),
                    "not_accepted_reason",
                ),
                (json!({"accepted": "no", "decided_on": "2025-03-05"}), "accepted"),
                (json!({"decided_on": "2025-03-05"}), "accepted"),
                (json!({"accepted": true}), "decided_on"),
                (json!({"accepted": true, "decided_on": "2025-03-05", "source": "self"}), "source"),
            ],
        )
        .await,
    );

    // Jobs.
    let new_job = |extra: Value| body::with(body::job(e, "2025-05-05", "new_job", true), extra);
    wrong.extend(
        check_refusals(
            &w,
            Method::POST,
            "/api/jobs",
            sam,
            &[
                (new_job(json!({"outcome": "promotion"})), "outcome"),
                (new_job(json!({"sector": "Z"})), "sector"),
                (new_job(json!({"sector": "q"})), "sector"),
                (new_job(json!({"hours_per_week": 0})), "hours_per_week"),
                (new_job(json!({"hours_per_week": -4})), "hours_per_week"),
                (new_job(json!({"hours_per_week": 80.01})), "hours_per_week"),
                (new_job(json!({"hours_per_week": 12.345})), "hours_per_week"),
                (new_job(json!({"hourly_pay": 0})), "hourly_pay"),
                (new_job(json!({"hourly_pay": 500.01})), "hourly_pay"),
                (new_job(json!({"hourly_pay": 12.345})), "hourly_pay"),
                (
                    new_job(json!({"paid": false, "hourly_pay": 10})),
                    "hourly_pay",
                ),
                (new_job(json!({"end_reason": "resigned"})), "end_reason"),
                (
                    new_job(json!({"ended_on": "2025-06-01", "end_reason": "retired"})),
                    "end_reason",
                ),
                (new_job(json!({"employer_id": p})), "employer_id"),
                (
                    new_job(json!({"employer_id": Uuid::new_v4()})),
                    "employer_id",
                ),
                (new_job(json!({"episode_id": Uuid::new_v4()})), "episode_id"),
                (new_job(json!({"title": ""})), "title"),
                (new_job(json!({"title": "x".repeat(201)})), "title"),
                (new_job(json!({"paid": "yes"})), "paid"),
                (new_job(json!({"job_analysis": null})), "job_analysis"),
                (new_job(json!({"started_on": null})), "started_on"),
            ],
        )
        .await,
    );
    wrong.extend(
        check_refusals(
            &w,
            Method::PATCH,
            &format!("/api/jobs/{job}"),
            sam,
            &[
                (json!({"end_reason": "resigned"}), "end_reason"),
                (
                    json!({"ended_on": "2025-06-01", "end_reason": "retired"}),
                    "end_reason",
                ),
                (json!({"ended_on": "in June"}), "ended_on"),
                (
                    json!({"ended_on": "2025-06-01", "started_on": "2025-04-08"}),
                    "started_on",
                ),
            ],
        )
        .await,
    );

    // Episodes: the new fields and the referral they start from.
    let new_episode = |extra: Value| {
        body::with(
            json!({"id": Uuid::new_v4(), "participant_id": other, "programme": "seqf",
                   "started_on": "2025-03-10"}),
            extra,
        )
    };
    wrong.extend(
        check_refusals(
            &w,
            Method::POST,
            "/api/episodes",
            sam,
            &[
                (new_episode(json!({"hours_before": 80.01})), "hours_before"),
                (new_episode(json!({"hours_before": -0.5})), "hours_before"),
                (new_episode(json!({"hours_before": 7.125})), "hours_before"),
                (new_episode(json!({"end_reason": "withdrew"})), "end_reason"),
                (
                    new_episode(json!({"ended_on": "2025-06-01", "end_reason": "fired"})),
                    "end_reason",
                ),
                (
                    new_episode(json!({"referral_id": Uuid::new_v4()})),
                    "referral_id",
                ),
                (
                    new_episode(json!({"referral_id": refused_referral})),
                    "referral_id",
                ),
                // Another person's referral; one support has already started from.
                (new_episode(json!({"referral_id": r})), "referral_id"),
                (
                    new_episode(json!({"participant_id": p, "referral_id": r})),
                    "referral_id",
                ),
            ],
        )
        .await,
    );
    let late = w
        .refer(sam, other, "seqf", "2025-03-05", "self", json!({}))
        .await;
    wrong.extend(
        check_refusals(
            &w,
            Method::POST,
            "/api/episodes",
            sam,
            &[(
                new_episode(json!({"referral_id": late, "referred_on": "2025-03-04"})),
                "referred_on",
            )],
        )
        .await,
    );
    wrong.extend(
        check_refusals(
            &w,
            Method::PATCH,
            &format!("/api/episodes/{e}"),
            sam,
            &[
                (json!({"hours_before": 81}), "hours_before"),
                (json!({"hours_before": 1.001}), "hours_before"),
                (json!({"end_reason": "withdrew"}), "end_reason"),
                (
                    json!({"ended_on": "2025-09-01", "end_reason": "fired"}),
                    "end_reason",
                ),
                (json!({"referral_id": late}), "referral_id"),
            ],
        )
        .await,
    );

    // Equality answers are typed.
    let person = |equality: Value| {
        body::with(
            body::participant("jobseeker", "JS-3"),
            json!({"equality": equality}),
        )
    };
    wrong.extend(
        check_refusals(
            &w,
            Method::POST,
            "/api/participants",
            sam,
            &[
                (
                    person(json!({"ethnicity": "Pakistani"})),
                    "equality.ethnicity",
                ),
                (person(json!({"gender": "female"})), "equality.gender"),
                (person(json!({"disability": "yes"})), "equality.disability"),
                (
                    person(json!({"living_situation": "alone"})),
                    "equality.living_situation",
                ),
                (person(json!({"area": "suburban"})), "equality.area"),
                (person(json!({"born_on": "23/11/1979"})), "equality.born_on"),
                (person(json!({"age_band": "18-24"})), "equality.age_band"),
            ],
        )
        .await,
    );
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );

    // Nothing was half-written: the records are as they were made.
    assert_eq!(w.app.count_rows("referral").await, 3);
    assert_eq!(w.app.count_rows("job").await, 1);
    assert_eq!(w.app.count_rows("episode").await, 1);
    assert_eq!(w.app.count_rows("participant").await, 3);
    let stored = w.get_ok(sam, &format!("/api/episodes/{e}")).await;
    assert_eq!(
        (
            &stored["hours_before"],
            &stored["ended_on"],
            &stored["end_reason"]
        ),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    let jobs = w.get_ok(sam, &format!("/api/episodes/{e}/jobs")).await;
    assert_eq!(
        (&jobs[0]["ended_on"], &jobs[0]["end_reason"]),
        (&Value::Null, &Value::Null)
    );
    let decision = &w
        .get_ok(sam, &format!("/api/referrals?participant_id={other}"))
        .await;
    assert!(
        decision
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["not_accepted_reason"] == "declined"),
        "{decision}"
    );

    // The edges of the ranges are taken: 0.01 and 80 hours, £0.01 and £500 an hour, 0 and 80
    // hours before support.
    for (hours, pay) in [(0.01, 0.01), (80.0, 500.0)] {
        let j = w
            .job(
                sam,
                e,
                "2025-05-05",
                "new_job",
                true,
                json!({"hours_per_week": hours, "hourly_pay": pay}),
            )
            .await;
        let listed = w.get_ok(sam, &format!("/api/episodes/{e}/jobs")).await;
        let stored = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == json!(j))
            .unwrap();
        assert_eq!(
            (&stored["hours_per_week"], &stored["hourly_pay"]),
            (&json!(hours), &json!(pay))
        );
    }
    for hours in [0.0, 80.0] {
        let changed = w
            .patch_ok(
                sam,
                &format!("/api/episodes/{e}"),
                json!({"hours_before": hours}),
            )
            .await;
        assert_eq!(changed["hours_before"], hours);
    }
}

#[tokio::test]
async fn bad_outcome_queries_are_refused_naming_the_parameter() {
    let w = world().await;
    let mut wrong = Vec::new();
    let period = "first=2025-01-01&last=2025-12-31";
    for (path, query, field) in [
        ("/api/outcomes", String::new(), "first"),
        ("/api/outcomes", "first=2025-01-01".into(), "last"),
        (
            "/api/outcomes",
            "first=2025-13-01&last=2025-12-31".into(),
            "first",
        ),
        (
            "/api/outcomes",
            "first=2025-12-31&last=2025-01-01".into(),
            "last",
        ),
        (
            "/api/outcomes",
            "first=2021-01-01&last=2025-12-31".into(),
            "last",
        ),
        (
            "/api/outcomes",
            format!("{period}&as_of=31-03-2026"),
            "as_of",
        ),
        ("/api/outcomes", format!("{period}&as_of="), "as_of"),
        (
            "/api/outcomes",
            format!("{period}&programme=esf"),
            "programme",
        ),
        (
            "/api/outcomes",
            format!("{period}&programme=IPS"),
            "programme",
        ),
        (
            "/api/outcomes",
            format!("{period}&team_id=north"),
            "team_id",
        ),
        (
            "/api/outcomes",
            format!("{period}&specialist_id=7"),
            "specialist_id",
        ),
        ("/api/outcomes/equality", period.into(), "by"),
        (
            "/api/outcomes/equality",
            format!("{period}&by=height"),
            "by",
        ),
        (
            "/api/outcomes/equality",
            format!("{period}&by=Gender"),
            "by",
        ),
        (
            "/api/outcomes/equality",
            format!("{period}&by=gender&working=yes"),
            "working",
        ),
        (
            "/api/outcomes/equality",
            format!("{period}&by=gender&working=1"),
            "working",
        ),
        (
            "/api/outcomes/equality",
            format!("{period}&by=gender&as_of=soon"),
            "as_of",
        ),
        (
            "/api/outcomes/equality",
            format!("{period}&by=gender&programme=x"),
            "programme",
        ),
        ("/api/outcomes/equality", "by=gender".into(), "first"),
        ("/api/outcomes/caseload", "on=2025-02-30".into(), "on"),
        (
            "/api/outcomes/caseload",
            "on=2025-08-29&programme=esf".into(),
            "programme",
        ),
        (
            "/api/outcomes/caseload",
            "on=2025-08-29&team_id=x".into(),
            "team_id",
        ),
        (
            "/api/outcomes/caseload",
            "specialist_id=x".into(),
            "specialist_id",
        ),
        // A typed query parameter that does not parse: the query as a whole.
        (
            "/api/referrals",
            "participant_id=nope".into(),
            "participant_id",
        ),
    ] {
        let url = format!("{path}?{query}");
        let res = w.app.get(&url, Some(&w.manager)).await;
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        let named = serde_json::from_str::<Value>(&text).unwrap_or(Value::Null)["field"].clone();
        if status != 400 || named != json!(field) {
            wrong.push(format!(
                "{url}: expected 400 naming {field}, got {status} {text}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    // Without an as-of date (or day) the figures are read today: answered, not refused.
    for url in [
        format!("/api/outcomes?{period}"),
        format!("/api/outcomes/equality?{period}&by=age_band"),
        "/api/outcomes/caseload".to_owned(),
    ] {
        w.get_ok(&w.manager, &url).await;
    }
}

#[tokio::test]
async fn bad_outcome_settings_are_refused_naming_the_field_and_nothing_changes() {
    let w = world().await;
    let path = "/api/settings/outcomes";
    let mut good = w.get_ok(&w.admin, path).await;
    good["contract_values"] =
        json!([{"first": "2025-04-01", "last": "2026-03-31", "amount": 120000.0}]);
    good["targets"]["access"] = json!(75.0);
    let good = w.put_ok(&w.admin, path, &good).await;
    let trail_before = w.get_ok(&w.admin, "/api/audit").await;
    assert!(
        trail_before
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["entity"] == "settings"
                && e["detail"] == "outcomes: targets, contract values"),
        "the change is in the audit trail, saying what changed: {trail_before}"
    );

    let with = |pointer: &str, value: Value| {
        let mut s = good.clone();
        *s.pointer_mut(pointer).unwrap() = value;
        s
    };
    let band = |threshold: f64, score: u8| json!({"threshold": threshold, "score": score});
    let contract = |first: &str, last: &str, amount: f64| json!({"first": first, "last": last, "amount": amount});
    let cases = [
        (with("/bands/kpi_a/3/score", json!(6)), "kpi_a"),
        (with("/bands/kpi_a/0/score", json!(0)), "kpi_a"),
        // Thresholds that do not rise with the score (A, E) or fall with it (B).
        (
            with(
                "/bands/kpi_a",
                json!([band(10.0, 1), band(30.0, 2), band(25.0, 4)]),
            ),
            "kpi_a",
        ),
        (
            with("/bands/kpi_a", json!([band(10.0, 1), band(30.0, 1)])),
            "kpi_a",
        ),
        (
            with("/bands/kpi_a", json!([band(10.0, 1), band(101.0, 5)])),
            "kpi_a",
        ),
        (with("/bands/kpi_a", json!([])), "kpi_a"),
        (
            with("/bands/kpi_e", json!([band(50.0, 1), band(50.0, 2)])),
            "kpi_e",
        ),
        (
            with("/bands/kpi_b", json!([band(10.0, 1), band(20.0, 2)])),
            "kpi_b",
        ),
        (with("/bands/kpi_b", json!([band(0.0, 1)])), "kpi_b"),
        (
            with("/bands/kpi_b/0/threshold", json!(52.001)),
            "bands.kpi_b[0].threshold",
        ),
        // Contract values: overlapping, back to front, nothing, or not to the penny.
        (
            with(
                "/contract_values",
                json!([
                    contract("2025-04-01", "2025-09-30", 1.0),
                    contract("2025-09-30", "2026-03-31", 1.0)
                ]),
            ),
            "contract_values",
        ),
        (
            with(
                "/contract_values",
                json!([contract("2025-09-30", "2025-04-01", 1.0)]),
            ),
            "contract_values",
        ),
        (
            with(
                "/contract_values",
                json!([contract("2025-04-01", "2025-09-30", 0.0)]),
            ),
            "contract_values",
        ),
        (
            with("/contract_values/0/amount", json!(1.005)),
            "contract_values[0].amount",
        ),
        // Targets: percentages 0–100, counts and pounds above 0.
        (with("/targets/access", json!(100.01)), "targets.access"),
        (with("/targets/kpi_e", json!(-1.0)), "targets.kpi_e"),
        (with("/targets/caseload", json!(0.0)), "targets.caseload"),
        (
            with("/targets/cost_per_participant", json!(0.0)),
            "targets.cost_per_participant",
        ),
        // The minimum-wage table.
        (with("/minimum_wage/0/rate", json!(0.0)), "minimum_wage"),
        (with("/minimum_wage/0/min_age", json!(15)), "minimum_wage"),
        (
            with("/minimum_wage/0/rate", json!("high")),
            "minimum_wage[0].rate",
        ),
        (
            with("/bands/kpi_a/0/score", json!(-1)),
            "bands.kpi_a[0].score",
        ),
        (
            body::with(good.clone(), json!({"caseload_senior": 20})),
            "caseload_senior",
        ),
    ];
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("minimum_wage");
    let mut all: Vec<(Value, &str)> = cases.to_vec();
    all.push((missing, "minimum_wage"));
    let wrong = check_refusals(&w, reqwest::Method::PUT, path, &w.admin, &all).await;
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );

    // Nothing changed, and nothing was written to the audit trail.
    assert_eq!(w.get_ok(&w.manager, path).await, good);
    assert_eq!(w.get_ok(&w.admin, "/api/audit").await, trail_before);
}

/// A date of birth is in the past and within 120 years, when a person is recorded and when
/// their answers change; nothing of a refused answer is stored.
#[tokio::test]
async fn a_date_of_birth_in_the_future_or_over_120_years_ago_is_refused() {
    let w = world().await;
    let p = w
        .person(&w.sam, "JS-1", json!({"born_on": "1990-05-01"}))
        .await;
    let mut wrong = Vec::new();
    for born_on in ["2999-01-01", "1850-01-01"] {
        let new = body::with(
            body::participant("jobseeker", "JS-2"),
            json!({"equality": {"born_on": born_on}}),
        );
        wrong.extend(
            check_refusals(
                &w,
                reqwest::Method::POST,
                "/api/participants",
                &w.sam,
                &[(new, "equality.born_on")],
            )
            .await,
        );
        wrong.extend(
            check_refusals(
                &w,
                reqwest::Method::PATCH,
                &format!("/api/participants/{p}"),
                &w.sam,
                &[(
                    json!({"equality": {"born_on": born_on}}),
                    "equality.born_on",
                )],
            )
            .await,
        );
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(w.app.count_rows("participant").await, 1);
    let stored = w.get_ok(&w.sam, &format!("/api/participants/{p}")).await;
    assert_eq!(stored["equality"], json!({"born_on": "1990-05-01"}));
}

/// An episode's placement: its job start and employer.
async fn placement(w: &World, e: Uuid) -> (Value, Value) {
    let ep = w.get_ok(&w.sam, &format!("/api/episodes/{e}")).await;
    (ep["job_started_on"].clone(), ep["employer_id"].clone())
}

/// Where the employer's survey of an episode stands on Sam's caseload.
async fn employer_form(w: &World, e: Uuid) -> Value {
    let all = w.get_ok(&w.sam, "/api/caseload/forms").await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|f| f["episode_id"] == json!(e))
        .unwrap()["employer_satisfaction"]
        .clone()
}

#[tokio::test]
async fn the_first_job_with_one_of_our_employers_becomes_the_placement_its_survey_falls_due_from() {
    let w = world().await;
    let sam = w.sam.as_str();
    let day = |n: i64| (chrono::Utc::now().date_naive() - chrono::Duration::days(n)).to_string();
    let firm = id_of(
        &w.app
            .create(
                "/api/participants",
                sam,
                &body::participant("employer", "EM-1"),
            )
            .await,
    );
    let other_firm = id_of(
        &w.app
            .create(
                "/api/participants",
                sam,
                &body::participant("employer", "EM-2"),
            )
            .await,
    );
    let p = w.person(sam, "JS-1", json!({})).await;
    let e = w.start(sam, p, "seqf", &day(120), json!({})).await;
    // A job without one of our employers is no placement.
    w.job(
        sam,
        e,
        &day(100),
        "new_job",
        true,
        json!({"ended_on": day(60)}),
    )
    .await;
    assert_eq!(placement(&w, e).await, (Value::Null, Value::Null));
    assert_eq!(employer_form(&w, e).await, Value::Null);
    // The first with one is; its survey is not due until four weeks after it started.
    let placed = body::with(
        body::job(e, &day(20), "new_job", true),
        json!({"employer_id": firm}),
    );
    w.app.create("/api/jobs", sam, &placed).await;
    assert_eq!(placement(&w, e).await, (json!(day(20)), json!(firm)));
    assert_eq!(employer_form(&w, e).await, "not_yet");
    // A later one, or the first sent again, leaves it.
    w.job(
        sam,
        e,
        &day(10),
        "new_job",
        true,
        json!({"employer_id": other_firm}),
    )
    .await;
    w.app.create("/api/jobs", sam, &placed).await;
    assert_eq!(placement(&w, e).await, (json!(day(20)), json!(firm)));

    // A placement recorded on the episode itself stays too.
    let q = w.person(sam, "JS-2", json!({})).await;
    let recorded = w
        .start(
            sam,
            q,
            "seqf",
            &day(120),
            json!({"job_started_on": day(50), "employer_id": firm}),
        )
        .await;
    w.job(
        sam,
        recorded,
        &day(40),
        "new_job",
        true,
        json!({"employer_id": other_firm}),
    )
    .await;
    assert_eq!(placement(&w, recorded).await, (json!(day(50)), json!(firm)));
    assert_eq!(employer_form(&w, recorded).await, "due");

    // Placed five weeks ago: the employer's survey is due.
    let r = w.person(sam, "JS-3", json!({})).await;
    let five_weeks = w.start(sam, r, "seqf", &day(120), json!({})).await;
    let job = body::with(
        body::job(five_weeks, &day(35), "retained_job", true),
        json!({"employer_id": firm}),
    );
    w.app.create("/api/jobs", sam, &job).await;
    assert_eq!(employer_form(&w, five_weeks).await, "due");

    // Had the request that stored the job failed before making it the placement (arranged
    // here by undoing the placement), the outbox's resend makes it.
    {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        use soundings::entities::episode;
        episode::Entity::update_many()
            .col_expr(
                episode::Column::JobStartedOn,
                Expr::value(Option::<chrono::NaiveDate>::None),
            )
            .col_expr(
                episode::Column::EmployerId,
                Expr::value(Option::<Uuid>::None),
            )
            .filter(episode::Column::Id.eq(five_weeks))
            .exec(&w.app.db)
            .await
            .unwrap();
    }
    assert_eq!(placement(&w, five_weeks).await, (Value::Null, Value::Null));
    w.app.create("/api/jobs", sam, &job).await;
    assert_eq!(
        placement(&w, five_weeks).await,
        (json!(day(35)), json!(firm))
    );
}

/// A figure in the API's JSON (a number or null) as the workbook should hold it.
fn figure(v: &Value) -> Option<f64> {
    v.as_f64()
}

#[tokio::test]
async fn the_seqf_audit_workbook_lists_the_clients_and_every_kpi_as_the_api_gives_them() {
    use calamine::{Data, DataType};
    let w = world().await;
    dataset(&w).await;
    // Two jobseekers and the café answer satisfaction surveys in 2025.
    let people = w.get_ok(&w.manager, "/api/participants").await;
    let id = |reference: &str| -> Uuid {
        let p = people
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["reference"] == reference)
            .unwrap();
        serde_json::from_value(p["id"].clone()).unwrap()
    };
    let staff = |r| body::completion(r, "none", "staff_device");
    for b in [
        body::satisfaction(
            id("ADA"),
            "jobseeker_satisfaction",
            5,
            "2025-06-02T10:00:00Z",
            staff("self"),
        ),
        body::satisfaction(
            id("BEN"),
            "jobseeker_satisfaction",
            4,
            "2025-07-02T10:00:00Z",
            staff("self"),
        ),
        body::satisfaction(
            id("EMP-CAFE"),
            "employer_satisfaction",
            3,
            "2025-08-04T10:00:00Z",
            staff("self"),
        ),
    ] {
        w.app.create("/api/responses", &w.sam, &b).await;
    }

    let res = w
        .app
        .get(
            &format!("/api/outcomes/workbook.xlsx?{YEAR}"),
            Some(&w.manager),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("seqf-workbook-2025-01-01-to-2025-12-31.xlsx")
    );
    let sheets = xlsx::read(res.bytes().await.unwrap().to_vec());
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "About",
            "Clients",
            "Jobs",
            "KPIs",
            "KPI A cohort",
            "KPI B episodes",
            "KPI E cohort",
            "KPI C responses",
            "KPI D responses"
        ]
    );

    // Clients: everyone supported at some time in 2025, by reference (NED never started; the
    // referrals that were not accepted are not clients). JON's support ended on 14 March.
    let clients = xlsx::records(&sheets, "Clients");
    let mut refs: Vec<String> = clients.iter().map(|c| c["Reference"].to_string()).collect();
    refs.sort();
    assert_eq!(
        refs,
        [
            "ADA", "BEN", "CAT", "DAN", "EVE", "FAY", "GUS", "HAL", "IVY", "JON"
        ]
    );
    let client = |r: &str| clients.iter().find(|c| c["Reference"] == r).unwrap();
    let ada = client("ADA");
    // Dates are dates, numbers are numbers.
    assert!(
        matches!(ada["Support started"], Data::DateTime(_)),
        "{:?}",
        ada["Support started"]
    );
    assert_eq!(
        ada["Support started"].as_date(),
        chrono::NaiveDate::from_ymd_opt(2025, 1, 13)
    );
    assert_eq!(
        ada["Referred on"].as_date(),
        chrono::NaiveDate::from_ymd_opt(2025, 1, 6)
    );
    assert_eq!(ada["Referral source"].to_string(), "job_centre");
    assert_eq!(ada["Gender"].to_string(), "woman");
    assert_eq!(ada["Urban or rural"].to_string(), "urban");
    // Born 1 May 1990: 35 on 31 March 2026.
    assert_eq!(ada["Age band on the as-of date"].to_string(), "35_49");
    assert_eq!(ada["Jobs"], Data::Float(2.0));
    assert_eq!(
        ada["Support ended"].as_date(),
        chrono::NaiveDate::from_ymd_opt(2025, 11, 28)
    );
    assert_eq!(ada["Status on the as-of date"].to_string(), "support ended");
    assert_eq!(
        xlsx::number(&client("DAN")["Hours a week before support"]),
        Some(12.5)
    );
    assert_eq!(
        client("DAN")["Status on the as-of date"].to_string(),
        "in paid work"
    );
    assert_eq!(client("HAL")["Urban or rural"].to_string(), "not recorded");

    // The KPIs sheet holds the API's figures, each with how it is calculated.
    let o = w.get_ok(&w.manager, &format!("/api/outcomes?{YEAR}")).await;
    let c = w
        .get_ok(
            &w.manager,
            "/api/kpi/employer-satisfaction?first=2025-01-01&last=2025-12-31",
        )
        .await;
    let d = w
        .get_ok(
            &w.manager,
            "/api/kpi/jobseeker-satisfaction?first=2025-01-01&last=2025-12-31",
        )
        .await;
    let wb = w
        .get_ok(
            &w.manager,
            "/api/kpi/wellbeing?first=2025-01-01&last=2025-12-31",
        )
        .await;
    let kpis = xlsx::records(&sheets, "KPIs");
    let kpi = |prefix: &str| {
        kpis.iter()
            .find(|k| k["Indicator"].to_string().starts_with(prefix))
            .unwrap_or_else(|| panic!("no row {prefix}"))
    };
    for (prefix, rate, score) in [
        ("KPI A", &o["kpi_a"]["rate"], &o["kpi_a"]["scored"]["score"]),
        ("KPI E", &o["kpi_e"]["rate"], &o["kpi_e"]["scored"]["score"]),
        ("Referrals that started", &o["access"], &Value::Null),
        (
            "Starters into paid work",
            &o["into_paid_work"],
            &Value::Null,
        ),
    ] {
        let row = kpi(prefix);
        assert_eq!(
            xlsx::number(&row["Value"]),
            figure(&rate["percent"]),
            "{prefix}"
        );
        assert_eq!(
            xlsx::number(&row["Counted"]),
            figure(&rate["numerator"]),
            "{prefix}"
        );
        assert_eq!(xlsx::number(&row["Of"]), figure(&rate["n"]), "{prefix}");
        assert_eq!(
            xlsx::number(&row["95% interval: low"]),
            figure(&rate["interval"]["low"]),
            "{prefix}"
        );
        assert_eq!(
            xlsx::number(&row["Score (0 to 5)"]),
            figure(score),
            "{prefix}"
        );
        assert!(!row["How it is calculated"].to_string().is_empty());
    }
    assert_eq!(xlsx::number(&kpi("KPI A")["Value"]), Some(75.0));
    assert_eq!(kpi("KPI A")["Against the benchmark"].to_string(), "green");
    assert_eq!(kpi("KPI A")["Benchmark"].to_string(), "at least 40.00");
    assert_eq!(xlsx::number(&kpi("KPI B")["Value"]), Some(12.4));
    assert_eq!(
        xlsx::number(&kpi("KPI B")["Value"]),
        figure(&o["kpi_b"]["weeks"]["mean"])
    );
    assert_eq!(
        xlsx::number(&kpi("KPI B")["Of"]),
        figure(&o["kpi_b"]["weeks"]["n"])
    );
    assert_eq!(
        xlsx::number(&kpi("KPI B")["Score (0 to 5)"]),
        figure(&o["kpi_b"]["scored"]["score"])
    );
    for (prefix, k) in [("KPI C", &c), ("KPI D", &d)] {
        assert_eq!(
            xlsx::number(&kpi(prefix)["Value"]),
            figure(&k["mean"]),
            "{prefix}"
        );
        assert_eq!(
            xlsx::number(&kpi(prefix)["Of"]),
            figure(&k["n"]),
            "{prefix}"
        );
    }
    assert_eq!(xlsx::number(&kpi("KPI D")["Value"]), Some(4.5));
    assert_eq!(xlsx::number(&kpi("KPI C")["Value"]), Some(3.0));
    assert_eq!(
        xlsx::number(&kpi("Wellbeing")["Value"]),
        figure(&wb["mean_change"])
    );
    assert_eq!(
        xlsx::number(&kpi("Wellbeing")["Of"]),
        figure(&wb["paired_n"])
    );

    // Each KPI's sheet lists what it counted, and the rows add up to the figure.
    let a = xlsx::records(&sheets, "KPI A cohort");
    assert_eq!(a.len() as u64, o["kpi_a"]["rate"]["n"].as_u64().unwrap());
    let yes = |rows: &[std::collections::HashMap<String, Data>], col: &str, v: &str| {
        rows.iter().filter(|r| r[col] == v).count() as u64
    };
    assert_eq!(
        yes(&a, "Counted as into paid work", "yes"),
        o["kpi_a"]["rate"]["numerator"].as_u64().unwrap()
    );
    assert_eq!(
        yes(
            &a,
            "Still early (profile under 12 months before the as-of date)",
            "yes"
        ),
        o["kpi_a"]["still_early"].as_u64().unwrap()
    );
    let eve = a.iter().find(|r| r["Reference"] == "EVE").unwrap();
    assert_eq!(eve["Counted as into paid work"].to_string(), "no");
    let b = xlsx::records(&sheets, "KPI B episodes");
    let mut b_refs: Vec<String> = b.iter().map(|r| r["Reference"].to_string()).collect();
    b_refs.sort();
    assert_eq!(b_refs, ["ADA", "BEN", "CAT", "DAN", "FAY", "GUS", "IVY"]);
    // ADA: 3 March − 13 January = 49 days = 7.0 weeks.
    let ada_b = b.iter().find(|r| r["Reference"] == "ADA").unwrap();
    assert_eq!(xlsx::number(&ada_b["Weeks"]), Some(7.0));
    let e = xlsx::records(&sheets, "KPI E cohort");
    assert_eq!(
        yes(&e, "Result", "still in paid work"),
        o["kpi_e"]["rate"]["numerator"].as_u64().unwrap()
    );
    assert_eq!(
        yes(&e, "Result", "still in paid work") + yes(&e, "Result", "not in paid work"),
        o["kpi_e"]["rate"]["n"].as_u64().unwrap()
    );
    assert_eq!(
        yes(&e, "Result", "too early to tell (not counted)"),
        o["kpi_e"]["too_early"].as_u64().unwrap()
    );
    let d_rows = xlsx::records(&sheets, "KPI D responses");
    assert_eq!(d_rows.len() as u64, d["n"].as_u64().unwrap());
    let ratings: Vec<Option<f64>> = d_rows
        .iter()
        .map(|r| xlsx::number(&r["Overall rating (1 to 5)"]))
        .collect();
    assert_eq!(ratings, [Some(5.0), Some(4.0)]);
    assert_eq!(
        xlsx::records(&sheets, "KPI C responses")[0]["Reference"].to_string(),
        "EMP-CAFE"
    );

    // The download is in the audit trail.
    let audit = w.get_ok(&w.admin, "/api/audit").await;
    let made: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity"] == "seqf_workbook")
        .collect();
    assert_eq!(made.len(), 1, "{audit}");
    assert_eq!(made[0]["action"], "export");
}

#[tokio::test]
async fn the_seqf_workbook_is_for_managers_and_refuses_a_bad_period_naming_it() {
    let w = world().await;
    let path = format!("/api/outcomes/workbook.xlsx?{YEAR}");
    assert_eq!(w.app.get(&path, Some(&w.sam)).await.status(), 403);
    assert_eq!(w.app.get(&path, None).await.status(), 401);
    assert_eq!(w.app.get(&path, Some(&w.admin)).await.status(), 200);
    for (query, field) in [
        ("first=2025-13-01&last=2025-12-31", "first"),
        ("first=2025-12-31&last=2025-01-01", "last"),
        ("first=2025-01-01&last=2025-12-31&as_of=yesterday", "as_of"),
        ("last=2025-12-31", "first"),
    ] {
        let res = w
            .app
            .get(
                &format!("/api/outcomes/workbook.xlsx?{query}"),
                Some(&w.manager),
            )
            .await;
        assert_eq!(res.status(), 400, "{query}");
        assert_eq!(error_body(res).await["field"], field, "{query}");
    }
}
