//! The audit trail, the safeguarding list and published reports.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of};
use uuid::Uuid;

struct Org {
    app: TestApp,
    id: Uuid,
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
        id: org,
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

/// Moves an audit entry to another instant (the trail has no route that changes it).
async fn backdate_entry(app: &TestApp, id: i64, at: &str) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use soundings::entities::audit_entry;
    let at = chrono::DateTime::parse_from_rfc3339(at)
        .unwrap()
        .with_timezone(&Utc);
    audit_entry::Entity::update_many()
        .col_expr(audit_entry::Column::At, Expr::value(at))
        .filter(audit_entry::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_audit_trail_filters_by_action_entity_and_local_days_and_its_csv_follows() {
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
    o.app
        .get(&format!("/api/participants/{p}"), Some(&o.manager))
        .await;
    o.app
        .post("/api/teams", Some(&o.admin), &json!({"name": "East"}))
        .await;
    let all = audit(&o, "").await;
    let id_of_entry = |action: &str, entity: &str| {
        all.iter()
            .find(|e| e["action"] == action && e["entity"] == entity)
            .unwrap_or_else(|| panic!("no {action} {entity} in {all:?}"))["id"]
            .as_i64()
            .unwrap()
    };
    let read = id_of_entry("read", "participant");
    let created = id_of_entry("create", "participant");
    let team = id_of_entry("create", "team");

    let reads = audit(&o, "action=read").await;
    assert!(!reads.is_empty());
    assert!(reads.iter().all(|e| e["action"] == "read"), "{reads:?}");
    let teams = audit(&o, "entity=team").await;
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0]["id"], team);
    let both = audit(&o, "action=create&entity=participant").await;
    assert_eq!(
        both.iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [created]
    );

