//! Bad input gets a 4xx with a JSON body naming the problem, never a 500, and writes nothing.

use serde_json::json;
use soundings_tests::{TestApp, error_body};

async fn admin_app() -> (TestApp, String) {
    let app = TestApp::spawn().await;
    app.create_org("Org A", "admin@a.example.org").await;
    let token = app.login("admin@a.example.org").await.access_token;
    (app, token)
}

#[tokio::test]
async fn malformed_json_is_refused_and_nothing_is_written() {
    let (app, token) = admin_app().await;
    let before = app.count_rows("team").await;
    let res = app
        .post_raw(
            "/api/teams",
            Some(&token),
            "application/json",
            b"{\"name\": ".to_vec(),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["error"], "malformed_body");
    assert_eq!(app.count_rows("team").await, before);
}

#[tokio::test]
async fn a_missing_field_is_named() {
    let (app, token) = admin_app().await;
    let res = app
        .post(
            "/api/staff",
            Some(&token),
            &json!({"name": "Sam", "role": "specialist", "password": "long enough password"}),
        )
        .await;
    assert_eq!(res.status(), 400);
    let body = error_body(res).await;
    assert_eq!(body["error"], "invalid_field");
    assert_eq!(body["field"], "email");
    assert_eq!(app.count_rows("staff").await, 1);
}

#[tokio::test]
async fn a_wrong_type_is_named() {
    let (app, token) = admin_app().await;
    let res = app
        .post("/api/teams", Some(&token), &json!({"name": 42}))
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "name");
}

#[tokio::test]
async fn an_invalid_value_is_named_with_the_reason() {
    let (app, token) = admin_app().await;
    for (body, field) in [
        (
            json!({"name":"Sam","email":"no-at-sign","role":"specialist","password":"long enough password"}),
            "email",
        ),
        (
            json!({"name":"Sam","email":"sam@a.example.org","role":"owner","password":"long enough password"}),
            "role",
        ),
        (
            json!({"name":"Sam","email":"sam@a.example.org","role":"specialist","password":"short"}),
            "password",
        ),
        (
            json!({"name":"  ","email":"sam@a.example.org","role":"specialist","password":"long enough password"}),
            "name",
        ),
        (
            json!({"name":"Sam","email":"sam@a.example.org","role":"specialist","password":"long enough password","is_root":true}),
            "is_root",
        ),
    ] {
        let res = app.post("/api/staff", Some(&token), &body).await;
        assert_eq!(res.status(), 400, "{body}");
        let err = error_body(res).await;
        assert_eq!(err["field"], field, "{err}");
    }
    assert_eq!(app.count_rows("staff").await, 1);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_unsupported() {
    let (app, token) = admin_app().await;
    let res = app
        .post_raw(
            "/api/teams",
            Some(&token),
            "text/plain",
            b"name=North".to_vec(),
        )
        .await;
    assert_eq!(res.status(), 415);
    error_body(res).await;
}

#[tokio::test]
async fn an_oversize_body_is_refused() {
    let (app, token) = admin_app().await;
    let huge = format!("{{\"name\":\"{}\"}}", "x".repeat(300 * 1024));
    let res = app
        .post_raw(
            "/api/teams",
            Some(&token),
            "application/json",
            huge.into_bytes(),
        )
        .await;
    assert_eq!(res.status(), 413);
    assert_eq!(error_body(res).await["error"], "payload_too_large");
    assert_eq!(app.count_rows("team").await, 0);
}

#[tokio::test]
async fn an_unknown_api_route_is_a_json_404() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/no-such-thing", None).await;
    assert_eq!(res.status(), 404);
    assert_eq!(error_body(res).await["error"], "not_found");
}

#[tokio::test]
async fn a_wrong_method_gets_a_json_error() {
    let app = TestApp::spawn().await;
    let res = app
        .send::<()>(reqwest::Method::DELETE, "/api/auth/login", None, None)
        .await;
    assert!(res.status().is_client_error(), "{}", res.status());
    error_body(res).await;
}

