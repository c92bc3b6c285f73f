//! The OpenAPI document at /api/openapi.json is complete: every documented operation is
//! served, and every route handler in the backend is documented.

use serde_json::Value;
use soundings_tests::TestApp;
use std::collections::BTreeSet;

async fn documented_operations(app: &TestApp) -> BTreeSet<(String, String)> {
    let res = app.get("/api/openapi.json", None).await;
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

/// The handlers the backend source registers: every actix route macro in `routes/`, with its
/// scope prefix. A route added without `#[utoipa::path]` fails the test below.
fn handler_macros() -> BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../backend/src/routes");
    let mut found = BTreeSet::new();
    let mut utoipa_paths = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        assert!(
            !src.contains(".route(\"") || path.ends_with("mod.rs"),
            "{} registers a route by hand; use #[utoipa::path] + service()",
            path.display()
        );
        let prefix = if path.ends_with("health.rs") {
            "/health"
        } else {
            "/api"
        };
        utoipa_paths += src.matches("#[utoipa::path(").count();
        for line in src.lines() {
            let line = line.trim();
            for method in ["get", "post", "put", "patch", "delete"] {
                let open = format!("#[{method}(\"");
                if let Some(rest) = line.strip_prefix(&open) {
                    let route = rest.split('"').next().unwrap();
                    found.insert((method.to_uppercase(), format!("{prefix}{route}")));
                }
            }
        }
    }
    assert_eq!(
        utoipa_paths,
        found.len(),
        "every handler macro needs a #[utoipa::path] and vice versa"
    );
    found
}

#[tokio::test]
async fn every_route_handler_is_documented_and_every_documented_route_is_served() {
    let app = TestApp::spawn().await;
    let documented = documented_operations(&app).await;
    let handlers = handler_macros();
    assert_eq!(
        documented, handlers,
        "OpenAPI and the routing table disagree"
    );

    for (method, path) in &documented {
        let concrete = path.replace("{id}", &uuid::Uuid::new_v4().to_string());
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let res = app.send::<()>(method.clone(), &concrete, None, None).await;
        let status = res.status();
        let body = res.text().await.unwrap();
        // Served routes answer with their own refusal (401, 415, ...) or success, never the
        // router's "no such route".
        assert!(
            !(status == 404 && body.contains("no such route")) && status != 405,
            "{method} {path} is documented but not served: {status} {body}"
        );
        assert!(!status.is_server_error(), "{method} {path}: {status}");
    }
}

#[tokio::test]
async fn the_document_describes_the_error_body_and_bearer_auth() {
    let app = TestApp::spawn().await;
    let doc: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}
