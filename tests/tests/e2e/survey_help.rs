//! "Where to get help" after a survey (DESIGN §7): an admin sets the organisation's own words
//! and a phone number; every survey opened afterwards carries them, and the staff app's copy
//! for surveys handed over on a specialist's phone too. Bad values are refused by field and
//! change nothing; nobody but an admin can set them; another organisation's never leak.

use reqwest::Method;
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of};
use uuid::Uuid;

async fn put_help(app: &TestApp, token: &str, help: &Value) -> reqwest::Response {
    app.send(Method::PUT, "/api/settings/help", Some(token), Some(help))
        .await
}

async fn survey_texts(app: &TestApp, token: &str) -> Value {
    let res = app.get("/api/settings/survey-texts", Some(token)).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Opens a fresh invitation for a new jobseeker of Sam's, as their phone does.
async fn opened_survey(app: &TestApp, sam: &str) -> Value {
    let p = id_of(
        &app.create(
            "/api/participants",
            sam,
            &body::participant("jobseeker", &format!("JS-{}", Uuid::new_v4().simple())),
        )
        .await,
    );
    let inv = app
        .create(
            "/api/invitations",
            sam,
            &json!({"id": Uuid::new_v4(), "participant_id": p, "instrument": "jobseeker_satisfaction"}),
        )
        .await;
    let res = app
        .post(
            "/api/invitations/open",
            None,
            &json!({"token": inv["token"]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let opened: Value = res.json().await.unwrap();
    opened["survey"].clone()
}

#[tokio::test]
async fn an_admins_help_words_and_phone_reach_every_survey_and_bad_values_are_refused_by_field() {
    let app = TestApp::spawn().await;
    let org = app.create_org("Valley Works", "admin@v.example.org").await;
    app.create_staff_direct(org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    app.create_staff_direct(org, "mo@v.example.org", domain::Role::Manager)
        .await;
    let admin = app.login("admin@v.example.org").await.access_token;
    let sam = app.login("sam@v.example.org").await.access_token;
    let manager = app.login("mo@v.example.org").await.access_token;

    // Until an admin writes them, a survey has no words of its own: the app's default shows.
    let before = opened_survey(&app, &sam).await;
    assert_eq!(before["help"], json!({"text": null, "phone": null}));

    let help = json!({
        "text": {"en": "Worried? Talk to Ana, our wellbeing lead.", "cy": "Yn poeni? Siaradwch ag Ana."},
        "phone": "0800 123 4567"
    });
    for token in [&sam, &manager] {
        let res = put_help(&app, token, &help).await;
        assert_eq!(res.status(), 403, "only an admin sets the help text");
    }

    // Each bad value is named, and nothing is stored.
    let long = "x".repeat(5001);
    for (bad, field) in [
        (json!({"phone": "ring Ana"}), "phone"),
        (json!({"phone": " 0800 123"}), "phone"),
        (json!({"phone": "12"}), "phone"),
        (json!({"text": {"en": ""}}), "text.en"),
        (json!({"text": {"en": long}}), "text.en"),
        (json!({"text": {"cy": "Dim Saesneg"}}), "text.en"),
        (json!({"text": {"en": "Hi", "fr": "Salut"}}), "text.fr"),
        (
            json!({"phone": "0800 123 4567", "email": "x@y.org"}),
            "email",
        ),
    ] {
        let res = put_help(&app, &admin, &bad).await;
        assert_eq!(res.status(), 400, "{bad}");
        let body = error_body(res).await;
        assert_eq!(body["field"], field, "{bad}: {body}");
    }
    assert_eq!(survey_texts(&app, &sam).await["help"], before["help"]);

    let res = put_help(&app, &admin, &help).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), help);

    // Every survey opened from now on carries them; so does the staff app's copy.
    assert_eq!(opened_survey(&app, &sam).await["help"], help);
    let texts = survey_texts(&app, &sam).await;
    assert_eq!(texts["help"], help);
    assert!(
        texts["readers"]["en"]
            .as_str()
            .unwrap()
            .contains("managers"),
        "who reads the answers comes with it: {texts}"
    );

    // Another organisation's words stay theirs.
    app.create_org("Hill Support", "admin@h.example.org").await;
    let other = app.login("admin@h.example.org").await.access_token;
    let res = put_help(&app, &other, &json!({"phone": "116 123"})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(survey_texts(&app, &sam).await["help"], help);

    // Clearing them brings the default back.
    let res = put_help(&app, &admin, &json!({})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(opened_survey(&app, &sam).await["help"], before["help"]);
}
