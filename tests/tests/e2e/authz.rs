//! The authorisation matrix: every route in the API document × every kind of caller, reads and
//! writes alike. The table below is the policy, written out by hand; a route missing from it
//! fails the test, so a new route cannot escape the matrix.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of, sync_statuses};
use std::collections::BTreeSet;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Public,
    Participant,
    /// A results link's holder (`POST /api/results/open`).
    Reader,
    /// Anyone logged in with an email and password: staff and commissioners.
    SignedIn,
    Staff,
    Manager,
    Admin,
    /// Only a commissioner.
    Commissioner,
    /// A manager or admin of the report's organisation, or a commissioner it shares with.
    ReportReader,
}

/// Whether an `{id}` in the path names a record on a specialist's caseload (another specialist
/// gets 404) or just something of the organisation (any colleague may look).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    NoId,
    Caseload,
    Organisation,
    /// A response sent from the participant's own device: another invitation's holder gets 404.
    Sent,
}

use Scope::*;
use Who::*;

const POLICY: &[(&str, &str, Who, Scope)] = &[
    ("GET", "/health/live", Public, NoId),
    ("GET", "/health/ready", Public, NoId),
    ("POST", "/api/auth/login", Public, NoId),
    ("POST", "/api/auth/refresh", Public, NoId),
    ("POST", "/api/auth/logout", Public, NoId),
    ("POST", "/api/invitations/open", Public, NoId),
    ("GET", "/api/survey", Participant, NoId),
    ("POST", "/api/survey/responses", Participant, NoId),
    ("GET", "/api/survey/results", Participant, NoId),
    ("PUT", "/api/survey/responses/{id}/voice", Participant, Sent),
    ("POST", "/api/survey/results-link", Participant, NoId),
    ("POST", "/api/results/open", Public, NoId),
    ("POST", "/api/unsubscribe", Public, NoId),
    ("GET", "/api/results/service", Reader, NoId),
    ("GET", "/api/results/actions", Reader, NoId),
    ("GET", "/api/results/wellbeing", Reader, NoId),
    ("GET", "/api/results/wellbeing/{id}", Reader, NoId),
    ("GET", "/api/auth/me", SignedIn, NoId),
    ("GET", "/api/teams", Staff, NoId),
    ("GET", "/api/teams/{id}", Staff, Organisation),
    ("GET", "/api/instruments", Staff, NoId),
    ("POST", "/api/participants", Staff, NoId),
    ("GET", "/api/participants", Staff, NoId),
    ("GET", "/api/participants/{id}", Staff, Caseload),
    ("PATCH", "/api/participants/{id}", Staff, Caseload),
    ("POST", "/api/participants/{id}/withdraw", Staff, Caseload),
    ("POST", "/api/consents", Staff, NoId),
    ("POST", "/api/episodes", Staff, NoId),
    ("GET", "/api/episodes", Staff, NoId),
    ("GET", "/api/caseload/forms", Staff, NoId),
    ("GET", "/api/episodes/{id}", Staff, Caseload),
    ("PATCH", "/api/episodes/{id}", Staff, Caseload),
    ("POST", "/api/sessions", Staff, NoId),
    ("PATCH", "/api/sessions/{id}", Staff, Caseload),
    ("GET", "/api/episodes/{id}/sessions", Staff, Caseload),
    (
        "POST",
        "/api/sessions/{id}/conflicts/{edit_id}/resolve",
        Staff,
        Caseload,
    ),
    ("POST", "/api/sync", Staff, NoId),
    ("POST", "/api/invitations", Staff, NoId),
    ("GET", "/api/invitations/{id}", Staff, Caseload),
    ("POST", "/api/responses", Staff, NoId),
    ("PUT", "/api/responses/{id}/voice", Staff, Caseload),
    ("GET", "/api/kpi/employer-satisfaction", Staff, NoId),
    ("GET", "/api/kpi/jobseeker-satisfaction", Staff, NoId),
    ("GET", "/api/kpi/wellbeing", Staff, NoId),
    ("GET", "/api/kpi/coverage", Staff, NoId),
    ("GET", "/api/kpi/trend", Staff, NoId),
    ("GET", "/api/kpi/comments", Manager, NoId),
    ("GET", "/api/staff", Manager, NoId),
    ("GET", "/api/staff/{id}", Manager, Organisation),
    ("GET", "/api/settings", Manager, NoId),
    ("GET", "/api/settings/survey-texts", Staff, NoId),
    ("PUT", "/api/settings/help", Admin, NoId),
    ("GET", "/api/attention", Manager, NoId),
    ("GET", "/api/responses/{id}/voice", Manager, Organisation),
    ("POST", "/api/attention/{id}/handle", Manager, Organisation),
    ("POST", "/api/reports", Manager, NoId),
    ("GET", "/api/reports", Manager, NoId),
    ("GET", "/api/reports/late", Manager, NoId),
    ("GET", "/api/reports/preview", Manager, NoId),
    ("GET", "/api/reports/{id}", ReportReader, Organisation),
    ("GET", "/api/reports/{id}/csv", ReportReader, Organisation),
    ("GET", "/api/reports/{id}/xlsx", ReportReader, Organisation),
    ("GET", "/api/reports/{id}/print", ReportReader, Organisation),
    ("GET", "/api/export/episodes.csv", Manager, NoId),
    ("GET", "/api/export/responses.csv", Manager, NoId),
    ("POST", "/api/teams", Admin, NoId),
    ("PATCH", "/api/teams/{id}", Admin, Organisation),
    ("POST", "/api/staff", Admin, NoId),
    ("PATCH", "/api/staff/{id}", Admin, Organisation),
    ("PUT", "/api/settings/swemwbs-licence", Admin, NoId),
    ("PUT", "/api/settings/thresholds", Admin, NoId),
    ("PUT", "/api/settings/privacy", Admin, NoId),
    ("PUT", "/api/settings/time-zone", Admin, NoId),
    ("GET", "/api/settings/swemwbs-translations", Manager, NoId),
    (
        "PUT",
        "/api/settings/swemwbs-translations/{language}",
        Admin,
        NoId,
    ),
    (
        "DELETE",
        "/api/settings/swemwbs-translations/{language}",
        Admin,
        NoId,
    ),
    ("GET", "/api/audit", Admin, NoId),
    ("GET", "/api/audit.csv", Admin, NoId),
    (
        "POST",
        "/api/participants/{id}/results-link",
        Staff,
        Caseload,
    ),
    ("GET", "/api/prompts", Staff, NoId),
    ("POST", "/api/prompts/{id}/done", Staff, Caseload),
    ("POST", "/api/actions", Manager, NoId),
    ("GET", "/api/actions", Manager, NoId),
    ("GET", "/api/actions/{id}", Manager, Organisation),
    ("PATCH", "/api/actions/{id}", Manager, Organisation),
    ("POST", "/api/actions/{id}/publish", Manager, Organisation),
    ("GET", "/api/mail", Manager, NoId),
    ("GET", "/api/settings/mail", Manager, NoId),
    ("PUT", "/api/settings/mail", Admin, NoId),
    ("GET", "/api/participants/{id}/export", Admin, Organisation),
    ("POST", "/api/participants/{id}/erase", Admin, Organisation),
    ("POST", "/api/import/episodes", Admin, NoId),
    ("POST", "/api/import/responses", Admin, NoId),
    ("POST", "/api/referrals", Staff, NoId),
    ("GET", "/api/referrals", Staff, NoId),
    ("PATCH", "/api/referrals/{id}", Staff, Caseload),
    ("POST", "/api/jobs", Staff, NoId),
    ("PATCH", "/api/jobs/{id}", Staff, Caseload),
    ("GET", "/api/episodes/{id}/jobs", Staff, Caseload),
    ("GET", "/api/outcomes", Manager, NoId),
    ("GET", "/api/outcomes/caseload", Manager, NoId),
    ("GET", "/api/outcomes/equality", Manager, NoId),
    ("GET", "/api/outcomes/workbook.xlsx", Manager, NoId),
    ("GET", "/api/settings/outcomes", Manager, NoId),
    ("PUT", "/api/settings/outcomes", Admin, NoId),
    ("GET", "/api/commissioners", Admin, NoId),
    ("POST", "/api/commissioners", Admin, NoId),
    ("DELETE", "/api/commissioners/{id}", Admin, Organisation),
    ("GET", "/api/commissioner/reports", Commissioner, NoId),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Jobseeker,
    Employer,
    Reader,
    Specialist,
    OtherSpecialist,
    Manager,
    Admin,
    OtherOrgManager,
    /// A commissioner Org A shares its reports with.
    Commissioner,
}

