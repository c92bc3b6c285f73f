//! Attribution over time (DESIGN.md §4): an episode keeps the history of who held it. A
//! response counts for whoever held its episode when it was answered, also when it arrives
//! after the caseload moved; a due survey and a wellbeing gap count for whoever held the
//! episode on the day they fell due; every filter applies to every figure.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, id_of};
use uuid::Uuid;

struct World {
    app: TestApp,
    admin: String,
    manager: String,
    sam: String,
    jo: String,
    sam_id: Uuid,
    jo_id: Uuid,
    north: Uuid,
    south: Uuid,
}

/// Sam (team North) and Jo (team South), and a manager.
async fn world() -> World {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    app.create_staff_direct(org, "manager@a.example.org", domain::Role::Manager)
        .await;
    let manager = app.login("manager@a.example.org").await.access_token;
    let (sam_id, north) = app
        .specialist_in_team(org, &admin, "sam@a.example.org", "North")
        .await;
    let (jo_id, south) = app
        .specialist_in_team(org, &admin, "jo@a.example.org", "South")
        .await;
    let sam = app.login("sam@a.example.org").await.access_token;
    let jo = app.login("jo@a.example.org").await.access_token;
    app.record_licence(&admin).await;
    World {
        app,
        admin,
        manager,
        sam,
        jo,
        sam_id,
        jo_id,
        north,
        south,
    }
}

fn day(days_ago: i64) -> String {
    (Utc::now() - Duration::days(days_ago))
        .date_naive()
        .to_string()
}

fn at(days_ago: i64) -> String {
    (Utc::now() - Duration::days(days_ago)).to_rfc3339()
}

/// One of Sam's clients with an episode over the given days; returns (participant, episode).
async fn sams_client(w: &World, reference: &str, started: i64, ended: Option<i64>) -> (Uuid, Uuid) {
    let p = id_of(
        &w.app
            .create(
                "/api/participants",
                &w.sam,
                &body::participant("jobseeker", reference),
            )
            .await,
    );
    let end = ended.map(day);
    let e = w
        .app
        .create(
            "/api/episodes",
            &w.sam,
            &body::episode(p, &day(started), end.as_deref()),
        )
        .await;
    (p, id_of(&e))
}

/// The manager moves the episode to Jo; the move is then dated `days_ago` (arranging time, as
/// if the manager had done it then).
async fn move_to_jo(w: &World, episode: Uuid, days_ago: i64) {
    let res = w
        .app
        .patch(
            &format!("/api/episodes/{episode}"),
            Some(&w.manager),
            &json!({"specialist_id": w.jo_id}),
        )
        .await;
    assert_eq!(res.status(), 200);
    backdate_move(&w.app, episode, days_ago).await;
}

async fn backdate_move(app: &TestApp, episode: Uuid, days_ago: i64) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use soundings::entities::episode_holder;
    let entries = episode_holder::Entity::find()
        .filter(episode_holder::Column::EpisodeId.eq(episode))
        .order_by_asc(episode_holder::Column::EffectiveAt)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(entries.len(), 2, "a first holder and the move");
    let moved: DateTime<Utc> = Utc::now() - Duration::days(days_ago);
    // The first holder's entry keeps the moment the episode was recorded (today); put it
    // before the move too.
    for (entry, when) in entries.iter().zip([moved - Duration::days(365), moved]) {
        episode_holder::Entity::update_many()
            .col_expr(
                episode_holder::Column::EffectiveAt,
                sea_orm::sea_query::Expr::value(when),
            )
            .filter(episode_holder::Column::EpisodeId.eq(episode))
            .filter(episode_holder::Column::EffectiveAt.eq(entry.effective_at))
            .exec(&app.db)
            .await
            .unwrap();
    }
}

async fn figure(w: &World, path: &str, filter: &str) -> Value {
    let q = format!("first={}&last={}&{filter}", day(40), day(0));
    let res = w
        .app
        .get(&format!("/api/kpi/{path}?{q}"), Some(&w.manager))
        .await;
    assert_eq!(res.status(), 200, "{path}?{q}");
    res.json().await.unwrap()
}

