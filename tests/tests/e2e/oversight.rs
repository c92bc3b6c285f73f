//! The audit trail, the safeguarding list and published reports.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of};
use uuid::Uuid;

struct Org {
    app: TestApp,
    admin: String,
    manager: String,
    sam: String,
    jo: String,
    manager_id: Uuid,
    jo_id: Uuid,
}

async fn org() -> Org {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    let manager_id = app
        .create_staff_direct(org, "manager@a.example.org", domain::Role::Manager)
        .await;
    app.create_staff_direct(org, "sam@a.example.org", domain::Role::Specialist)
        .await;
    let jo_id = app
        .create_staff_direct(org, "jo@a.example.org", domain::Role::Specialist)
        .await;
    let manager = app.login("manager@a.example.org").await.access_token;
    let sam = app.login("sam@a.example.org").await.access_token;
    let jo = app.login("jo@a.example.org").await.access_token;
    Org {
        app,
        admin,
        manager,
        sam,
        jo,
        manager_id,
        jo_id,
    }
}

async fn audit(o: &Org, query: &str) -> Vec<Value> {
    let res = o
        .app
        .get(&format!("/api/audit?{query}"), Some(&o.admin))
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn reads_changes_and_refusals_of_personal_data_are_in_the_audit_trail() {
    let o = org().await;
    let p = id_of(
        &o.app
            .create(
                "/api/participants",
                &o.sam,
                &body::participant("jobseeker", "JS-1"),
            )
            .await,
    );
    assert_eq!(
        o.app
            .get(&format!("/api/participants/{p}"), Some(&o.manager))
            .await
            .status(),
        200
    );
    assert_eq!(
        o.app
            .get(&format!("/api/participants/{p}"), Some(&o.jo))
            .await
            .status(),
        404
    );
    o.app
        .patch(
            &format!("/api/participants/{p}"),
            Some(&o.sam),
            &json!({"phone": "07700 900123"}),
        )
        .await;

    let entries = audit(&o, &format!("participant_id={p}")).await;
    let has = |action: &str, actor: &Uuid| {
        entries.iter().any(|e| {
            e["action"] == action && e["actor_id"] == json!(actor) && e["address"] == "127.0.0.1"
        })
    };
    assert!(has("read", &o.manager_id), "{entries:?}");
    assert!(has("refused", &o.jo_id), "{entries:?}");
    assert!(entries.iter().any(|e| e["action"] == "update"));
    assert!(entries.iter().any(|e| e["action"] == "create"));
    // By staff member.
    let jos = audit(&o, &format!("staff_id={}", o.jo_id)).await;
    assert!(jos.iter().all(|e| e["actor_id"] == json!(o.jo_id)));
    assert!(!jos.is_empty());
    // Exported as CSV.
    let res = o
        .app
        .get(
            &format!("/api/audit.csv?participant_id={p}"),
            Some(&o.admin),
        )
        .await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("id,at,actor_kind"));
    assert!(csv.contains("refused"));
    // Only admins read it.
    assert_eq!(
        o.app.get("/api/audit", Some(&o.manager)).await.status(),
        403
    );
}

#[tokio::test]
async fn the_audit_trail_has_no_route_that_changes_it() {
    let o = org().await;
    let doc: Value = o
        .app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if path.starts_with("/api/audit") {
            let methods: Vec<&String> = item.as_object().unwrap().keys().collect();
            assert!(
                methods.iter().all(|m| *m == "get" || *m == "parameters"),
                "{path}: {methods:?}"
            );
        }
    }
    for method in [
        reqwest::Method::DELETE,
        reqwest::Method::PUT,
        reqwest::Method::PATCH,
    ] {
        let res = o
            .app
            .send::<()>(method, "/api/audit", Some(&o.admin), None)
            .await;
        assert!(
            res.status() == 404 || res.status() == 405,
            "{}",
            res.status()
        );
    }
}

fn staff_completion() -> Value {
    body::completion("self", "none", "staff_device")
}