#[derive(Debug, PartialEq, Eq)]
enum Expect {
    Allowed,
    /// 401, 403 or 404, as given.
    Denied(u16),
}

fn expect(caller: Caller, who: Who, scope: Scope) -> Expect {
    use Caller as C;
    let staff_rank = |c: Caller| match c {
        C::Specialist | C::OtherSpecialist => Some(1),
        C::Manager | C::OtherOrgManager => Some(2),
        C::Admin => Some(3),
        _ => None,
    };
    if caller == C::Commissioner {
        // Outside the service: their own page, the reports shared with them, who they are.
        return match who {
            Public | SignedIn | Commissioner | ReportReader => Expect::Allowed,
            Participant | Reader => Expect::Denied(401),
            Staff | Manager | Admin => Expect::Denied(403),
        };
    }
    let needed = match who {
        Public => return Expect::Allowed,
        Commissioner => {
            return match staff_rank(caller) {
                Some(_) => Expect::Denied(403),
                None => Expect::Denied(401),
            };
        }
        Participant => {
            return match (caller, scope) {
                (C::Employer, Sent) => Expect::Denied(404),
                (C::Jobseeker | C::Employer, _) => Expect::Allowed,
                _ => Expect::Denied(401),
            };
        }
        Reader => {
            return match caller {
                C::Reader => Expect::Allowed,
                _ => Expect::Denied(401),
            };
        }
        SignedIn | Staff => 1,
        Manager | ReportReader => 2,
        Admin => 3,
    };
    let Some(rank) = staff_rank(caller) else {
        return Expect::Denied(401);
    };
    if rank < needed {
        return Expect::Denied(403);
    }
    match (caller, scope) {
        (C::OtherOrgManager, Caseload | Organisation) => Expect::Denied(404),
        (C::OtherSpecialist, Caseload) => Expect::Denied(404),
        _ => Expect::Allowed,
    }
}

