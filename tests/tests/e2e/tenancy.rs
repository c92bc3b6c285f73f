//! Organisations are tenants: nobody sees or touches another organisation's data.

use domain::Role;
use serde_json::json;
use soundings_tests::{TestApp, error_body};

#[tokio::test]
async fn a_manager_of_one_organisation_gets_404_for_every_resource_of_another() {
    let app = TestApp::spawn().await;
    let org_a = app.create_org("Org A", "admin@a.example.org").await;
    let org_b = app.create_org("Org B", "admin@b.example.org").await;
    app.create_staff_direct(org_a, "manager@a.example.org", Role::Manager)
        .await;
    let b_staff = app
        .create_staff_direct(org_b, "sam@b.example.org", Role::Specialist)
        .await;
    let admin_b = app.login("admin@b.example.org").await.access_token;
    let team_b: domain::org::Team = app
        .post("/api/teams", Some(&admin_b), &json!({"name": "B team"}))
        .await
        .json()
        .await
        .unwrap();

    let manager_a = app.login("manager@a.example.org").await.access_token;
    for path in [
        format!("/api/teams/{}", team_b.id),
        format!("/api/staff/{b_staff}"),
    ] {
        let res = app.get(&path, Some(&manager_a)).await;
        assert_eq!(res.status(), 404, "{path}");
        error_body(res).await;
    }
    // Lists hold only the caller's organisation.
    let teams: Vec<domain::org::Team> = app
        .get("/api/teams", Some(&manager_a))
        .await
        .json()
        .await
        .unwrap();
    assert!(teams.is_empty());
    let staff: Vec<domain::org::Staff> = app
        .get("/api/staff", Some(&manager_a))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(staff.len(), 2);
    assert!(
        staff
            .iter()
            .all(|s| s.email.as_str().ends_with("@a.example.org"))
    );
}

#[tokio::test]
async fn an_admin_cannot_change_another_organisations_records() {
    let app = TestApp::spawn().await;
    app.create_org("Org A", "admin@a.example.org").await;
    let org_b = app.create_org("Org B", "admin@b.example.org").await;
    let b_staff = app
        .create_staff_direct(org_b, "sam@b.example.org", Role::Specialist)
        .await;
    let admin_b = app.login("admin@b.example.org").await.access_token;
    let team_b: domain::org::Team = app
        .post("/api/teams", Some(&admin_b), &json!({"name": "B team"}))
        .await
        .json()
        .await
        .unwrap();
    let admin_a = app.login("admin@a.example.org").await.access_token;

    let res = app
        .patch(
            &format!("/api/teams/{}", team_b.id),
            Some(&admin_a),
            &json!({"name": "Mine now"}),
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = app
        .patch(
            &format!("/api/staff/{b_staff}"),
            Some(&admin_a),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(res.status(), 404);
    // Nor can A put its new staff into B's team.
    let res = app
        .post(
            "/api/staff",
            Some(&admin_a),
            &json!({"name":"Spy","email":"spy@a.example.org","role":"specialist","team_id":team_b.id,"password":"long enough password"}),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "team_id");

    // B's records are untouched.
    let team: domain::org::Team = app
        .get(&format!("/api/teams/{}", team_b.id), Some(&admin_b))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(team.name, "B team");
    assert!(
        app.login_response("sam@b.example.org", soundings_tests::PASSWORD)
            .await
            .status()
            .is_success()
    );
}
