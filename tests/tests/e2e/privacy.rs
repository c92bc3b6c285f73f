//! Subject access, erasure, retention and honest answers (DESIGN.md §8).

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, id_of};
use uuid::Uuid;

struct World {
    app: TestApp,
    admin: String,
    manager: String,
    sam: String,
    ann: Uuid,
    ann_episode: Uuid,
    ann_response: Uuid,
    other: Uuid,
    other_episode: Uuid,
    /// Bob's job and referral, which are not Ann's.
    other_journey: [Uuid; 2],
}

const SECRETS: [&str; 6] = [
    "Ann Example",
    "ann@example.org",
    "07700 900461",
    "Easy to talk to but slow",
    "Met at the job centre café",
    // A date of birth (equality monitoring), looked for as the text it is sent as.
    "1979-11-23",
];

/// Ann has every kind of record, with personal data we can look for later; Bob is someone else.
async fn world() -> World {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    app.create_staff_direct(org, "manager@a.example.org", domain::Role::Manager)
        .await;
    app.create_staff_direct(org, "sam@a.example.org", domain::Role::Specialist)
        .await;
    let manager = app.login("manager@a.example.org").await.access_token;
    let sam = app.login("sam@a.example.org").await.access_token;
    app.record_licence(&admin).await;

    let mut ann = body::participant("jobseeker", "JS-ANN");
    ann["name"] = json!(SECRETS[0]);
    ann["email"] = json!(SECRETS[1]);
    ann["phone"] = json!(SECRETS[2]);
    ann["equality"] = json!({"born_on": SECRETS[5], "ethnicity": "asian"});
    let ann = id_of(&app.create("/api/participants", &sam, &ann).await);
    app.create("/api/consents", &sam, &json!({"id": Uuid::new_v4(), "participant_id": ann, "scopes": ["surveys", "email"], "given_by": "person", "method": "written", "text_version": "v1", "given_at": (Utc::now() - Duration::days(1)).to_rfc3339()})).await;
    // Her journey: a referral, support started from it, a job.
    let referral = app
        .create(
            "/api/referrals",
            &sam,
            &body::referral(ann, "seqf", "2026-01-02", "job_centre"),
        )
        .await;
    let mut episode = body::episode(ann, "2026-01-05", Some("2026-03-20"));
    episode["referral_id"] = referral["id"].clone();
    let ann_episode = id_of(&app.create("/api/episodes", &sam, &episode).await);
    app.create(
        "/api/jobs",
        &sam,
        &body::job(ann_episode, "2026-02-16", "new_job", true),
    )
    .await;
    app.create("/api/sessions", &sam, &json!({"id": Uuid::new_v4(), "episode_id": ann_episode, "held_on": "2026-01-06", "duration_minutes": 60, "stage": "engagement", "activity": "First meeting", "note": SECRETS[4]})).await;
    app.create("/api/invitations", &sam, &json!({"id": Uuid::new_v4(), "participant_id": ann, "instrument": "jobseeker_satisfaction", "send_email": true})).await;
    let mut r = body::satisfaction(
        ann,
        "jobseeker_satisfaction",
        4,
        "2026-03-21T10:00:00Z",
        body::completion("self", "none", "staff_device"),
    );
    r["comment"] = json!(SECRETS[3]);
    r["episode_id"] = json!(ann_episode);
    let ann_response = id_of(&app.create("/api/responses", &sam, &r).await);
    app.create(
        "/api/responses",
        &sam,
        &body::swemwbs(
            ann,
            ann_episode,
            "start",
            &body::items_for_raw(20),
            "2026-01-05T10:00:00Z",
            "self",
        ),
    )
    .await;

    let other = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("jobseeker", "JS-BOB"),
        )
        .await,
    );
    let other_episode = id_of(
        &app.create(
            "/api/episodes",
            &sam,
            &body::episode(other, "2026-01-05", Some("2026-02-01")),
        )
        .await,
    );
    let other_job = id_of(
        &app.create(
            "/api/jobs",
            &sam,
            &body::job(other_episode, "2026-01-19", "retained_job", true),
        )
        .await,
    );
    let other_referral = id_of(
        &app.create(
            "/api/referrals",
            &sam,
            &body::referral(other, "seqf", "2026-01-03", "self"),
        )
        .await,
    );
    let b = body::satisfaction(
        other,
        "jobseeker_satisfaction",
        2,
        "2026-03-22T10:00:00Z",
        body::completion("self", "none", "staff_device"),
    );
    app.create("/api/responses", &sam, &b).await;
    World {
        app,
        admin,
        manager,
        sam,
        ann,
        ann_episode,
        ann_response,
        other,
        other_episode,
        other_journey: [other_job, other_referral],
    }
}