fn rating(participant: Uuid, episode: Uuid, overall: u8, answered_at: &str) -> Value {
    let mut b = body::satisfaction(
        participant,
        "jobseeker_satisfaction",
        overall,
        answered_at,
        body::completion("self", "none", "staff_device"),
    );
    b["episode_id"] = json!(episode);
    b
}

#[tokio::test]
async fn an_answer_synced_after_the_caseload_moved_counts_for_who_held_it_when_answered() {
    let w = world().await;
    let (p, e) = sams_client(&w, "J1", 30, Some(1)).await;
    // Moved to Jo ten days ago. Sam's phone had an answer from twelve days ago, with no
    // signal until now; Jo then took another answer two days ago.
    move_to_jo(&w, e, 10).await;
    w.app
        .create("/api/responses", &w.sam, &rating(p, e, 2, &at(12)))
        .await;
    w.app
        .create("/api/responses", &w.jo, &rating(p, e, 4, &at(2)))
        .await;

    let by = |filter: String| {
        let w = &w;
        async move {
            let k = figure(w, "jobseeker-satisfaction", &filter).await;
            (k["n"].as_u64().unwrap(), k["mean"].clone())
        }
    };
    assert_eq!(
        by(format!("specialist_id={}", w.sam_id)).await,
        (1, json!(2.0))
    );
    assert_eq!(
        by(format!("specialist_id={}", w.jo_id)).await,
        (1, json!(4.0))
    );
    assert_eq!(by(format!("team_id={}", w.north)).await, (1, json!(2.0)));
    assert_eq!(by(format!("team_id={}", w.south)).await, (1, json!(4.0)));
    assert_eq!(by(String::new()).await, (2, json!(3.0)));
    // A team filter that contradicts the specialist finds nothing.
    assert_eq!(
        by(format!("specialist_id={}&team_id={}", w.sam_id, w.south))
            .await
            .0,
        0
    );
}

#[tokio::test]
async fn a_due_survey_and_a_wellbeing_gap_count_for_who_held_the_episode_on_the_due_day() {
    let w = world().await;
    // Both started 20 days ago under Sam, moved to Jo 10 days ago, ended 5 days ago.
    // E1 has no forms at all; E2 has a scored start form (Sam's) and no end form.
    let (_, e1) = sams_client(&w, "J1", 20, Some(5)).await;
    let (p2, e2) = sams_client(&w, "J2", 20, Some(5)).await;
    w.app
        .create(
            "/api/responses",
            &w.sam,
            &body::swemwbs(p2, e2, "start", &body::items_for_raw(21), &at(19), "self"),
        )
        .await;
    move_to_jo(&w, e1, 10).await;
    move_to_jo(&w, e2, 10).await;

    let sam = format!("specialist_id={}", w.sam_id);
    let jo = format!("specialist_id={}", w.jo_id);
    let pair = |v: &Value| (v["due"].as_u64().unwrap(), v["answered"].as_u64().unwrap());

    // Starts fell due under Sam: two due, one answered. Ends under Jo: two due, none answered.
    let c = figure(&w, "coverage", &sam).await;
    assert_eq!(pair(&c["swemwbs_start"]), (2, 1));
    assert_eq!(pair(&c["swemwbs_end"]), (0, 0));
    assert_eq!(pair(&c["jobseeker_satisfaction"]), (0, 0));
    let c = figure(&w, "coverage", &jo).await;
    assert_eq!(pair(&c["swemwbs_start"]), (0, 0));
    assert_eq!(pair(&c["swemwbs_end"]), (2, 0));
    assert_eq!(pair(&c["jobseeker_satisfaction"]), (2, 0));
    // The same by team.
    let c = figure(&w, "coverage", &format!("team_id={}", w.north)).await;
    assert_eq!(pair(&c["swemwbs_start"]), (2, 1));
    assert_eq!(pair(&c["swemwbs_end"]), (0, 0));

    // E1 started with no start form: Sam's gap. E2 ended with no end form: Jo's gap.
    let k = figure(&w, "wellbeing", &sam).await;
    assert_eq!(k["started_without_start_score"], 1);
    assert_eq!(k["ended_without_end_score"], 0);
    let k = figure(&w, "wellbeing", &jo).await;
    assert_eq!(k["started_without_start_score"], 0);
    assert_eq!(k["ended_without_end_score"], 1);
    let k = figure(&w, "wellbeing", "").await;
    assert_eq!(k["started_without_start_score"], 1);
    assert_eq!(k["ended_without_end_score"], 1);
}