#[tokio::test]
async fn comments_and_low_ratings_need_attention_until_handled() {
    let o = org().await;
    let p = id_of(
        &o.app
            .create(
                "/api/participants",
                &o.sam,
                &body::participant("jobseeker", "JS-1"),
            )
            .await,
    );
    let at = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let mut commented = body::satisfaction(p, "jobseeker_satisfaction", 5, &at, staff_completion());
    commented["comment"] = json!("My job coach never calls back");
    let low = body::satisfaction(p, "jobseeker_satisfaction", 2, &at, staff_completion());
    let fine = body::satisfaction(p, "jobseeker_satisfaction", 4, &at, staff_completion());
    for b in [&commented, &low, &fine] {
        o.app.create("/api/responses", &o.sam, b).await;
    }
    let list: Vec<Value> = o
        .app
        .get("/api/attention", Some(&o.manager))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&Value> = list.iter().map(|i| &i["response_id"]).collect();
    assert_eq!(list.len(), 2, "{list:?}");
    assert!(ids.contains(&&commented["id"]) && ids.contains(&&low["id"]));
    assert_eq!(
        list.iter()
            .find(|i| i["response_id"] == commented["id"])
            .unwrap()["comment"],
        "My job coach never calls back"
    );
    assert!(list.iter().all(|i| i["participant_reference"] == "JS-1"));
    // Each comment or rating shown to the manager is a recorded read of that person's words.
    let reads: Vec<Value> = audit(&o, &format!("participant_id={p}"))
        .await
        .into_iter()
        .filter(|e| {
            e["action"] == "read"
                && e["entity"] == "comment"
                && e["actor_id"] == json!(o.manager_id)
        })
        .collect();
    let mut read_ids: Vec<&Value> = reads.iter().map(|e| &e["entity_id"]).collect();
    read_ids.sort_by_key(|v| v.to_string());
    let mut shown: Vec<&Value> = ids.clone();
    shown.sort_by_key(|v| v.to_string());
    assert_eq!(read_ids, shown);
    // Specialists never see it (honest answers).
    assert_eq!(
        o.app.get("/api/attention", Some(&o.sam)).await.status(),
        403
    );

    let path = format!("/api/attention/{}/handle", low["id"].as_str().unwrap());
    let res = o
        .app
        .post(
            &path,
            Some(&o.manager),
            &json!({"note": "Called the client; all fine now"}),
        )
        .await;
    assert_eq!(res.status(), 204);
    let res = o
        .app
        .post(&path, Some(&o.manager), &json!({"note": "again"}))
        .await;
    assert_eq!(res.status(), 409);
    let res = o
        .app
        .post(
            &format!(
                "/api/attention/{}/handle",
                commented["id"].as_str().unwrap()
            ),
            Some(&o.manager),
            &json!({"note": ""}),
        )
        .await;
    assert_eq!(error_body(res).await["field"], "note");
    let list: Vec<Value> = o
        .app
        .get("/api/attention", Some(&o.manager))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    // Reading the comment is itself audited.
    let entries = audit(&o, &format!("participant_id={p}")).await;
    assert!(
        entries
            .iter()
            .any(|e| e["entity"] == "comment" && e["action"] == "read")
    );
}