    // Days are the organisation's (Europe/London): 23:30 UTC on 30 June is 1 July there.
    backdate_entry(&o.app, read, "2026-06-30T23:30:00Z").await;
    backdate_entry(&o.app, created, "2026-06-30T22:30:00Z").await;
    let ids = |entries: Vec<Value>| -> Vec<i64> {
        entries.iter().map(|e| e["id"].as_i64().unwrap()).collect()
    };
    assert_eq!(
        ids(audit(&o, "from=2026-07-01&to=2026-07-01").await),
        [read]
    );
    assert_eq!(
        ids(audit(&o, "from=2026-06-30&to=2026-06-30").await),
        [created]
    );
    // Newest first.
    let mut two_days = vec![read, created];
    two_days.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(
        ids(audit(&o, "from=2026-06-30&to=2026-07-01").await),
        two_days
    );
    assert_eq!(ids(audit(&o, "to=2026-06-30").await), [created]);
    let from_july = ids(audit(&o, "from=2026-07-01").await);
    assert!(
        from_july.contains(&read) && from_july.contains(&team) && !from_july.contains(&created)
    );
    // The CSV holds exactly the entries the same filters give.
    let res = o
        .app
        .get("/api/audit.csv?action=create&entity=team", Some(&o.admin))
        .await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].starts_with(&format!("{team},")), "{csv}");

    // Bad filters are named; nothing is read with them.
    for (query, field) in [
        ("action=READ", "action"),
        ("action=", "action"),
        ("entity=team;drop", "entity"),
        (&*format!("entity={}", "a".repeat(33)), "entity"),
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2026-07-02&to=2026-07-01", "to"),
        ("staff_id=nope", "staff_id"),
    ] {
        for path in ["/api/audit", "/api/audit.csv"] {
            let res = o.app.get(&format!("{path}?{query}"), Some(&o.admin)).await;
            assert_eq!(res.status(), 400, "{path}?{query}");
            assert_eq!(error_body(res).await["field"], field, "{path}?{query}");
        }
    }
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
    // The versions the counted answers answered; no SWEMWBS or employer form was counted.
    assert_eq!(
        published["snapshot"]["answered_versions"],
        json!({"jobseeker_satisfaction": [1]})
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
    // KPI D's 95% interval is beside its mean on the page and in the CSV, as the API gives it.
    let i = &again["snapshot"]["kpi_d"]["mean_interval"];
    let shown = format!(
        "{:.2} to {:.2}",
        i["low"].as_f64().unwrap(),
        i["high"].as_f64().unwrap()
    );
    assert!(page.contains(&shown), "{shown} not on the page");
    let kpi_d_row = csv.lines().find(|l| l.starts_with("KPI D")).unwrap();
    assert!(kpi_d_row.ends_with(&shown), "{kpi_d_row}");
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

/// Adds the next version of an instrument, a copy of its newest (as a migration would:
/// no route changes instruments); returns its number.
async fn add_instrument_version(app: &TestApp, key: &str) -> i32 {
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
    use soundings::entities::instrument;
    let newest = instrument::Entity::find()
        .filter(instrument::Column::Key.eq(key))
        .order_by_desc(instrument::Column::Version)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let version = newest.version + 1;
    let mut definition: Value = serde_json::from_str(&newest.definition).unwrap();
    definition["version"] = json!(version);
    instrument::ActiveModel {
        key: Set(key.to_owned()),
        version: Set(version),
        definition: Set(definition.to_string()),
        created_at: Set(Utc::now()),
    }
    .insert(&app.db)
    .await
    .unwrap();
    version
}

async fn jobseeker(o: &Org, reference: &str) -> Uuid {
    id_of(
        &o.app
            .create(
                "/api/participants",
                &o.sam,
                &body::participant("jobseeker", reference),
            )
            .await,
    )
}

/// A jobseeker satisfaction answer by a new jobseeker of Sam's; returns the receipt.
async fn satisfaction(o: &Org, reference: &str, overall: u8, at: &str, respondent: &str) -> Value {
    let p = jobseeker(o, reference).await;
    let b = body::satisfaction(
        p,
        "jobseeker_satisfaction",
        overall,
        at,
        body::completion(respondent, "none", "staff_device"),
    );
    o.app.create("/api/responses", &o.sam, &b).await
}

async fn publish(o: &Org, first: &str, last: &str) -> Value {
    o.app
        .create(
            "/api/reports",
            &o.manager,
            &json!({"period": {"first": first, "last": last}}),
        )
        .await
}

#[tokio::test]
async fn a_published_report_records_the_instrument_versions_its_counted_answers_answered() {
    let o = org().await;
    o.app.record_licence(&o.admin).await;
    // March: two jobseeker answers to version 1, and a SWEMWBS pair (version 1) whose end
    // form is in March.
    for (i, rating) in [4, 5].into_iter().enumerate() {
        let r = satisfaction(
            &o,
            &format!("JS-{i}"),
            rating,
            "2026-03-10T10:00:00Z",
            "self",
        )
        .await;
        assert_eq!(r["instrument_version"], 1);
    }
    let p = jobseeker(&o, "JS-W").await;
    let episode = id_of(
        &o.app
            .create(
                "/api/episodes",
                &o.sam,
                &body::episode(p, "2026-01-05", Some("2026-03-20")),
            )
            .await,
    );
    for (timing, raw, at) in [
        ("start", 20, "2026-01-06T10:00:00Z"),
        ("end", 26, "2026-03-20T10:00:00Z"),
    ] {
        let b = body::swemwbs(p, episode, timing, &body::items_for_raw(raw), at, "self");
        o.app.create("/api/responses", &o.sam, &b).await;
    }
    // Version 2 of the jobseeker survey comes in; a proxy answers it for March (stored, not
    // counted), and a jobseeker answers it in April.
    assert_eq!(
        add_instrument_version(&o.app, "jobseeker_satisfaction").await,
        2
    );
    let proxy = satisfaction(&o, "JS-P", 1, "2026-03-12T10:00:00Z", "proxy").await;
    assert_eq!(proxy["instrument_version"], 2);
    let april = satisfaction(&o, "JS-A", 3, "2026-04-02T10:00:00Z", "self").await;
    assert_eq!(april["instrument_version"], 2);

    // March counts only version 1 answers, though version 2 is the newest.
    let march = publish(&o, "2026-03-01", "2026-03-31").await;
    let s = &march["snapshot"];
    assert_eq!(
        (
            s["kpi_d"]["n"].clone(),
            s["kpi_d"]["excluded_proxy"].clone()
        ),
        (json!(2), json!(1))
    );
    assert_eq!(s["wellbeing"]["paired_n"], 1);
    assert_eq!(
        s["answered_versions"],
        json!({"jobseeker_satisfaction": [1], "swemwbs": [1]})
    );
    assert!(s.get("instrument_versions").is_none(), "{s}");
    // April: only version 2. March and April: both, in order.
    let april_report = publish(&o, "2026-04-01", "2026-04-30").await;
    assert_eq!(
        april_report["snapshot"]["answered_versions"],
        json!({"jobseeker_satisfaction": [2]})
    );
    let both = publish(&o, "2026-03-01", "2026-04-30").await;
    assert_eq!(
        both["snapshot"]["answered_versions"],
        json!({"jobseeker_satisfaction": [1, 2], "swemwbs": [1]})
    );
    // A period with nothing counted records nothing.
    let empty = publish(&o, "2025-01-01", "2025-01-31").await;
    assert_eq!(empty["snapshot"]["answered_versions"], json!({}));

    // The printable page and the CSV say so, with the report's time zone.
    let id = march["id"].as_str().unwrap();
    let page = o
        .app
        .get(&format!("/api/reports/{id}/print"), Some(&o.manager))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("answered: jobseeker_satisfaction v1; swemwbs v1"),
        "{page}"
    );
    assert!(page.contains("dates in Europe/London"), "{page}");
    let csv = o
        .app
        .get(&format!("/api/reports/{id}/csv"), Some(&o.manager))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("answered: jobseeker_satisfaction v1; swemwbs v1"),
        "{csv}"
    );
}