#[tokio::test]
async fn an_id_that_is_not_a_uuid_is_not_found() {
    let (app, token) = admin_app().await;
    let res = app.get("/api/teams/not-a-uuid", Some(&token)).await;
    assert_eq!(res.status(), 404);
    error_body(res).await;
}

#[tokio::test]
async fn a_duplicate_is_a_conflict_naming_the_field() {
    let (app, token) = admin_app().await;
    assert_eq!(
        app.post("/api/teams", Some(&token), &json!({"name": "North"}))
            .await
            .status(),
        201
    );
    let res = app
        .post("/api/teams", Some(&token), &json!({"name": "North"}))
        .await;
    assert_eq!(res.status(), 409);
    assert_eq!(error_body(res).await["field"], "name");
    assert_eq!(app.count_rows("team").await, 1);
}

/// Found by schemathesis `--checks all` (scripts/fuzz-api).
#[tokio::test]
async fn an_array_body_is_refused_and_concrete_paths_answer_405_with_their_own_methods() {
    let (app, admin) = admin_app().await;
    // serde would read `[null, null]` as a struct by position, i.e. an empty change.
    let res = app
        .send(
            reqwest::Method::PUT,
            "/api/settings/privacy",
            Some(&admin),
            Some(&serde_json::json!([null, null])),
        )
        .await;
    assert_eq!(res.status(), 400);
    // `/api/invitations/open` is not `/api/invitations/{id}`: GET there is 405, Allow: POST.
    let res = app.get("/api/invitations/open", Some(&admin)).await;
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "POST");
    let res = app
        .send::<()>(
            reqwest::Method::OPTIONS,
            "/api/invitations/open",
            None,
            None,
        )
        .await;
    assert_eq!(res.headers()["allow"], "POST");
    // The health scope answers 405 too, not the PWA fallback.
    let res = app
        .send::<()>(reqwest::Method::TRACE, "/health/live", None, None)
        .await;
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "GET");
}

#[tokio::test]
async fn query_parameters_are_documented_as_query_parameters_with_their_limits() {
    let app = TestApp::spawn().await;
    let doc: serde_json::Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    let params = &doc["paths"]["/api/kpi/trend"]["get"]["parameters"];
    let first = params
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "first")
        .unwrap();
    assert_eq!(first["in"], "query");
    assert_eq!(first["required"], true);
    assert_eq!(first["schema"]["format"], "date");
    let mail = doc["paths"]["/api/mail"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let limit = mail.iter().find(|p| p["name"] == "limit").unwrap();
    assert_eq!(
        (limit["in"].as_str(), limit["schema"]["maximum"].as_i64()),
        (Some("query"), Some(1000))
    );
    let short = &doc["components"]["schemas"]["ShortText"];
    assert_eq!(
        (short["minLength"].as_i64(), short["maxLength"].as_i64()),
        (Some(1), Some(200))
    );
    assert!(short["pattern"].is_string());
}

/// serde reads a struct from a JSON array by position; every body here is an object, so an
/// array where an object belongs is refused, naming where it was, and nothing is stored.
#[tokio::test]
async fn an_array_where_an_object_belongs_is_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    app.create_staff_direct(org, "sam@a.example.org", domain::Role::Specialist)
        .await;
    let sam = app.login("sam@a.example.org").await.access_token;
    let good = soundings_tests::body::participant("jobseeker", "JS-1");

    // The whole body.
    let res = app
        .post("/api/participants", Some(&sam), &json!([good.clone()]))
        .await;
    assert_eq!(res.status(), 400);
    let body = error_body(res).await;
    assert_eq!(
        (body["error"].as_str(), body["field"].as_str()),
        (Some("invalid_field"), Some("body"))
    );

    // An object inside it: `accessibility` written as its four flags by position.
    let mut nested = good.clone();
    nested["accessibility"] = json!([true, false, false, false]);
    let res = app.post("/api/participants", Some(&sam), &nested).await;
    assert_eq!(res.status(), 400);
    let body = error_body(res).await;
    assert_eq!(body["field"], "accessibility");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("sequence")),
        "{body}"
    );
    assert_eq!(app.count_rows("participant").await, 0);

    // Written as an object, the same participant is taken.
    let mut fine = good.clone();
    fine["accessibility"] = json!({"easy_read": true});
    app.create("/api/participants", &sam, &fine).await;
    assert_eq!(app.count_rows("participant").await, 1);
}

