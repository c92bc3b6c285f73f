//! Commissioners (issue 18): an admin shares the organisation's published reports with a
//! commissioner, who reads them and their headline figures and nothing about any one person;
//! sharing is per organisation and stops; commissioners are never staff; bad invitations are
//! refused naming the field.

use serde_json::{Value, json};
use soundings_tests::{PASSWORD, TestApp, body, error_body, id_of};
use uuid::Uuid;

const CASEY: &str = "casey@council.example.gov.uk";

struct Org {
    admin: String,
    manager: String,
    sam: String,
}

/// An organisation with an admin, a manager and a specialist (`sam@<domain>`).
async fn organisation(app: &TestApp, name: &str, domain: &str) -> Org {
    let org = app.create_org(name, &format!("admin@{domain}")).await;
    let admin = app.login(&format!("admin@{domain}")).await.access_token;
    app.create_staff_direct(org, &format!("manager@{domain}"), domain::Role::Manager)
        .await;
    app.create_staff_direct(org, &format!("sam@{domain}"), domain::Role::Specialist)
        .await;
    Org {
        admin,
        manager: app.login(&format!("manager@{domain}")).await.access_token,
        sam: app.login(&format!("sam@{domain}")).await.access_token,
    }
}

/// A jobseeker `reference` on Sam's caseload through the first quarter of 2026, with a SWEMWBS
/// pair (14 → 24) and a satisfaction rating of 4: the report then holds one response and one
/// wellbeing pair about this person. Returns the ids that name them.
/// The comment `one_person` wrote and agreed to have quoted.
const QUOTED: &str = "The job club on Tuesdays got me ready for interviews.";

async fn one_person(app: &TestApp, o: &Org, reference: &str) -> Vec<Uuid> {
    app.record_licence(&o.admin).await;
    let p = id_of(
        &app.create(
            "/api/participants",
            &o.sam,
            &body::participant("jobseeker", reference),
        )
        .await,
    );
    let e = id_of(
        &app.create(
            "/api/episodes",
            &o.sam,
            &body::episode(p, "2026-01-05", Some("2026-03-20")),
        )
        .await,
    );
    let mut ids = vec![p, e];
    for (timing, raw, at) in [
        ("start", 14, "2026-01-05T10:00:00Z"),
        ("end", 24, "2026-03-20T10:00:00Z"),
    ] {
        let form = body::swemwbs(p, e, timing, &body::items_for_raw(raw), at, "self");
        ids.push(id_of(&app.create("/api/responses", &o.sam, &form).await));
    }
    // The person agreed that their comment may be quoted.
    let rating = body::with(
        body::satisfaction(
            p,
            "jobseeker_satisfaction",
            4,
            "2026-03-01T10:00:00Z",
            body::completion("self", "none", "staff_device"),
        ),
        json!({"comment": QUOTED, "may_quote": true}),
    );
    ids.push(id_of(&app.create("/api/responses", &o.sam, &rating).await));
    ids
}

fn publishing(title: &str) -> Value {
    json!({
        "period": {"first": "2026-01-01", "last": "2026-03-31"},
        "title": title,
        "as_of": "2026-03-31",
        "key_messages": ["Wellbeing rose for the people we supported."],
        "grade": "green",
        "grade_reason": "Every figure met its benchmark.",
    })
}

async fn publish(app: &TestApp, manager: &str, title: &str) -> Value {
    app.create("/api/reports", manager, &publishing(title))
        .await
}

async fn invite(app: &TestApp, admin: &str, body: Value) -> reqwest::Response {
    app.post("/api/commissioners", Some(admin), &body).await
}

async fn stop_sharing(app: &TestApp, admin: &str, id: Uuid) -> reqwest::Response {
    app.send::<()>(
        reqwest::Method::DELETE,
        &format!("/api/commissioners/{id}"),
        Some(admin),
        None,
    )
    .await
}

async fn ok_json(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{v}");
    v
}

async fn text(app: &TestApp, token: &str, path: &str) -> String {
    let res = app.get(path, Some(token)).await;
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

fn headline<'a>(shared: &'a Value, starts: &str) -> &'a Value {
    shared["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"].as_str().unwrap().starts_with(starts))
        .unwrap_or_else(|| panic!("no headline {starts}"))
}