#[tokio::test]
async fn a_subject_access_export_holds_every_kind_of_record_and_nothing_of_anyone_else() {
    let w = world().await;
    let res = w
        .app
        .get(
            &format!("/api/participants/{}/export", w.ann),
            Some(&w.admin),
        )
        .await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let sar: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(sar["participant"]["name"], SECRETS[0]);
    assert_eq!(sar["participant"]["equality"]["born_on"], SECRETS[5]);
    assert_eq!(sar["consents"].as_array().unwrap().len(), 1);
    assert_eq!(sar["episodes"].as_array().unwrap().len(), 1);
    assert_eq!(sar["sessions"][0]["note"], SECRETS[4]);
    assert_eq!(sar["referrals"].as_array().unwrap().len(), 1);
    assert_eq!(sar["referrals"][0]["episode_id"], json!(w.ann_episode));
    assert_eq!(sar["jobs"].as_array().unwrap().len(), 1);
    assert_eq!(sar["jobs"][0]["started_on"], "2026-02-16");
    assert_eq!(sar["invitations"].as_array().unwrap().len(), 1);
    assert_eq!(sar["responses"].as_array().unwrap().len(), 2);
    assert!(
        sar["responses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["comment"] == SECRETS[3])
    );
    assert!(sar["summary"].as_str().unwrap().contains("JS-ANN"));
    assert!(sar["audio"].is_array());
    // The invitation emailed to her: to whom, what, and its words without the live link.
    let emails = sar["emails"].as_array().unwrap();
    assert_eq!(emails.len(), 1, "{emails:?}");
    assert_eq!(emails[0]["kind"], "invitation");
    assert_eq!(emails[0]["to"], SECRETS[1]);
    let words = emails[0]["text"].as_str().unwrap();
    assert!(words.contains("[link removed]"), "{words}");
    assert!(!words.contains("#t=") && !words.contains("#u="), "{words}");
    assert!(sar["summary"].as_str().unwrap().contains("Emails: 1."));
    for foreign in [
        w.other.to_string(),
        w.other_episode.to_string(),
        w.other_journey[0].to_string(),
        w.other_journey[1].to_string(),
        "JS-BOB".to_owned(),
    ] {
        assert!(
            !text.contains(&foreign),
            "someone else's data in the export: {foreign}"
        );
    }
    assert!(!text.contains("token"), "no link tokens in the export");
    // Managers and specialists cannot export a person.
    assert_eq!(
        w.app
            .get(
                &format!("/api/participants/{}/export", w.ann),
                Some(&w.manager)
            )
            .await
            .status(),
        403
    );
}

/// Every GET route in the API document, with each `{id}` filled by every id we know.
async fn every_get_body(app: &TestApp, token: &str, ids: &[Uuid]) -> Vec<(String, u16, String)> {
    let doc: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    let mut out = Vec::new();
    let q = "first=2026-01-01&last=2026-12-31";
    for (path, item) in doc["paths"].as_object().unwrap() {
        if item.get("get").is_none() || path == "/api/openapi.json" {
            continue;
        }
        let concrete: Vec<String> = if path.contains("{id}") {
            ids.iter()
                .map(|id| path.replace("{id}", &id.to_string()))
                .collect()
        } else {
            vec![path.clone()]
        };
        for p in concrete {
            let url = if p.starts_with("/api/kpi") {
                format!("{p}?{q}")
            } else if p.starts_with("/api/outcomes") {
                // The equality split by age band is the one built from dates of birth.
                format!("{p}?{q}&by=age_band")
            } else {
                p.clone()
            };
            let res = app.get(&url, Some(token)).await;
            let status = res.status().as_u16();
            out.push((url, status, res.text().await.unwrap()));
        }
    }
    out
}

#[tokio::test]
async fn after_erasure_no_personal_field_or_comment_can_be_found_through_any_route() {
    let w = world().await;
    let before: Value = w
        .app
        .get(
            "/api/kpi/jobseeker-satisfaction?first=2026-03-01&last=2026-03-31",
            Some(&w.manager),
        )
        .await
        .json()
        .await
        .unwrap();
    let res = w
        .app
        .post(
            &format!("/api/participants/{}/erase", w.ann),
            Some(&w.admin),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let receipt: Value = res.json().await.unwrap();
    assert_eq!(receipt["answers_kept_anonymous"], 2);

    let ids = [w.ann, w.ann_episode, w.ann_response];
    for token in [&w.admin, &w.manager, &w.sam] {
        for (url, _, text) in every_get_body(&w.app, token, &ids).await {
            for secret in SECRETS {
                assert!(
                    !text.contains(secret),
                    "{secret:?} still reachable at {url}"
                );
            }
        }
    }
    let sar = w
        .app
        .get(
            &format!("/api/participants/{}/export", w.ann),
            Some(&w.admin),
        )
        .await
        .text()
        .await
        .unwrap();
    for secret in SECRETS.iter().chain(["JS-ANN"].iter()) {
        assert!(
            !sar.contains(secret),
            "{secret:?} in the export after erasure"
        );
    }
    // Figures behave as documented: the anonymous answer still counts...
    let after: Value = w
        .app
        .get(
            "/api/kpi/jobseeker-satisfaction?first=2026-03-01&last=2026-03-31",
            Some(&w.manager),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["n"], before["n"]);
    // ...unless the person asks for their answers to go too.
    let res = w
        .app
        .post(
            &format!("/api/participants/{}/erase", w.other),
            Some(&w.admin),
            &json!({"remove_answers": true}),
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["answers_removed"], 1);
    let gone: Value = w
        .app
        .get(
            "/api/kpi/jobseeker-satisfaction?first=2026-03-01&last=2026-03-31",
            Some(&w.manager),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        gone["n"].as_u64().unwrap(),
        before["n"].as_u64().unwrap() - 1
    );
    // The erasure is in the audit trail.
    let trail: Vec<Value> = w
        .app
        .get(
            &format!("/api/audit?participant_id={}", w.ann),
            Some(&w.admin),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(trail.iter().any(|e| e["action"] == "erase"));
    // None of it reached the server's log either, on the way in or out.
    if std::env::var("TEST_LOG").is_err() {
        let log = soundings_tests::captured_logs();
        assert!(
            log.contains(&format!("participant_id={}", w.ann)),
            "her records were not logged at all"
        );
        for secret in SECRETS {
            assert!(!log.contains(secret), "{secret:?} reached the log");
        }
    }
}

#[tokio::test]
async fn the_retention_job_erases_exactly_the_expired_participants() {
    let w = world().await;
    let res = w
        .app
        .send(
            reqwest::Method::PUT,
            "/api/settings/privacy",
            Some(&w.admin),
            Some(&json!({"retention_days": 365})),
        )
        .await;
    assert_eq!(res.status(), 200);
    // Ann's support ended 2026-03-20, Bob's 2026-02-01; a current client has no end.
    let cara = id_of(
        &w.app
            .create(
                "/api/participants",
                &w.sam,
                &body::participant("jobseeker", "JS-CARA"),
            )
            .await,
    );
    w.app
        .create(
            "/api/episodes",
            &w.sam,
            &body::episode(cara, "2025-01-01", None),
        )
        .await;
    // A fixed clock: 2027-02-15 is more than a year after Bob's end, less than a year after Ann's.
    let now = chrono::DateTime::parse_from_rfc3339("2027-02-15T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let erased = soundings::services::privacy::run_retention(&w.app.db, now)
        .await
        .unwrap();
    assert_eq!(erased, vec![w.other]);
    let later = chrono::DateTime::parse_from_rfc3339("2027-03-25T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let erased = soundings::services::privacy::run_retention(&w.app.db, later)
        .await
        .unwrap();
    assert_eq!(erased, vec![w.ann]);
    let p: Value = w
        .app
        .get(&format!("/api/participants/{}", w.ann), Some(&w.manager))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["name"], Value::Null);
    assert!(p["reference"].as_str().unwrap().starts_with("erased-"));
    let p: Value = w
        .app
        .get(&format!("/api/participants/{cara}"), Some(&w.manager))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["reference"], "JS-CARA");
    // A bad setting names its field.
    let res = w
        .app
        .send(
            reqwest::Method::PUT,
            "/api/settings/privacy",
            Some(&w.admin),
            Some(&json!({"retention_days": 3})),
        )
        .await;
    assert_eq!(
        soundings_tests::error_body(res).await["field"],
        "retention_days"
    );
}

#[tokio::test]
async fn a_specialist_can_read_no_individual_rating_or_comment_through_any_route() {
    let w = world().await;
    let ids = [
        w.ann,
        w.ann_episode,
        w.ann_response,
        w.other,
        w.other_episode,
    ];
    let bodies = every_get_body(&w.app, &w.sam, &ids).await;
    assert!(
        bodies.iter().any(|(_, s, _)| *s == 200),
        "the specialist reached nothing at all"
    );
    for (url, status, text) in &bodies {
        assert!(
            !text.contains(SECRETS[3]),
            "a comment reached the specialist at {url}"
        );
        if *status == 200 {
            let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            assert!(
                find_key(&v, "answers").is_none(),
                "individual answers reached the specialist at {url}"
            );
            assert!(
                find_key(&v, "comment").is_none(),
                "a comment field reached the specialist at {url}"
            );
        }
    }
    // The survey tells respondents who will read their answers, configurably.
    let custom = json!({"en": "Only our two managers read your answers.", "cy": "Dim ond ein dau reolwr sy'n darllen eich atebion."});
    let res = w
        .app
        .send(
            reqwest::Method::PUT,
            "/api/settings/privacy",
            Some(&w.admin),
            Some(&json!({"readers": custom})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let inv = w.app.create("/api/invitations", &w.sam, &json!({"id": Uuid::new_v4(), "participant_id": w.ann, "instrument": "jobseeker_satisfaction"})).await;
    let opened: Value = w
        .app
        .post(
            "/api/invitations/open",
            None,
            &json!({"token": inv["token"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(opened["survey"]["readers"], custom);
}

fn find_key<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v {
        Value::Object(m) => m
            .get(key)
            .or_else(|| m.values().find_map(|x| find_key(x, key))),
        Value::Array(a) => a.iter().find_map(|x| find_key(x, key)),
        _ => None,
    }
}

/// Equality answers stored as free labels, before they were typed, read as not recorded: the
/// person's record still opens, and the label is neither shown nor quoted in the log.
#[tokio::test]
async fn equality_answers_stored_before_they_were_typed_read_as_not_recorded() {
    use sea_orm::ConnectionTrait;
    let w = world().await;
    let label = "Irish Traveller (free label)";
    let backend = w.app.db.get_database_backend();
    w.app
        .db
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DatabaseBackend::Postgres => {
                    "UPDATE participant SET equality = $1 WHERE id = $2"
                }
                _ => "UPDATE participant SET equality = ? WHERE id = ?",
            },
            [
                json!({"ethnicity": label, "age_band": "25-34"})
                    .to_string()
                    .into(),
                w.ann.into(),
            ],
        ))
        .await
        .unwrap();

    let res = w
        .app
        .get(&format!("/api/participants/{}", w.ann), Some(&w.sam))
        .await;
    assert_eq!(res.status(), 200);
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["equality"], json!({}));
    let res = w
        .app
        .get(
            "/api/outcomes/equality?first=2026-01-01&last=2026-12-31&by=ethnicity&working=true",
            Some(&w.manager),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(!res.text().await.unwrap().contains(label));
    if std::env::var("TEST_LOG").is_err() {
        let log = soundings_tests::captured_logs();
        assert!(
            log.contains("stored equality answers unreadable"),
            "the unreadable answers were not noticed"
        );
        assert!(!log.contains(label), "the stored label reached the log");
    }
}