#[tokio::test]
async fn in_a_sync_batch_an_array_for_an_object_is_that_records_own_refusal() {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    app.create_staff_direct(org, "sam@a.example.org", domain::Role::Specialist)
        .await;
    let sam = app.login("sam@a.example.org").await.access_token;
    let person = soundings_tests::body::participant("jobseeker", "JS-1");
    let pid = soundings_tests::id_of(&person);
    let at = (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339();
    let completion = soundings_tests::body::completion("self", "none", "staff_device");
    let response = |completion: serde_json::Value| {
        soundings_tests::body::satisfaction(pid, "jobseeker_satisfaction", 4, &at, completion)
    };
    let positional: Vec<serde_json::Value> =
        ["respondent", "support", "channel", "format", "language"]
            .iter()
            .map(|k| completion[*k].clone())
            .collect();
    let batch = json!({"records": [
        {"kind": "participant", "body": person},
        {"kind": "response", "body": [response(completion.clone())]},
        {"kind": "response", "body": response(json!(positional))},
        {"kind": "response", "body": response(completion.clone())},
    ]});

    let res = app.post("/api/sync", Some(&sam), &batch).await;

    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    let outcomes: Vec<(u64, Option<&str>)> = out["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["status"].as_u64().unwrap(), o["error"]["field"].as_str()))
        .collect();
    assert_eq!(
        outcomes,
        vec![
            (201, None),
            (400, Some("body")),
            (400, Some("completion")),
            (201, None)
        ]
    );
    assert_eq!(app.count_rows("response").await, 1);

    // A record itself written as `[kind, body]` refuses the batch, naming the record.
    let res = app
        .post(
            "/api/sync",
            Some(&sam),
            &json!({"records": [["response", response(completion)]]}),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "records[0]");
}

/// Follows `$ref`s into `components/schemas`.
fn resolve<'a>(doc: &'a serde_json::Value, schema: &'a serde_json::Value) -> &'a serde_json::Value {
    match schema["$ref"].as_str() {
        Some(r) => resolve(
            doc,
            &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")],
        ),
        None => schema,
    }
}

/// The limits the OpenAPI document states for the organisation settings are the ones the
/// server enforces: just inside is taken, just outside is refused naming the field.
#[tokio::test]
async fn the_settings_limits_are_documented_and_enforced_at_their_edges() {
    let (app, admin) = admin_app().await;
    let doc: serde_json::Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    let schemas = &doc["components"]["schemas"];
    let limits = |s: &serde_json::Value| (s["minimum"].as_f64(), s["maximum"].as_f64());
    let thresholds = &schemas["Thresholds"]["properties"];
    assert_eq!(
        limits(&thresholds["change_threshold"]),
        (Some(1.0), Some(5.0))
    );
    assert_eq!(limits(&thresholds["small_number"]), (Some(2.0), Some(50.0)));
    let privacy = &schemas["PrivacySettings"]["properties"];
    assert_eq!(
        limits(&privacy["retention_days"]),
        (Some(30.0), Some(3650.0))
    );
    let notice = privacy["readers"]["oneOf"]
        .as_array()
        .and_then(|v| v.iter().find(|s| s["$ref"].is_string()))
        .map(|s| resolve(&doc, s))
        .unwrap_or(&privacy["readers"]);
    assert_eq!(notice["required"], json!(["en"]));
    assert_eq!(notice["additionalProperties"], false);
    let en = resolve(&doc, &notice["properties"]["en"]);
    assert_eq!(
        (en["minLength"].as_i64(), en["maxLength"].as_i64()),
        (Some(1), Some(1000))
    );

    let put = |path: &'static str, body: serde_json::Value| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let res = app
                .send(reqwest::Method::PUT, path, Some(&admin), Some(&body))
                .await;
            let status = res.status().as_u16();
            let body: serde_json::Value = res.json().await.unwrap();
            (status, body)
        }
    };
    // Thresholds: both edges of each range are taken and stored as given.
    for (small, change) in [(2, 1.0), (50, 5.0), (7, 2.35)] {
        let (status, body) = put(
            "/api/settings/thresholds",
            json!({"small_number": small, "change_threshold": change}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            (
                body["small_number"].as_i64(),
                body["change_threshold"].as_f64()
            ),
            (Some(small), Some(change))
        );
    }
    for (small, change, field) in [
        (json!(1), json!(3), "small_number"),
        (json!(51), json!(3), "small_number"),
        (json!(5), json!(0.99), "change_threshold"),
        (json!(5), json!(5.01), "change_threshold"),
        // Not rounded to 1.00 or 5.00 behind the admin's back.
        (json!(5), json!(0.999), "change_threshold"),
        (json!(5), json!(5.001), "change_threshold"),
    ] {
        let (status, body) = put(
            "/api/settings/thresholds",
            json!({"small_number": small, "change_threshold": change}),
        )
        .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (400, Some(field)),
            "{small} {change}: {body}"
        );
    }
    // The last good values stayed.
    let settings: serde_json::Value = app
        .get("/api/settings", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings["change_threshold"], 2.35);

    // Privacy: retention days and the notice's texts (counted in characters, not bytes).
    let longest = "é".repeat(1000);
    for body in [
        json!({"retention_days": 30}),
        json!({"retention_days": 3650}),
        json!({"retention_days": null, "readers": {"en": longest, "cy": "x"}}),
    ] {
        let (status, answer) = put("/api/settings/privacy", body.clone()).await;
        assert_eq!(status, 200, "{body}: {answer}");
    }
    let too_long = "é".repeat(1001);
    for (body, field) in [
        (json!({"retention_days": 29}), "retention_days"),
        (json!({"retention_days": 3651}), "retention_days"),
        (json!({"readers": {"en": too_long}}), "readers.en"),
        (
            json!({"readers": {"en": "Managers", "cy": too_long}}),
            "readers.cy",
        ),
        (json!({"readers": {"en": "   "}}), "readers.en"),
        (json!({"readers": {"cy": "Rheolwyr"}}), "readers.en"),
        (
            json!({"readers": {"en": "Managers", "fr": "Les gérants"}}),
            "readers.fr",
        ),
    ] {
        let (status, answer) = put("/api/settings/privacy", body.clone()).await;
        assert_eq!(
            (status, answer["field"].as_str()),
            (400, Some(field)),
            "{body}: {answer}"
        );
    }
}