struct Ids {
    participant: Uuid,
    episode: Uuid,
    invitation: Uuid,
    team: Uuid,
    staff: Uuid,
    report: Uuid,
    response: Uuid,
    /// A response the jobseeker's phone sent.
    sent_response: Uuid,
    action: Uuid,
    end_form: Uuid,
    /// A support session on Sam's caseload.
    session: Uuid,
    /// A referral Sam holds, and a job on his episode.
    referral: Uuid,
    job: Uuid,
    /// The commissioner Org A shares with.
    commissioner: Uuid,
}

fn concrete(path: &str, ids: &Ids) -> String {
    let id = if path.starts_with("/api/participants/") {
        ids.participant
    } else if path.starts_with("/api/episodes/") {
        ids.episode
    } else if path.starts_with("/api/invitations/") {
        ids.invitation
    } else if path.starts_with("/api/teams/") {
        ids.team
    } else if path.starts_with("/api/staff/") {
        ids.staff
    } else if path.starts_with("/api/reports/") {
        ids.report
    } else if path.starts_with("/api/survey/responses/") {
        ids.sent_response
    } else if path.starts_with("/api/actions/") {
        ids.action
    } else if path.starts_with("/api/prompts/") {
        ids.end_form
    } else if path.starts_with("/api/results/wellbeing/") {
        ids.episode
    } else if path.starts_with("/api/sessions/") {
        ids.session
    } else if path.starts_with("/api/referrals/") {
        ids.referral
    } else if path.starts_with("/api/jobs/") {
        ids.job
    } else if path.starts_with("/api/commissioners/") {
        ids.commissioner
    } else {
        ids.response
    };
    let p = path
        .replace("{id}", &id.to_string())
        .replace("{language}", "cy")
        .replace("{edit_id}", &Uuid::new_v4().to_string());
    if p.starts_with("/api/kpi/") || p == "/api/reports/late" || p == "/api/reports/preview" {
        format!("{p}?first=2026-01-01&last=2026-12-31")
    } else if p == "/api/outcomes" || p == "/api/outcomes/workbook.xlsx" {
        format!("{p}?first=2026-01-01&last=2026-12-31&as_of=2026-12-31")
    } else if p == "/api/outcomes/equality" {
        format!("{p}?first=2026-01-01&last=2026-12-31&as_of=2026-12-31&by=gender")
    } else if p == "/api/outcomes/caseload" {
        format!("{p}?on=2026-06-30")
    } else {
        p
    }
}

