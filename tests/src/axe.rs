//! Accessibility audits in the real browser: axe-core (fetched by scripts/ensure-axe) injected
//! into the page under test and run against WCAG 2.0/2.1/2.2 A and AA plus axe's best practices.
//!
//! The script goes in through WebDriver's execute, which runs it through the DevTools protocol:
//! the page's Content-Security-Policy (no inline scripts) does not apply to it, and nothing is
//! added to the app or its server for the sake of the audit.

use anyhow::{Context as _, anyhow};
use fantoccini::Client;
use serde_json::{Value, json};
use std::path::PathBuf;

/// The axe-core release scripts/ensure-axe installs; change both together.
pub const AXE_VERSION: &str = "4.14.1";

/// The rule sets every page is held to.
pub const AXE_TAGS: [&str; 6] = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

/// `SOUNDINGS_AXE`, else where scripts/ensure-axe puts it.
pub fn axe_path() -> PathBuf {
    if let Some(path) = std::env::var_os("SOUNDINGS_AXE") {
        return PathBuf::from(path);
    }
    let cache = std::env::var_os("SOUNDINGS_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/soundings")
        });
    cache
        .join("axe")
        .join(format!("axe-core-{AXE_VERSION}.min.js"))
}

/// Runs axe on the current page and returns its violations, each as
/// `{"id", "impact", "help", "helpUrl", "nodes": [{"target", "html", "failureSummary"}]}`.
pub async fn axe_violations(client: &Client) -> anyhow::Result<Vec<Value>> {
    let path = axe_path();
    let source = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "reading axe-core from {}: run scripts/ensure-axe (or set SOUNDINGS_AXE to an axe.min.js)",
            path.display()
        )
    })?;
    // axe.min.js is a UMD bundle: run as a function body it still sets window.axe.
    client
        .execute(&format!("{source}\n;return typeof window.axe;"), vec![])
        .await
        .context("injecting axe-core into the page")?
        .as_str()
        .filter(|t| *t == "object")
        .ok_or_else(|| anyhow!("axe-core did not define window.axe in the page"))?;
    let run = r#"
        const [tags, done] = arguments;
        axe.run(document, { runOnly: tags }).then(
            (results) => done({ violations: results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target,
                    html: n.html,
                    failureSummary: n.failureSummary,
                })),
            })) }),
            (error) => done({ error: String(error) }),
        );
    "#;
    let answer = client
        .execute_async(run, vec![json!(AXE_TAGS)])
        .await
        .context("running axe in the page")?;
    if let Some(error) = answer.get("error") {
        return Err(anyhow!("axe.run failed: {error}"));
    }
    answer["violations"]
        .as_array()
        .cloned()
        .ok_or_else(|| anyhow!("unexpected answer from axe: {answer}"))
}

/// One line per violation and an indented line per element, for assertion messages.
pub fn describe_violations(violations: &[Value]) -> String {
    let mut out = String::new();
    for v in violations {
        let text = |key: &str| v[key].as_str().unwrap_or("?").to_owned();
        out.push_str(&format!(
            "{} ({}): {} <{}>\n",
            text("id"),
            text("impact"),
            text("help"),
            text("helpUrl")
        ));
        for node in v["nodes"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "    {} {}\n",
                node["target"],
                node["failureSummary"]
                    .as_str()
                    .unwrap_or_default()
                    .replace('\n', " ")
            ));
        }
    }
    out
}

/// Fails the test unless the page passes axe-core (WCAG 2.2 A/AA and best practice) and every
/// control has a name a screen reader can announce. `page` names the page in the failure.
pub async fn assert_accessible(b: &crate::browser::Browser, page: &str) {
    let violations = axe_violations(&b.client).await.unwrap();
    assert!(
        violations.is_empty(),
        "{page}: axe found {}",
        describe_violations(&violations)
    );
    let unnamed = b.unnamed_controls().await.unwrap();
    assert!(
        unnamed.is_empty(),
        "{page}: controls without a name: {unnamed:?}"
    );
}