#[tokio::test]
async fn a_team_filter_changes_the_invitations_figure() {
    let w = world().await;
    let (p1, e1) = sams_client(&w, "J1", 30, None).await;
    let invite = |token: &str, p: Uuid, e: Uuid| {
        let app = &w.app;
        let token = token.to_owned();
        async move {
            app.create(
                "/api/invitations",
                &token,
                &json!({"id": Uuid::new_v4(), "participant_id": p, "episode_id": e,
                        "instrument": "jobseeker_satisfaction"}),
            )
            .await
        }
    };
    invite(&w.sam, p1, e1).await;
    // Jo's own client, invited twice.
    let p2 = id_of(
        &w.app
            .create(
                "/api/participants",
                &w.jo,
                &body::participant("jobseeker", "J2"),
            )
            .await,
    );
    let e2 = id_of(
        &w.app
            .create("/api/episodes", &w.jo, &body::episode(p2, &day(30), None))
            .await,
    );
    invite(&w.jo, p2, e2).await;
    invite(&w.jo, p2, e2).await;

    let sent = |filter: String| {
        let w = &w;
        async move {
            figure(w, "coverage", &filter).await["invitations_sent"]
                .as_u64()
                .unwrap()
        }
    };
    assert_eq!(sent(String::new()).await, 3);
    assert_eq!(sent(format!("team_id={}", w.north)).await, 1);
    assert_eq!(sent(format!("team_id={}", w.south)).await, 2);
    assert_eq!(sent(format!("specialist_id={}", w.jo_id)).await, 2);
    assert_eq!(sent("programme=ips".to_owned()).await, 0);
    assert_eq!(sent("programme=seqf".to_owned()).await, 3);
}

#[tokio::test]
async fn a_specialist_moved_to_another_team_leaves_the_old_teams_figures_unchanged() {
    let w = world().await;
    let (p, e) = sams_client(&w, "J1", 30, None).await;
    w.app
        .create("/api/responses", &w.sam, &rating(p, e, 2, &at(12)))
        .await;
    let north = format!("team_id={}", w.north);
    let south = format!("team_id={}", w.south);
    let before = figure(&w, "jobseeker-satisfaction", &north).await;
    assert_eq!(before["n"], 1);

    // Sam joins South, caseload and all.
    let res = w
        .app
        .patch(
            &format!("/api/staff/{}", w.sam_id),
            Some(&w.admin),
            &json!({"team_id": w.south}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let episode: Value = w
        .app
        .get(&format!("/api/episodes/{e}"), Some(&w.manager))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(episode["team_id"], json!(w.south));
    // An answer from before the move, synced only now, still counts for North.
    w.app
        .create("/api/responses", &w.sam, &rating(p, e, 4, &at(3)))
        .await;
    let sam = w.app.login("sam@a.example.org").await.access_token;
    w.app
        .create(
            "/api/responses",
            &sam,
            &rating(p, e, 5, &Utc::now().to_rfc3339()),
        )
        .await;

    let after = figure(&w, "jobseeker-satisfaction", &north).await;
    assert_eq!(
        (after["n"].clone(), after["mean"].clone()),
        (json!(2), json!(3.0))
    );
    let k = figure(&w, "jobseeker-satisfaction", &south).await;
    assert_eq!((k["n"].clone(), k["mean"].clone()), (json!(1), json!(5.0)));
}