/// Dates outside sense are refused naming the field (issue 20): nothing before 1900, and
/// nothing that has happened (a service start, a session held) dated after tomorrow; through
/// the API and through a CSV import alike. Nothing is stored.
#[tokio::test]
async fn dates_outside_sense_are_refused_naming_the_field() {
    use soundings_tests::{body, id_of};
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    app.specialist_in_team(org, &admin, "sam@a.example.org", "North")
        .await;
    let sam = app.login("sam@a.example.org").await.access_token;
    let person = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("jobseeker", "JS-1"),
        )
        .await,
    );
    let next_week = (chrono::Utc::now().date_naive() + chrono::Days::new(7)).to_string();
    for started in [
        "+99999-01-01",
        "-0001-01-01",
        "9999-12-31",
        "1899-12-31",
        &next_week,
    ] {
        let res = app
            .post(
                "/api/episodes",
                Some(&sam),
                &body::episode(person, started, None),
            )
            .await;
        assert_eq!(res.status(), 400, "{started}");
        assert_eq!(error_body(res).await["field"], "started_on", "{started}");
    }
    assert_eq!(app.count_rows("episode").await, 0);

    let episode = id_of(
        &app.create(
            "/api/episodes",
            &sam,
            &body::episode(person, "1900-01-01", None),
        )
        .await,
    );
    for held in ["1899-12-31", "9999-12-31", &next_week] {
        let res = app
            .post(
                "/api/sessions",
                Some(&sam),
                &json!({"id": uuid::Uuid::new_v4(), "episode_id": episode, "held_on": held,
                        "duration_minutes": 30, "stage": "engagement",
                        "activity": "First meeting"}),
            )
            .await;
        assert_eq!(res.status(), 400, "{held}");
        assert_eq!(error_body(res).await["field"], "held_on", "{held}");
    }
    let res = app
        .patch(
            &format!("/api/episodes/{episode}"),
            Some(&sam),
            &json!({"ended_on": "9999-12-31"}),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "ended_on");
    assert_eq!(app.count_rows("support_session").await, 0);

    // The same bounds in an imported file, by row and column.
    let file = format!(
        "episode_id,participant_id,participant_reference,specialist_email,programme,referred_on,started_on,profile_started_on,job_started_on,ended_on,employer_id,employer_reference\n\
         {},{},JS-2,sam@a.example.org,seqf,,9999-12-31,,,,,\n",
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4()
    );
    let res = app
        .post_raw(
            "/api/import/episodes",
            Some(&admin),
            "text/csv",
            file.into_bytes(),
        )
        .await;
    assert_eq!(res.status(), 400);
    let body = error_body(res).await;
    assert_eq!(body["rows"][0]["field"], "started_on", "{body}");
    assert_eq!(app.count_rows("episode").await, 1);
}