#[tokio::test]
async fn a_report_published_before_answered_versions_were_recorded_still_reads_as_published() {
    use sea_orm::{ActiveModelTrait, Set};
    use soundings::entities::published_report;
    let o = org().await;
    satisfaction(&o, "JS-1", 4, "2026-03-10T10:00:00Z", "self").await;
    let made = publish(&o, "2026-03-01", "2026-03-31").await;
    // The same snapshot as the earlier format stored it: the newest versions at the time.
    let mut old = made["snapshot"].clone();
    // ... and before the full report (shape 2).
    for field in [
        "answered_versions",
        "shape",
        "as_of",
        "key_messages",
        "grade",
        "outcomes",
        "caseload",
        "equality",
        "actions",
    ] {
        old.as_object_mut().unwrap().remove(field);
    }
    old["instrument_versions"] = json!([
        "employer_satisfaction:1",
        "jobseeker_satisfaction:1",
        "swemwbs:1"
    ]);
    let id = Uuid::new_v4();
    published_report::ActiveModel {
        id: Set(id),
        organisation_id: Set(o.id),
        first: Set(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
        last: Set(chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()),
        title: Set("Old report".into()),
        published_by: Set(o.manager_id),
        published_at: Set(Utc::now()),
        snapshot: Set(old.to_string()),
    }
    .insert(&o.app.db)
    .await
    .unwrap();

    let res = o
        .app
        .get(&format!("/api/reports/{id}"), Some(&o.manager))
        .await;
    assert_eq!(res.status(), 200);
    let read: Value = res.json().await.unwrap();
    assert_eq!(
        read["snapshot"]["instrument_versions"],
        old["instrument_versions"]
    );
    assert_eq!(read["snapshot"]["answered_versions"], json!({}));
    assert_eq!(read["snapshot"]["kpi_d"], made["snapshot"]["kpi_d"]);
    let page = o
        .app
        .get(&format!("/api/reports/{id}/print"), Some(&o.manager))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(
            "newest at publication: employer_satisfaction:1; jobseeker_satisfaction:1; swemwbs:1"
        ),
        "{page}"
    );
    // Its XLSX opens too: the sections it did not hold are there, empty.
    let xlsx = o
        .app
        .get(&format!("/api/reports/{id}/xlsx"), Some(&o.manager))
        .await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    let mut book: calamine::Xlsx<_> = calamine::Reader::new(std::io::Cursor::new(bytes)).unwrap();
    let equality = calamine::Reader::worksheet_range(&mut book, "Equality").unwrap();
    assert_eq!(equality.height(), 1);
    assert_eq!(read["snapshot"]["shape"], 1);
    let list: Vec<Value> = o
        .app
        .get("/api/reports", Some(&o.manager))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
}

