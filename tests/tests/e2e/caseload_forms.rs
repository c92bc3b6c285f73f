//! Which forms each episode owes (issue 6: "which forms are due … and which are done"), from the
//! server, so a form answered on the person's own phone or another device shows as done on the
//! specialist's: SWEMWBS start and end, the jobseeker's and the employer's satisfaction survey.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, id_of};
use uuid::Uuid;

fn days_ago(n: i64) -> String {
    (Utc::now().date_naive() - Duration::days(n)).to_string()
}

fn at_days_ago(n: i64) -> String {
    (Utc::now() - Duration::days(n)).to_rfc3339()
}

async fn forms(app: &TestApp, token: &str) -> Vec<Value> {
    let res = app.get("/api/caseload/forms", Some(token)).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn of(all: &[Value], episode: Uuid) -> Value {
    all.iter()
        .find(|f| f["episode_id"] == json!(episode))
        .cloned()
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn each_episode_shows_the_forms_it_owes_and_those_done_wherever_they_were_answered() {
    let app = TestApp::spawn().await;
    let org = app.create_org("Valley Works", "admin@v.example.org").await;
    let admin = app.login("admin@v.example.org").await.access_token;
    app.record_licence(&admin).await;
    for (email, role) in [
        ("sam@v.example.org", domain::Role::Specialist),
        ("kim@v.example.org", domain::Role::Specialist),
        ("mo@v.example.org", domain::Role::Manager),
    ] {
        app.create_staff_direct(org, email, role).await;
    }
    let sam = app.login("sam@v.example.org").await.access_token;
    let kim = app.login("kim@v.example.org").await.access_token;
    let manager = app.login("mo@v.example.org").await.access_token;

    // Ann: in support since January, her start form done.
    let ann = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("jobseeker", "JS-ANN"),
        )
        .await,
    );
    let ann_ep = id_of(
        &app.create(
            "/api/episodes",
            &sam,
            &body::episode(ann, &days_ago(90), None),
        )
        .await,
    );
    app.create(
        "/api/responses",
        &sam,
        &body::swemwbs(
            ann,
            ann_ep,
            "start",
            &body::items_for_raw(20),
            &at_days_ago(89),
            "self",
        ),
    )
    .await;

    // Ben: placed with an employer six weeks ago, support ended yesterday, nothing answered.
    let ben = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("jobseeker", "JS-BEN"),
        )
        .await,
    );
    let firm = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("employer", "EM-FIRM"),
        )
        .await,
    );
    let mut ben_episode = body::episode(ben, &days_ago(120), Some(&days_ago(1)));
    ben_episode["job_started_on"] = json!(days_ago(42));
    ben_episode["employer_id"] = json!(firm);
    let ben_ep = id_of(&app.create("/api/episodes", &sam, &ben_episode).await);

    // Kim's client: not Sam's to see.
    let cal = id_of(
        &app.create(
            "/api/participants",
            &kim,
            &body::participant("jobseeker", "JS-CAL"),
        )
        .await,
    );
    let cal_ep = id_of(
        &app.create(
            "/api/episodes",
            &kim,
            &body::episode(cal, &days_ago(10), None),
        )
        .await,
    );

    let mine = forms(&app, &sam).await;
    assert_eq!(mine.len(), 2, "Sam sees his caseload only: {mine:?}");
    assert_eq!(of(&mine, cal_ep), Value::Null);
    assert_eq!(
        of(&mine, ann_ep),
        json!({"episode_id": ann_ep, "swemwbs_start": "done", "swemwbs_end": "not_yet",
               "jobseeker_satisfaction": "not_yet", "employer_satisfaction": null})
    );
    assert_eq!(
        of(&mine, ben_ep),
        json!({"episode_id": ben_ep, "swemwbs_start": "due", "swemwbs_end": "due",
               "jobseeker_satisfaction": "due", "employer_satisfaction": "due"})
    );

    // Ben answers on his own phone, the employer by a form Sam enters: done, wherever answered.
    let inv = app
        .create(
            "/api/invitations",
            &sam,
            &json!({"id": Uuid::new_v4(), "participant_id": ben, "episode_id": ben_ep,
                    "instrument": "swemwbs", "timing": "end"}),
        )
        .await;
    let opened: Value = app
        .post(
            "/api/invitations/open",
            None,
            &json!({"token": inv["token"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let ben_token = opened["access_token"].as_str().unwrap();
    let res = app
        .post(
            "/api/survey/responses",
            Some(ben_token),
            &json!({"id": Uuid::new_v4(), "answers": body::items_for_raw(24),
                    "completion": body::completion("self", "none", "own_device"),
                    "answered_at": Utc::now().to_rfc3339()}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let mut employer = body::satisfaction(
        firm,
        "employer_satisfaction",
        4,
        &at_days_ago(0),
        body::completion("self", "none", "paper_transcribed"),
    );
    employer["episode_id"] = json!(ben_ep);
    app.create("/api/responses", &sam, &employer).await;

    let ben_now = of(&forms(&app, &sam).await, ben_ep);
    assert_eq!(ben_now["swemwbs_end"], "done");
    assert_eq!(ben_now["employer_satisfaction"], "done");
    assert_eq!(
        ben_now["swemwbs_start"], "due",
        "the start form is still missing"
    );
    assert_eq!(ben_now["jobseeker_satisfaction"], "due");

    // A manager sees every episode of the organisation.
    assert_eq!(forms(&app, &manager).await.len(), 3);
}