/// A bad value in a query parameter is named as the parameter, as a bad date is (issue 20),
/// not as "query" with serde's wording.
#[tokio::test]
async fn a_bad_uuid_in_a_query_parameter_is_named_as_that_parameter() {
    let (app, token) = admin_app().await;
    for (path, field) in [
        ("/api/audit?participant_id=nope", "participant_id"),
        ("/api/audit?staff_id=1234", "staff_id"),
        (
            "/api/audit.csv?participant_id=%27%20or%201%3D1",
            "participant_id",
        ),
    ] {
        let res = app.get(path, Some(&token)).await;
        assert_eq!(res.status(), 400, "{path}");
        let body = error_body(res).await;
        assert_eq!(body["field"], field, "{path}: {body}");
        assert!(
            !body["message"]
                .as_str()
                .unwrap()
                .contains("Query deserialize"),
            "{body}"
        );
    }
}

/// Paths that probes try (`/.env`, `/.git/config`, `/wp-login.php`) are a JSON 404, whatever
/// the method; nothing calls them a malformed request body.
#[tokio::test]
async fn probed_paths_are_a_json_not_found() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Soundings</title>",
    )
    .unwrap();
    let dir = dist.path().to_owned();
    let app = TestApp::spawn_with(move |c| c.static_dir = dir).await;
    for path in [
        "/.env",
        "/.git/config",
        "/wp-login.php",
        "/api/.env",
        "/a/..%2f.env",
    ] {
        let res = app.get(path, None).await;
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(error_body(res).await["error"], "not_found", "{path}");
    }
    for method in [reqwest::Method::POST, reqwest::Method::PUT] {
        let res = app
            .send_raw(method.clone(), "/.env", None, "text/plain", b"x".to_vec())
            .await;
        assert_eq!(res.status(), 405, "{method}");
        let body = error_body(res).await;
        assert_eq!(body["error"], "method_not_allowed", "{method}: {body}");
    }
}