async fn late(o: &Org, token: &str, query: &str) -> reqwest::Response {
    o.app
        .get(&format!("/api/reports/late?{query}"), Some(token))
        .await
}

async fn late_list(o: &Org, query: &str) -> Vec<Value> {
    let res = late(o, &o.manager, query).await;
    assert_eq!(res.status(), 200, "{query}");
    res.json().await.unwrap()
}

#[tokio::test]
async fn records_arriving_after_publication_are_counted_for_the_live_view_and_never_change_the_report()
 {
    let o = org().await;
    for (i, rating) in [5, 4, 3].into_iter().enumerate() {
        satisfaction(
            &o,
            &format!("JS-{i}"),
            rating,
            "2026-03-10T10:00:00Z",
            "self",
        )
        .await;
    }
    let report = publish(&o, "2026-03-01", "2026-03-31").await;
    let id = report["id"].as_str().unwrap().to_owned();
    // (5 + 4 + 3) / 3 = 4.00
    assert_eq!(report["snapshot"]["kpi_d"]["mean"], 4.0);
    const MARCH: &str = "first=2026-03-01&last=2026-03-31";
    let list = late_list(&o, MARCH).await;
    assert_eq!(
        list,
        vec![json!({
            "report_id": id,
            "title": report["title"],
            "period": {"first": "2026-03-01", "last": "2026-03-31"},
            "published_at": report["published_at"],
            "late_records": 0,
            "print_url": format!("/api/reports/{id}/print"),
        })]
    );

    // A phone syncs a form answered on 30 March, days later: late for March.
    satisfaction(&o, "JS-L", 1, "2026-03-30T10:00:00Z", "self").await;
    // Outside the period: 23:30 UTC on 31 March is 00:30 on 1 April in London (BST), and
    // 23:30 UTC on 28 February is still February (GMT); and one in April.
    for (i, at) in [
        "2026-03-31T23:30:00Z",
        "2026-02-28T23:30:00Z",
        "2026-04-15T10:00:00Z",
    ]
    .into_iter()
    .enumerate()
    {
        satisfaction(&o, &format!("JS-O{i}"), 2, at, "self").await;
    }
    let list = late_list(&o, MARCH).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["late_records"], 1);
    // The live figure moved; the report did not.
    let live: Value = o
        .app
        .get(
            &format!("/api/kpi/jobseeker-satisfaction?{MARCH}"),
            Some(&o.manager),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (live["n"].clone(), live["mean"].clone()),
        (json!(4), json!(3.25))
    );
    let again: Value = o
        .app
        .get(&format!("/api/reports/{id}"), Some(&o.manager))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again, report);

    // A day inside the report's period hears of it too (periods that share a day), counted
    // over the report's whole period; a period it does not touch, not at all.
    let day = late_list(&o, "first=2026-03-30&last=2026-03-30").await;
    assert_eq!(day.len(), 1);
    assert_eq!(day[0]["late_records"], 1);
    assert_eq!(
        late_list(&o, "first=2026-04-01&last=2026-04-30").await,
        Vec::<Value>::new()
    );
    // A quarter published now holds the late March form: nothing is late for it yet. Newest
    // first.
    let quarter = publish(&o, "2026-01-01", "2026-03-31").await;
    let list = late_list(&o, MARCH).await;
    let seen: Vec<(Value, Value)> = list
        .iter()
        .map(|r| (r["report_id"].clone(), r["late_records"].clone()))
        .collect();
    assert_eq!(
        seen,
        vec![(quarter["id"].clone(), json!(0)), (json!(id), json!(1))]
    );

    // Bad dates name the field; specialists may not ask.
    for (query, field) in [
        ("first=2026-13-01&last=2026-03-31", "first"),
        ("first=2026-03-01", "last"),
        ("last=2026-03-31", "first"),
        ("first=2026-03-31&last=2026-03-01", "last"),
        ("first=2026-03-01&last=31/03/2026", "last"),
    ] {
        let res = late(&o, &o.manager, query).await;
        assert_eq!(res.status(), 400, "{query}");
        assert_eq!(error_body(res).await["field"], field, "{query}");
    }
    let res = late(&o, &o.sam, MARCH).await;
    assert_eq!(res.status(), 403);
    assert_eq!(error_body(res).await["error"], "forbidden");
}