#[tokio::test]
async fn a_published_report_never_changes_and_its_ids_reproduce_its_figures() {
    let o = org().await;
    let mut people = Vec::new();
    for i in 0..6 {
        people.push(id_of(
            &o.app
                .create(
                    "/api/participants",
                    &o.sam,
                    &body::participant("jobseeker", &format!("JS-{i}")),
                )
                .await,
        ));
    }
    for (i, rating) in [5, 4, 4, 3, 2].iter().enumerate() {
        let b = body::satisfaction(
            people[i],
            "jobseeker_satisfaction",
            *rating,
            "2026-03-10T10:00:00Z",
            staff_completion(),
        );
        o.app.create("/api/responses", &o.manager, &b).await;
    }
    let march = json!({"first": "2026-03-01", "last": "2026-03-31"});
    let res = o
        .app
        .post("/api/reports", Some(&o.manager), &json!({"period": march}))
        .await;
    assert_eq!(res.status(), 201);
    let published: Value = res.json().await.unwrap();
    let id = published["id"].as_str().unwrap().to_owned();
    // (5 + 4 + 4 + 3 + 2) / 5 = 3.60
    assert_eq!(published["snapshot"]["kpi_d"]["mean"], 3.6);
    assert_eq!(
        published["snapshot"]["rule_version"],
        domain::kpi::RULE_VERSION
    );
    assert!(
        published["snapshot"]["instrument_versions"]
            .as_array()
            .unwrap()
            .contains(&json!("swemwbs:1"))
    );

    // Late data for March, and a threshold change.
    let late = body::satisfaction(
        people[5],
        "jobseeker_satisfaction",
        1,
        "2026-03-30T10:00:00Z",
        staff_completion(),
    );
    o.app.create("/api/responses", &o.manager, &late).await;
    let res = o
        .app
        .send(
            reqwest::Method::PUT,
            "/api/settings/thresholds",
            Some(&o.admin),
            Some(&json!({"small_number": 10, "change_threshold": 2.5})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let live: Value = o
        .app
        .get(
            "/api/kpi/jobseeker-satisfaction?first=2026-03-01&last=2026-03-31",
            Some(&o.manager),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(live["n"], 6);
    let again: Value = o
        .app
        .get(&format!("/api/reports/{id}"), Some(&o.manager))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again, published);
    assert_eq!(again["snapshot"]["small_number"], 5);

    // The ids behind KPI D, looked up in the audit spreadsheet, give the same mean.
    let ids: Vec<String> = again["snapshot"]["kpi_d"]["response_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let csv = o
        .app
        .get("/api/export/responses.csv", Some(&o.manager))
        .await
        .text()
        .await
        .unwrap();
    let overall: Vec<u32> = csv
        .lines()
        .skip(1)
        .filter(|l| ids.iter().any(|id| l.starts_with(id.as_str())))
        .map(|l| l.split(',').nth(10).unwrap().parse().unwrap())
        .collect();
    assert_eq!(overall.len(), 5);
    let sum: u32 = overall.iter().sum();
    assert_eq!(
        f64::from(sum) / 5.0,
        again["snapshot"]["kpi_d"]["mean"].as_f64().unwrap()
    );

    // Printable page and CSV.
    let page = o
        .app
        .get(&format!("/api/reports/{id}/print"), Some(&o.manager))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("3.60"));
    let csv = o
        .app
        .get(&format!("/api/reports/{id}/csv"), Some(&o.manager))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains(&ids[0]));
    // Specialists cannot publish or read reports.
    assert_eq!(
        o.app
            .post("/api/reports", Some(&o.sam), &json!({"period": march}))
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn the_comments_behind_a_periods_ratings_are_for_managers_newest_first_and_each_read_is_audited()
 {
    let o = org().await;
    let now = Utc::now();
    let mut made = Vec::new();
    // Three comments on satisfaction surveys (two days apart), one answer without a comment,
    // and one comment outside the period asked for.
    for (i, (days_ago, comment)) in [
        (4, Some("Too slow to call back")),
        (2, Some("Helped me with my CV")),
        (1, None),
        (0, Some("Great job coach")),
        (200, Some("Long ago")),
    ]
    .into_iter()
    .enumerate()
    {
        let p = id_of(
            &o.app
                .create(
                    "/api/participants",
                    &o.sam,
                    &body::participant("jobseeker", &format!("JS-{i}")),
                )
                .await,
        );
        let mut r = body::satisfaction(
            p,
            "jobseeker_satisfaction",
            if comment == Some("Too slow to call back") {
                2
            } else {
                4
            },
            &(now - Duration::days(days_ago)).to_rfc3339(),
            body::completion("self", "read_aloud", "own_device"),
        );
        if let Some(c) = comment {
            r["comment"] = json!(c);
        }
        made.push((id_of(&o.app.create("/api/responses", &o.sam, &r).await), p));
    }
    let first = (now - Duration::days(30)).date_naive();
    let last = now.date_naive();
    let path = format!("/api/kpi/comments?first={first}&last={last}");

    let res = o.app.get(&path, Some(&o.manager)).await;
    assert_eq!(res.status(), 200);
    let list: Vec<Value> = res.json().await.unwrap();
    let ids: Vec<Value> = list.iter().map(|c| c["response_id"].clone()).collect();
    assert_eq!(
        ids,
        vec![json!(made[3].0), json!(made[1].0), json!(made[0].0)]
    );
    assert_eq!(list[2]["comment"], "Too slow to call back");
    assert_eq!(list[2]["overall"], 2);
    assert_eq!(list[2]["support"], "read_aloud");
    assert_eq!(list[2]["channel"], "own_device");
    assert_eq!(list[2]["voice_comment"], false);

    // Specialists never read individual comments (DESIGN §8).
    let res = o.app.get(&path, Some(&o.sam)).await;
    assert_eq!(res.status(), 403);
    assert_eq!(error_body(res).await["error"], "forbidden");

    let entries = audit(&o, &format!("participant_id={}", made[0].1)).await;
    assert!(
        entries
            .iter()
            .any(|e| e["entity"] == "comment" && e["action"] == "read"),
        "{entries:?}"
    );
}