#[tokio::test]
async fn a_commissioner_reads_the_shared_report_and_its_headlines_and_nothing_about_one_person() {
    let app = TestApp::spawn().await;
    let a = organisation(&app, "Org A", "a.example.org").await;
    let person = one_person(&app, &a, "JS-PRIVATE-7").await;
    let report = app
        .create(
            "/api/reports",
            &a.manager,
            &body::with(
                publishing("January to March 2026"),
                json!({"quotes": [person[4]]}),
            ),
        )
        .await;
    let id = report["id"].as_str().unwrap();
    let s = &report["snapshot"];
    assert_eq!(s["quotes"][0]["response_id"], json!(person[4]));
    // The report as the manager has it holds the person's response and wellbeing pair.
    assert_eq!(s["kpi_d"]["response_ids"], json!([person[4]]));
    assert_eq!(s["wellbeing"]["pairs"].as_array().unwrap().len(), 1);
    assert!(s["caseload"].is_object());

    let res = invite(
        &app,
        &a.admin,
        json!({"email": "Casey@Council.Example.gov.uk", "name": "Casey Commissioner", "password": PASSWORD}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let casey: Value = res.json().await.unwrap();
    assert_eq!(casey["email"], CASEY);
    assert_eq!(casey["name"], "Casey Commissioner");
    assert_eq!(
        ok_json(app.get("/api/commissioners", Some(&a.admin)).await).await,
        json!([casey])
    );

    let login = app.login(CASEY).await;
    assert_eq!(login.staff.role, domain::Role::Commissioner);
    let token = login.access_token;
    let me = ok_json(app.get("/api/auth/me", Some(&token)).await).await;
    assert_eq!(me["role"], "commissioner");

    let list = ok_json(app.get("/api/commissioner/reports", Some(&token)).await).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let shared = &list[0];
    assert_eq!(shared["id"], id);
    assert_eq!(shared["organisation"], "Org A");
    assert_eq!(shared["title"], "January to March 2026");
    assert_eq!(
        shared["grade"],
        json!({"grade": "green", "reason": "Every figure met its benchmark."})
    );
    assert_eq!(
        shared["key_messages"],
        json!(["Wellbeing rose for the people we supported."])
    );
    // Each figure has a stable key for programs (the names are English words).
    let keys: Vec<&str> = shared["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "kpi_a",
            "kpi_b",
            "kpi_c",
            "kpi_d",
            "kpi_e",
            "wellbeing_change",
            "access",
            "into_paid_work",
            "cost_per_participant",
            "cost_per_job_outcome"
        ]
    );
    // The headlines are the report's own figures: one rating of 4; 14 → 24 raw is a
    // metric change the report computed.
    assert_eq!(headline(shared, "KPI D")["value"], s["kpi_d"]["mean"]);
    assert_eq!(headline(shared, "KPI D")["value"], json!(4.0));
    assert_eq!(
        headline(shared, "Wellbeing change")["value"],
        s["wellbeing"]["mean_change"]
    );
    assert_eq!(
        headline(shared, "KPI A")["value"],
        s["outcomes"]["kpi_a"]["rate"]["percent"]
    );
    assert_eq!(
        headline(shared, "Cost per job outcome")["value"],
        s["outcomes"]["cost"]["per_job_outcome"]
    );

    // The whole report opens, as it leaves the service: the same figures, nothing about one
    // person.
    let whole = ok_json(app.get(&format!("/api/reports/{id}"), Some(&token)).await).await;
    let w = &whole["snapshot"];
    assert_eq!(w["kpi_d"]["mean"], s["kpi_d"]["mean"]);
    assert_eq!(w["kpi_d"]["n"], 1);
    assert_eq!(w["wellbeing"]["mean_change"], s["wellbeing"]["mean_change"]);
    assert_eq!(w["wellbeing"]["paired_n"], 1);
    assert_eq!(w["outcomes"], s["outcomes"]);
    assert_eq!(w["kpi_d"]["response_ids"], json!([]));
    assert_eq!(w["kpi_c"]["response_ids"], json!([]));
    assert_eq!(w["wellbeing"]["pairs"], json!([]));
    assert!(w["caseload"].is_null());
    // The quoted words leave the service; the response they came from does not.
    assert_eq!(
        w["quotes"],
        json!([{"instrument": "jobseeker_satisfaction", "text": QUOTED}])
    );

    // Every answer a commissioner gets: no reference, no id of the person or their records,
    // no specialist's name.
    let mut seen = vec![
        serde_json::to_string(&list).unwrap(),
        whole.to_string(),
        text(&app, &token, &format!("/api/reports/{id}/print")).await,
        text(&app, &token, &format!("/api/reports/{id}/csv")).await,
    ];
    let xlsx = app
        .get(&format!("/api/reports/{id}/xlsx"), Some(&token))
        .await;
    assert_eq!(xlsx.status(), 200);
    seen.push(String::from_utf8_lossy(&xlsx.bytes().await.unwrap()).into_owned());
    assert!(
        seen[2].contains(QUOTED),
        "the printable page quotes the comment"
    );
    for answer in &seen {
        assert!(!answer.contains("JS-PRIVATE-7"));
        assert!(!answer.contains("sam@a.example.org"));
        for id in &person {
            assert!(!answer.contains(&id.to_string()), "{id} in {answer:.200}");
        }
    }
    // The manager's CSV of the same report does list the responses behind it.
    let managers = text(&app, &a.manager, &format!("/api/reports/{id}/csv")).await;
    assert!(managers.contains(&person[4].to_string()));
}

#[tokio::test]
async fn a_commissioner_sees_only_organisations_that_share_until_they_stop() {
    let app = TestApp::spawn().await;
    let a = organisation(&app, "Org A", "a.example.org").await;
    let b = organisation(&app, "Org B", "b.example.org").await;
    let report_a = id_of(&publish(&app, &a.manager, "A's quarter").await);
    let report_b = id_of(&publish(&app, &b.manager, "B's quarter").await);
    let res = invite(
        &app,
        &a.admin,
        json!({"email": CASEY, "name": "Casey", "password": PASSWORD}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let casey = id_of(&res.json().await.unwrap());
    let token = app.login(CASEY).await.access_token;
    let titles = |v: Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let reports = || app.get("/api/commissioner/reports", Some(&token));
    assert_eq!(titles(ok_json(reports().await).await), ["A's quarter"]);
    for path in ["", "/print", "/csv", "/xlsx"] {
        let res = app
            .get(&format!("/api/reports/{report_b}{path}"), Some(&token))
            .await;
        assert_eq!(res.status(), 404, "{path}");
    }

    // Org B shares too: the same account, its name and password unchanged.
    let res = invite(
        &app,
        &b.admin,
        json!({"email": CASEY, "name": "Someone Else", "password": "another long password"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let shared: Value = res.json().await.unwrap();
    assert_eq!(shared["id"], casey.to_string());
    assert_eq!(shared["name"], "Casey");
    assert_eq!(
        app.login_response(CASEY, "another long password")
            .await
            .status(),
        401
    );
    // Sharing again changes nothing.
    let again = invite(&app, &b.admin, json!({"email": CASEY})).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap(), shared);
    let mut both = titles(ok_json(reports().await).await);
    both.sort();
    assert_eq!(both, ["A's quarter", "B's quarter"]);
    // Each admin lists only whom their own organisation shares with.
    for admin in [&a.admin, &b.admin] {
        let list = ok_json(app.get("/api/commissioners", Some(admin)).await).await;
        assert_eq!(list.as_array().unwrap().len(), 1);
    }

    // Org A stops: its reports are gone from the commissioner's list and page.
    assert_eq!(stop_sharing(&app, &a.admin, casey).await.status(), 204);
    assert_eq!(titles(ok_json(reports().await).await), ["B's quarter"]);
    let res = app
        .get(&format!("/api/reports/{report_a}"), Some(&token))
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        ok_json(app.get("/api/commissioners", Some(&a.admin)).await).await,
        json!([])
    );
    assert_eq!(stop_sharing(&app, &a.admin, casey).await.status(), 404);

    // Sharing, stopping and every report the commissioner downloaded are in the audit trail.
    let audit = ok_json(app.get("/api/audit", Some(&a.admin)).await).await;
    let actions: Vec<(String, String)> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity"] == "commissioner")
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["entity_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        actions.contains(&("create".to_owned(), casey.to_string())),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("unshare".to_owned(), casey.to_string())),
        "{actions:?}"
    );
    let audit_b = ok_json(app.get("/api/audit", Some(&b.admin)).await).await;
    assert!(audit_b.to_string().contains("\"share\""), "{audit_b}");
}

#[tokio::test]
async fn a_commissioner_is_never_staff() {
    let app = TestApp::spawn().await;
    let a = organisation(&app, "Org A", "a.example.org").await;
    one_person(&app, &a, "JS-1").await;
    let res = invite(
        &app,
        &a.admin,
        json!({"email": CASEY, "name": "Casey", "password": PASSWORD}),
    )
    .await;
    let casey = id_of(&res.json().await.unwrap());
    let token = app.login(CASEY).await.access_token;
    for path in [
        "/api/participants",
        "/api/episodes",
        "/api/reports",
        "/api/kpi/jobseeker-satisfaction?first=2026-01-01&last=2026-03-31",
        "/api/staff",
        "/api/teams",
        "/api/audit",
    ] {
        let res = app.get(path, Some(&token)).await;
        assert_eq!(res.status(), 403, "{path}");
        assert_eq!(error_body(res).await["error"], "forbidden", "{path}");
    }
    // Not listed, changed or made as staff.
    let staff = ok_json(app.get("/api/staff", Some(&a.admin)).await).await;
    assert!(!staff.to_string().contains(CASEY), "{staff}");
    let res = app
        .patch(
            &format!("/api/staff/{casey}"),
            Some(&a.admin),
            &json!({"role": "manager"}),
        )
        .await;
    assert_eq!(res.status(), 404);
    let sam = staff
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["role"] == "specialist")
        .unwrap()["id"]
        .clone();
    let res = app
        .patch(
            &format!("/api/staff/{}", sam.as_str().unwrap()),
            Some(&a.admin),
            &json!({"role": "commissioner"}),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "role");
    let res = app
        .post(
            "/api/staff",
            Some(&a.admin),
            &json!({"name": "Kim", "email": "kim@a.example.org", "role": "commissioner", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "role");
    assert_eq!(
        app.login_response("kim@a.example.org", PASSWORD)
            .await
            .status(),
        401
    );
    // An episode cannot be given to them.
    let p = id_of(
        &app.create(
            "/api/participants",
            &a.sam,
            &body::participant("jobseeker", "JS-2"),
        )
        .await,
    );
    let res = app
        .post(
            "/api/episodes",
            Some(&a.manager),
            &body::with(
                body::episode(p, "2026-01-05", None),
                json!({"specialist_id": casey}),
            ),
        )
        .await;
    assert!(res.status().is_client_error(), "{}", res.status());
}

#[tokio::test]
async fn bad_invitations_are_refused_naming_the_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let a = organisation(&app, "Org A", "a.example.org").await;
    let accounts = app.count_rows("staff").await;
    let res = invite(
        &app,
        &a.manager,
        json!({"email": CASEY, "name": "Casey", "password": PASSWORD}),
    )
    .await;
    assert_eq!(res.status(), 403);
    for (body, field) in [
        (
            json!({"email": "not an address", "name": "Casey", "password": PASSWORD}),
            "email",
        ),
        (json!({"name": "Casey", "password": PASSWORD}), "email"),
        (json!({"email": CASEY, "password": PASSWORD}), "name"),
        (
            json!({"email": CASEY, "name": "  ", "password": PASSWORD}),
            "name",
        ),
        (json!({"email": CASEY, "name": "Casey"}), "password"),
        (
            json!({"email": CASEY, "name": "Casey", "password": "short"}),
            "password",
        ),
        (
            json!({"email": CASEY, "name": "Casey", "password": PASSWORD, "role": "admin"}),
            "role",
        ),
        (json!({"email": 7}), "email"),
    ] {
        let res = invite(&app, &a.admin, body.clone()).await;
        assert_eq!(res.status(), 400, "{body}");
        assert_eq!(error_body(res).await["field"], field, "{body}");
    }
    // A staff member's address is theirs alone.
    let res = invite(
        &app,
        &a.admin,
        json!({"email": "sam@a.example.org", "name": "Sam", "password": PASSWORD}),
    )
    .await;
    assert_eq!(res.status(), 409);
    assert_eq!(error_body(res).await["field"], "email");
    let res = app
        .send::<()>(
            reqwest::Method::DELETE,
            "/api/commissioners/not-an-id",
            Some(&a.admin),
            None,
        )
        .await;
    assert!(res.status().is_client_error());
    let res = stop_sharing(&app, &a.admin, Uuid::new_v4()).await;
    assert_eq!(res.status(), 404);
    assert_eq!(app.count_rows("staff").await, accounts);
    assert_eq!(app.count_rows("commissioner_share").await, 0);
    assert_eq!(
        ok_json(app.get("/api/commissioners", Some(&a.admin)).await).await,
        json!([])
    );
}