/// The body a write is sent with: one the route would take, where an empty object would be
/// refused before the record is looked up (so the answer is about who may, not what was sent).
fn body_for(method: &str, path: &str) -> serde_json::Value {
    match (method, path) {
        ("PATCH", "/api/referrals/{id}") => json!({"accepted": true, "decided_on": "2026-01-06"}),
        _ => json!({}),
    }
}

#[tokio::test]
async fn every_route_allows_and_denies_exactly_whom_the_policy_says() {
    let app = TestApp::spawn().await;
    let org_a = app.create_org("Org A", "admin@a.example.org").await;
    let org_b = app.create_org("Org B", "admin@b.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    app.create_staff_direct(org_a, "manager@a.example.org", domain::Role::Manager)
        .await;
    let (sam_id, team) = app
        .specialist_in_team(org_a, &admin, "sam@a.example.org", "North")
        .await;
    app.create_staff_direct(org_a, "jo@a.example.org", domain::Role::Specialist)
        .await;
    app.create_staff_direct(org_b, "manager@b.example.org", domain::Role::Manager)
        .await;
    let manager = app.login("manager@a.example.org").await.access_token;
    let sam = app.login("sam@a.example.org").await.access_token;
    let jo = app.login("jo@a.example.org").await.access_token;
    let other_manager = app.login("manager@b.example.org").await.access_token;

    let participant = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("jobseeker", "JS-1"),
        )
        .await,
    );
    let employer = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("employer", "EMP-1"),
        )
        .await,
    );
    let episode = id_of(
        &app.create(
            "/api/episodes",
            &sam,
            &body::episode(participant, "2026-01-05", None),
        )
        .await,
    );
    let session = id_of(
        &app.create(
            "/api/sessions",
            &sam,
            &json!({"id": Uuid::new_v4(), "episode_id": episode, "held_on": "2026-02-01",
                    "duration_minutes": 45, "stage": "engagement", "activity": "first meeting"}),
        )
        .await,
    );
    let referral = id_of(
        &app.create(
            "/api/referrals",
            &sam,
            &body::referral(participant, "seqf", "2026-01-02", "job_centre"),
        )
        .await,
    );
    let job = id_of(
        &app.create(
            "/api/jobs",
            &sam,
            &body::job(episode, "2026-02-02", "new_job", true),
        )
        .await,
    );
    let inv = app.create("/api/invitations", &sam, &json!({"id": Uuid::new_v4(), "participant_id": participant, "instrument": "jobseeker_satisfaction"})).await;
    let emp_inv = app.create("/api/invitations", &sam, &json!({"id": Uuid::new_v4(), "participant_id": employer, "instrument": "employer_satisfaction"})).await;
    let at = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let response = id_of(
        &app.create(
            "/api/responses",
            &sam,
            &body::satisfaction(
                participant,
                "jobseeker_satisfaction",
                1,
                &at,
                body::completion("self", "none", "staff_device"),
            ),
        )
        .await,
    );
    let report: Value = app
        .create(
            "/api/reports",
            &manager,
            &json!({"period": {"first": "2026-01-01", "last": "2026-03-31"}}),
        )
        .await;
    let open = |t: Value| {
        let app = &app;
        async move {
            let v: Value = app
                .post("/api/invitations/open", None, &json!({"token": t}))
                .await
                .json()
                .await
                .unwrap();
            v["access_token"].as_str().unwrap().to_owned()
        }
    };
    let jobseeker = open(inv["token"].clone()).await;
    let employer_token = open(emp_inv["token"].clone()).await;
    let sent_response = id_of(
        &app.create(
            "/api/survey/responses",
            &jobseeker,
            &json!({"id": Uuid::new_v4(), "answers": [4, 4, 4, 4, 4],
                    "completion": body::completion("self", "none", "own_device"),
                    "answered_at": Utc::now().to_rfc3339()}),
        )
        .await,
    );
    // A voice comment to play back.
    let res = app
        .send_raw(
            Method::PUT,
            &format!("/api/responses/{response}/voice"),
            Some(&sam),
            "audio/webm",
            b"recording".to_vec(),
        )
        .await;
    assert_eq!(res.status(), 201);
    // A wellbeing decline on Sam's caseload (a prompt), a results link, an action.
    app.record_licence(&admin).await;
    let mut end_form = Uuid::nil();
    for (timing, raw, days) in [("start", 30, 20), ("end", 15, 1)] {
        let at = (Utc::now() - Duration::days(days)).to_rfc3339();
        let r = app
            .create(
                "/api/responses",
                &sam,
                &body::swemwbs(
                    participant,
                    episode,
                    timing,
                    &body::items_for_raw(raw),
                    &at,
                    "self",
                ),
            )
            .await;
        if timing == "end" {
            end_form = id_of(&r);
        }
    }
    let link = app
        .create(
            &format!("/api/participants/{participant}/results-link"),
            &sam,
            &json!({}),
        )
        .await;
    let opened: Value = app
        .post("/api/results/open", None, &json!({"token": link["token"]}))
        .await
        .json()
        .await
        .unwrap();
    let reader = opened["access_token"].as_str().unwrap().to_owned();
    let commissioner = id_of(
        &app.create(
            "/api/commissioners",
            &admin,
            &json!({"email": "casey@council.example.gov.uk", "name": "Casey",
                    "password": soundings_tests::PASSWORD}),
        )
        .await,
    );
    let commissioner_token = app.login("casey@council.example.gov.uk").await.access_token;
    let action = id_of(
        &app.create(
            "/api/actions",
            &manager,
            &json!({"audience": "both", "you_said": {"en": "Too slow"}, "we_did": {"en": "Faster now"},
                    "easy_read": {"you_said": {"en": "Slow"}, "we_did": {"en": "Fast"}}, "done_on": "2026-10-01"}),
        )
        .await,
    );
    let ids = Ids {
        participant,
        episode,
        invitation: id_of(&inv),
        team,
        staff: sam_id,
        report: id_of(&report),
        response,
        sent_response,
        action,
        end_form,
        session,
        referral,
        job,
        commissioner,
    };

    // The policy covers exactly the documented routes.
    let doc: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in item
            .as_object()
            .unwrap()
            .keys()
            .filter(|m| ["get", "post", "put", "patch", "delete"].contains(&m.as_str()))
        {
            documented.insert((m.to_uppercase(), path.clone()));
        }
    }
    let policy: BTreeSet<(String, String)> = POLICY
        .iter()
        .map(|(m, p, ..)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented, policy,
        "a route is missing from the authorisation policy (or the policy names a route that is gone)"
    );

    // Destructive callers last, so every caller meets the records as set up.
    let callers: [(Caller, Option<&str>); 10] = [
        (Caller::Anonymous, None),
        (Caller::Jobseeker, Some(&jobseeker)),
        (Caller::Employer, Some(&employer_token)),
        (Caller::Reader, Some(&reader)),
        (Caller::Commissioner, Some(&commissioner_token)),
        (Caller::OtherSpecialist, Some(&jo)),
        (Caller::OtherOrgManager, Some(&other_manager)),
        (Caller::Specialist, Some(&sam)),
        (Caller::Manager, Some(&manager)),
        (Caller::Admin, Some(&admin)),
    ];
    let mut failures = Vec::new();
    for (caller, token) in callers {
        for (method, path, who, scope) in POLICY {
            let url = concrete(path, &ids);
            let m = Method::from_bytes(method.as_bytes()).unwrap();
            let body = (m != Method::GET).then(|| body_for(method, path));
            let res = app.send(m, &url, token, body.as_ref()).await;
            let status = res.status().as_u16();
            let ok = match expect(caller, *who, *scope) {
                Expect::Allowed => !matches!(status, 401 | 403 | 404) && status < 500,
                Expect::Denied(code) => status == code,
            };
            if !ok {
                failures.push(format!(
                    "{caller:?} {method} {path}: got {status}, expected {:?}",
                    expect(caller, *who, *scope)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn identity_is_judged_before_a_bad_query_or_body() {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    app.create_staff_direct(org, "sam@a.example.org", domain::Role::Specialist)
        .await;
    let admin = app.login("admin@a.example.org").await.access_token;
    let sam = app.login("sam@a.example.org").await.access_token;
    assert_eq!(
        app.get("/api/audit?participant_id=nope", Some(&sam))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get("/api/episodes?participant_id=nope", None)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.post("/api/teams", Some(&sam), &json!({"name": 7}))
            .await
            .status(),
        403
    );
    // The outcome figures and their settings too.
    assert_eq!(
        app.get("/api/outcomes/equality?by=height", Some(&sam))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.put("/api/settings/outcomes", Some(&sam), &json!({"bands": 5}))
            .await
            .status(),
        403
    );
    let res = app
        .get("/api/audit?participant_id=nope", Some(&admin))
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(
        soundings_tests::error_body(res).await["field"],
        "participant_id"
    );
}

/// Journeys belong to the specialist holding them (managers see the organisation's) and to
/// their organisation: a colleague or another organisation can neither read nor add to them,
/// nor start support from a referral they do not hold.
#[tokio::test]
async fn nobody_records_a_job_or_decision_on_a_journey_they_do_not_hold() {
    let app = TestApp::spawn().await;
    let org_a = app.create_org("Org A", "admin@a.example.org").await;
    let org_b = app.create_org("Org B", "admin@b.example.org").await;
    app.create_staff_direct(org_a, "sam@a.example.org", domain::Role::Specialist)
        .await;
    app.create_staff_direct(org_a, "jo@a.example.org", domain::Role::Specialist)
        .await;
    app.create_staff_direct(org_a, "manager@a.example.org", domain::Role::Manager)
        .await;
    app.create_staff_direct(org_b, "manager@b.example.org", domain::Role::Manager)
        .await;
    let sam = app.login("sam@a.example.org").await.access_token;
    let jo = app.login("jo@a.example.org").await.access_token;
    let manager = app.login("manager@a.example.org").await.access_token;
    let other_manager = app.login("manager@b.example.org").await.access_token;

    let person = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("jobseeker", "JS-1"),
        )
        .await,
    );
    let referral = id_of(
        &app.create(
            "/api/referrals",
            &sam,
            &body::referral(person, "seqf", "2026-01-02", "self"),
        )
        .await,
    );
    let pending = id_of(
        &app.create(
            "/api/referrals",
            &sam,
            &body::referral(person, "seqf", "2026-01-03", "health"),
        )
        .await,
    );
    let episode = id_of(
        &app.create(
            "/api/episodes",
            &sam,
            &json!({"id": Uuid::new_v4(), "participant_id": person, "programme": "seqf",
                    "started_on": "2026-01-05", "referral_id": referral}),
        )
        .await,
    );
    let job = id_of(
        &app.create(
            "/api/jobs",
            &sam,
            &body::job(episode, "2026-02-02", "new_job", true),
        )
        .await,
    );
    let jobs_path = format!("/api/episodes/{episode}/jobs");
    let jobs_before: Value = app.get(&jobs_path, Some(&sam)).await.json().await.unwrap();
    let referrals_before: Value = app
        .get("/api/referrals", Some(&manager))
        .await
        .json()
        .await
        .unwrap();

    for (who, token) in [
        ("a colleague", &jo),
        ("another organisation", &other_manager),
    ] {
        // A job on the episode: refused naming it, as an episode they cannot see.
        let res = app
            .post(
                "/api/jobs",
                Some(token),
                &body::job(episode, "2026-03-02", "new_job", true),
            )
            .await;
        assert_eq!(res.status(), 400, "{who}");
        assert_eq!(error_body(res).await["field"], "episode_id", "{who}");
        // Ending the job, deciding the referral, reading the jobs: no such thing.
        for (res, what) in [
            (
                app.patch(
                    &format!("/api/jobs/{job}"),
                    Some(token),
                    &json!({"ended_on": "2026-03-01", "end_reason": "resigned"}),
                )
                .await,
                "job end",
            ),
            (
                app.patch(
                    &format!("/api/referrals/{pending}"),
                    Some(token),
                    &json!({"accepted": false, "decided_on": "2026-01-04",
                            "not_accepted_reason": "declined"}),
                )
                .await,
                "decision",
            ),
            (app.get(&jobs_path, Some(token)).await, "jobs"),
        ] {
            assert_eq!(res.status(), 404, "{who}: {what}");
            error_body(res).await;
        }
        // The same through the outbox.
        let out: Value = app
            .post(
                "/api/sync",
                Some(token),
                &json!({"records": [
                    {"kind": "job_end", "body": {"job_id": job, "ended_on": "2026-03-01"}},
                    {"kind": "episode_update",
                     "body": {"episode_id": episode, "change": {"hours_before": 10}}},
                    {"kind": "job", "body": body::job(episode, "2026-03-02", "new_job", true)},
                ]}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(sync_statuses(&out), vec![404, 404, 400], "{who}: {out}");
        // Their lists hold none of it.
        let listed: Value = app
            .get("/api/referrals", Some(token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(listed, json!([]), "{who}");
    }

    // Jo cannot refer Sam's client, nor start her own client's support from Sam's referral.
    let res = app
        .post(
            "/api/referrals",
            Some(&jo),
            &body::referral(person, "seqf", "2026-01-06", "self"),
        )
        .await;
    assert_eq!(error_body(res).await["field"], "participant_id");
    let hers = id_of(
        &app.create(
            "/api/participants",
            &jo,
            &body::participant("jobseeker", "JS-2"),
        )
        .await,
    );
    let res = app
        .post(
            "/api/episodes",
            Some(&jo),
            &json!({"id": Uuid::new_v4(), "participant_id": hers, "programme": "seqf",
                    "started_on": "2026-01-05", "referral_id": pending}),
        )
        .await;
    assert_eq!(error_body(res).await["field"], "referral_id");
    // Another organisation's id for its own new referral clashes: a conflict, not a takeover.
    let theirs = id_of(
        &app.create(
            "/api/participants",
            &other_manager,
            &body::participant("jobseeker", "JS-B"),
        )
        .await,
    );
    let mut clash = body::referral(theirs, "seqf", "2026-01-02", "self");
    clash["id"] = json!(referral);
    let res = app
        .post("/api/referrals", Some(&other_manager), &clash)
        .await;
    assert_eq!(res.status(), 409);

    // Nothing changed.
    let jobs_after: Value = app.get(&jobs_path, Some(&sam)).await.json().await.unwrap();
    assert_eq!(jobs_after, jobs_before);
    let referrals_after: Value = app
        .get("/api/referrals", Some(&manager))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(referrals_after, referrals_before);
    assert_eq!(app.count_rows("job").await, 1);
    assert_eq!(app.count_rows("referral").await, 2);
    // The manager of Sam's organisation sees and may decide them.
    let decided: Value = app
        .patch(
            &format!("/api/referrals/{pending}"),
            Some(&manager),
            &json!({"accepted": false, "decided_on": "2026-01-04", "not_accepted_reason": "declined"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(decided["not_accepted_reason"], "declined");
}

/// Linking an employer needs the right to read them: a specialist cannot pull an employer
/// that is only on another team's caseload into their own (issue 20), by a new episode, by
/// changing an episode or by a job. Their own employer links as before.
#[tokio::test]
async fn a_specialist_cannot_link_an_employer_they_cannot_read() {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    app.specialist_in_team(org, &admin, "sam@a.example.org", "North")
        .await;
    app.specialist_in_team(org, &admin, "jo@a.example.org", "South")
        .await;
    let sam = app.login("sam@a.example.org").await.access_token;
    let jo = app.login("jo@a.example.org").await.access_token;
    let joe_client = id_of(
        &app.create(
            "/api/participants",
            &jo,
            &body::participant("jobseeker", "JS-J"),
        )
        .await,
    );
    let theirs = id_of(
        &app.create(
            "/api/participants",
            &jo,
            &body::participant("employer", "EMP-SOUTH"),
        )
        .await,
    );
    app.create(
        "/api/episodes",
        &jo,
        &body::with(
            body::episode(joe_client, "2026-01-05", None),
            json!({"employer_id": theirs, "job_started_on": "2026-02-02"}),
        ),
    )
    .await;
    let mine = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("employer", "EMP-NORTH"),
        )
        .await,
    );
    let client = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("jobseeker", "JS-S"),
        )
        .await,
    );
    assert_eq!(
        app.get(&format!("/api/participants/{theirs}"), Some(&sam))
            .await
            .status(),
        404
    );

    let res = app
        .post(
            "/api/episodes",
            Some(&sam),
            &body::with(
                body::episode(client, "2026-01-05", None),
                json!({"employer_id": theirs, "job_started_on": "2026-02-02"}),
            ),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "employer_id");

    let episode = id_of(
        &app.create(
            "/api/episodes",
            &sam,
            &body::with(
                body::episode(client, "2026-01-05", None),
                json!({"employer_id": mine, "job_started_on": "2026-02-02"}),
            ),
        )
        .await,
    );
    let res = app
        .patch(
            &format!("/api/episodes/{episode}"),
            Some(&sam),
            &json!({"employer_id": theirs}),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "employer_id");
    let res = app
        .post(
            "/api/jobs",
            Some(&sam),
            &body::with(
                body::job(episode, "2026-02-02", "new_job", true),
                json!({"employer_id": theirs}),
            ),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "employer_id");

    // Nothing was linked: the employer is still out of Sam's reach.
    assert_eq!(
        app.get(&format!("/api/participants/{theirs}"), Some(&sam))
            .await
            .status(),
        404
    );
}
