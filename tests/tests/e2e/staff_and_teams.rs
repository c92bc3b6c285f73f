//! Admins manage teams and staff; managers can look; specialists cannot.

use domain::{
    Role,
    org::{Staff, Team},
};
use serde_json::json;
use soundings_tests::{PASSWORD, TestApp, error_body};

#[tokio::test]
async fn an_admin_creates_a_team_and_a_specialist_who_can_then_log_in() {
    let app = TestApp::spawn().await;
    app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;

    let res = app
        .post("/api/teams", Some(&admin), &json!({"name": " North "}))
        .await;
    assert_eq!(res.status(), 201);
    let team: Team = res.json().await.unwrap();
    assert_eq!(team.name, "North");

    let res = app
        .post(
            "/api/staff",
            Some(&admin),
            &json!({"name":"Sam Smith","email":"Sam@A.example.org","role":"specialist","team_id":team.id,"password":"sam's long password"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let sam: Staff = res.json().await.unwrap();
    assert_eq!(sam.email.as_str(), "sam@a.example.org");
    assert_eq!(sam.team_id, Some(team.id));
    assert_eq!(sam.role, Role::Specialist);

    let res = app
        .login_response("sam@a.example.org", "sam's long password")
        .await;
    assert_eq!(res.status(), 200);
    let body = res.text().await.unwrap();
    assert!(!body.contains("password_hash"));
}

#[tokio::test]
async fn an_admin_renames_a_team_and_moves_and_promotes_staff() {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    let sam = app
        .create_staff_direct(org, "sam@a.example.org", Role::Specialist)
        .await;
    let admin = app.login("admin@a.example.org").await.access_token;
    let team: Team = app
        .post("/api/teams", Some(&admin), &json!({"name": "North"}))
        .await
        .json()
        .await
        .unwrap();

    let res = app
        .patch(
            &format!("/api/teams/{}", team.id),
            Some(&admin),
            &json!({"name": "North East"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Team>().await.unwrap().name, "North East");

    let res = app
        .patch(
            &format!("/api/staff/{sam}"),
            Some(&admin),
            &json!({"team_id": team.id, "role": "manager"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let updated: Staff = res.json().await.unwrap();
    assert_eq!(updated.team_id, Some(team.id));
    assert_eq!(updated.role, Role::Manager);

    let res = app
        .patch(
            &format!("/api/staff/{sam}"),
            Some(&admin),
            &json!({"team_id": null}),
        )
        .await;
    assert_eq!(res.json::<Staff>().await.unwrap().team_id, None);
}

#[tokio::test]
async fn a_password_reset_by_an_admin_ends_the_old_sessions() {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    let sam = app
        .create_staff_direct(org, "sam@a.example.org", Role::Specialist)
        .await;
    let old = app.login("sam@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    let res = app
        .patch(
            &format!("/api/staff/{sam}"),
            Some(&admin),
            &json!({"password": "a brand new password"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post(
            "/api/auth/refresh",
            None,
            &json!({"refresh_token": old.refresh_token}),
        )
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(
        app.login_response("sam@a.example.org", PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.login_response("sam@a.example.org", "a brand new password")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn an_admin_cannot_lock_themselves_out() {
    let app = TestApp::spawn().await;
    app.create_org("Org A", "admin@a.example.org").await;
    let tokens = app.login("admin@a.example.org").await;
    let me = tokens.staff.id;
    let res = app
        .patch(
            &format!("/api/staff/{me}"),
            Some(&tokens.access_token),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "active");
    let res = app
        .patch(
            &format!("/api/staff/{me}"),
            Some(&tokens.access_token),
            &json!({"role": "specialist"}),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "role");
}

#[tokio::test]
async fn roles_decide_who_may_look_and_who_may_change() {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    app.create_staff_direct(org, "manager@a.example.org", Role::Manager)
        .await;
    app.create_staff_direct(org, "sam@a.example.org", Role::Specialist)
        .await;
    let manager = app.login("manager@a.example.org").await.access_token;
    let sam = app.login("sam@a.example.org").await.access_token;
    let new_team = json!({"name": "South"});

    // Everyone on staff can list teams (dashboards filter by them).
    assert_eq!(app.get("/api/teams", Some(&sam)).await.status(), 200);
    // Managers may read the staff list; specialists may not.
    assert_eq!(app.get("/api/staff", Some(&manager)).await.status(), 200);
    let res = app.get("/api/staff", Some(&sam)).await;
    assert_eq!(res.status(), 403);
    error_body(res).await;
    // Only admins change things.
    for token in [&manager, &sam] {
        let res = app.post("/api/teams", Some(token), &new_team).await;
        assert_eq!(res.status(), 403);
    }
    assert_eq!(app.count_rows("team").await, 0);
    // Anonymous callers get nothing.
    assert_eq!(app.get("/api/teams", None).await.status(), 401);
}

/// Every change to an account or a team is in the audit trail, saying who, what and what
/// changed, never a name, email or password; a refused change writes nothing.
#[tokio::test]
async fn account_and_team_changes_are_in_the_audit_trail_without_names_or_passwords() {
    let app = TestApp::spawn().await;
    app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    let me: serde_json::Value = app
        .get("/api/auth/me", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let team: Team = app
        .post("/api/teams", Some(&admin), &json!({"name": "North"}))
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .patch(
            &format!("/api/teams/{}", team.id),
            Some(&admin),
            &json!({"name": "North East"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let sam: Staff = app
        .post(
            "/api/staff",
            Some(&admin),
            &json!({"name":"Sam Smith","email":"sam@a.example.org","role":"specialist","team_id":team.id,"password":"sam's long password"}),
        )
        .await
        .json()
        .await
        .unwrap();
    for change in [
        json!({"role": "manager"}),
        json!({"active": false}),
        json!({"password": "a brand new long password"}),
    ] {
        let res = app
            .patch(&format!("/api/staff/{}", sam.id), Some(&admin), &change)
            .await;
        assert_eq!(res.status(), 200, "{change}");
    }
    // Refused: nothing written for it.
    let res = app
        .patch(
            &format!("/api/staff/{}", sam.id),
            Some(&admin),
            &json!({"role": "boss"}),
        )
        .await;
    assert_eq!(res.status(), 400);

    let trail: Vec<serde_json::Value> = app
        .get("/api/audit", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let of = |entity: &str| -> Vec<(String, String)> {
        let mut rows: Vec<(String, String)> = trail
            .iter()
            .filter(|e| e["entity"] == entity)
            .map(|e| {
                assert_eq!(e["actor_id"], me["id"], "{e}");
                (
                    e["action"].as_str().unwrap().to_owned(),
                    e["detail"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        rows.reverse(); // oldest first
        rows
    };
    assert_eq!(
        of("team"),
        [
            ("create".to_owned(), String::new()),
            ("update".to_owned(), "renamed".to_owned())
        ]
    );
    assert_eq!(
        of("staff"),
        [
            ("create".to_owned(), "role=specialist".to_owned()),
            ("update".to_owned(), "role=manager".to_owned()),
            ("update".to_owned(), "active=false".to_owned()),
            ("update".to_owned(), "password reset".to_owned()),
        ]
    );
    let text = serde_json::to_string(&trail).unwrap();
    for private in ["Sam Smith", "sam@a.example.org", "long password", "North"] {
        assert!(!text.contains(private), "{private} in the audit trail");
    }
}
