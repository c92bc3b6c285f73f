//! The quality report in headless Chromium (issue 18): a manager picks a UK financial quarter,
//! looks at the figures the report would hold, takes a drafted key message and writes another,
//! records the overall grade with a reason and publishes; the published report opens as its
//! printable page with the messages, the grade and the figures the API gives for that period.
//! A specialist cannot reach it.

use std::time::Duration;

use serde_json::json;
use soundings_tests::browser::Browser;
use soundings_tests::wait;

use crate::pwa_dashboard::{answer_with, api, choose};
use crate::pwa_staff::{
    assert_accessible, click, fill, heading, log_in, setup, shots, specialist_refused,
};

/// A comment whose author agreed that it may be quoted.
const QUOTABLE: &str = "My coach helped me write my first CV.";

/// FY 2025-26 Q1: April to June 2025.
const FIRST: &str = "2025-04-01";
const LAST: &str = "2025-06-30";

/// The text of the page, whatever window is current.
async fn page_text(b: &Browser) -> String {
    b.eval("return document.body ? document.body.innerText : ''")
        .await
        .unwrap_or_default()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_manager_publishes_a_quarters_report_with_two_key_messages_and_a_grade() {
    let s = setup().await;
    s.app
        .create_staff_direct(s.org, "manager@v.example.org", domain::Role::Manager)
        .await;
    let manager = s.app.login("manager@v.example.org").await.access_token;
    // KPI D: the quarter before (January to March) rated 2 and 3; this quarter 5, 4 and 5, so
    // the mean rose by more than its interval and the server drafts a message about it.
    // Two of this quarter's answers carry a comment; one author agreed to be quoted.
    let mut ids = Vec::new();
    for (rating, at, extra) in [
        (2, "2025-02-11T10:00:00Z", json!({})),
        (3, "2025-03-11T10:00:00Z", json!({})),
        (
            5,
            "2025-04-08T10:00:00Z",
            json!({"comment": QUOTABLE, "may_quote": true}),
        ),
        (
            4,
            "2025-05-13T10:00:00Z",
            json!({"comment": "Please call before visiting.", "may_quote": false}),
        ),
        (5, "2025-06-10T10:00:00Z", json!({})),
    ] {
        let id = answer_with(
            &s,
            &manager,
            "jobseeker",
            "jobseeker_satisfaction",
            rating,
            at,
            extra,
        )
        .await;
        ids.push(id);
    }
    let kpi_d = api(
        &s,
        &manager,
        &format!("/api/kpi/jobseeker-satisfaction?first={FIRST}&last={LAST}"),
    )
    .await;
    assert_eq!(kpi_d["n"], json!(3));

    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "manager@v.example.org").await;
    heading(&b, "Dashboard").await;
    click(&b, "a[href='/staff/reports']").await;
    heading(&b, "Quality reports").await;
    b.wait_for_text(
        ".report-list, #reports-list-title + p",
        "No report has been published yet",
    )
    .await
    .unwrap();

    // FY 2025-26 Q1, then its figures and the drafted messages.
    choose(&b, "#period", "fy-quarter").await;
    choose(&b, "#period-fy", "2025").await;
    choose(&b, "#period-quarter", "1").await;
    click(&b, "#show-figures").await;
    b.wait_for_text("#report-preview caption", "01/04/2025 to 30/06/2025")
        .await
        .unwrap();
    let mean = format!("{:.2}", kpi_d["mean"].as_f64().unwrap());
    b.wait_for_text("#report-preview", &mean).await.unwrap();
    // Only the comment whose author agreed is offered for quotation; the manager ticks it.
    b.wait_for_text("#quote-comments", QUOTABLE).await.unwrap();
    let offered = page_text(&b).await;
    assert!(
        !offered.contains("Please call before visiting."),
        "{offered}"
    );
    assert_accessible(&b, "quality report form with the figures").await;
    click(&b, &format!("label[for=quote-comment-{}]", ids[2])).await;
    shots(&b, "staff-report-form").await;

    // The first drafted message goes into the first box; a second is written by hand.
    let drafted = b
        .eval("return document.querySelector('.proposed-messages li p')?.textContent ?? null")
        .await
        .unwrap();
    let drafted = drafted
        .as_str()
        .expect("a drafted message about KPI D's rise")
        .to_owned();
    click(&b, ".proposed-messages .use-message").await;
    let first_box = b
        .eval("return document.getElementById('message-1').value")
        .await
        .unwrap();
    assert_eq!(first_box, json!(drafted));
    click(&b, "#add-message").await;
    fill(
        &b,
        "#message-2",
        "Two new employers joined the job club in May.",
    )
    .await;

    // A grade without a reason is refused beside the reason, and nothing is published.
    click(&b, "label[for=grade-green]").await;
    click(&b, "#publish").await;
    b.wait_for_text(".error-summary", "say why").await.unwrap();
    let focused = b
        .eval("return document.activeElement?.classList.contains('error-summary')")
        .await
        .unwrap();
    assert_eq!(focused, json!(true), "the error summary takes the focus");
    assert_eq!(api(&s, &manager, "/api/reports").await, json!([]));
    assert_accessible(&b, "quality report form with an error").await;

    fill(
        &b,
        "#grade-reason",
        "Satisfaction is up and every figure meets its benchmark.",
    )
    .await;
    click(&b, "#publish").await;
    b.wait_for_text("#report-published", "Published:")
        .await
        .unwrap();

    // Stored as asked, with the figures of the live API for the same days.
    let reports = api(&s, &manager, "/api/reports").await;
    assert_eq!(reports.as_array().map(Vec::len), Some(1));
    let report = &reports[0];
    let snapshot = &report["snapshot"];
    assert_eq!(snapshot["period"], json!({"first": FIRST, "last": LAST}));
    assert_eq!(
        snapshot["key_messages"],
        json!([drafted, "Two new employers joined the job club in May."])
    );
    assert_eq!(snapshot["grade"]["grade"], "green");
    assert_eq!(snapshot["kpi_d"]["mean"], kpi_d["mean"]);
    assert_eq!(snapshot["kpi_d"]["n"], kpi_d["n"]);
    assert_eq!(
        snapshot["quotes"],
        json!([{"response_id": ids[2], "instrument": "jobseeker_satisfaction", "text": QUOTABLE}])
    );

    // Listed, with its grade; its printable page opens with the messages, grade and figures.
    b.wait_for_text(".report-item h3", report["title"].as_str().unwrap())
        .await
        .unwrap();
    b.wait_for_text(".report-item .report-grade", "Green")
        .await
        .unwrap();
    let before = b.client.windows().await.unwrap();
    click(&b, ".report-item .report-open").await;
    let opened = wait::until("the report to open", Duration::from_secs(10), || async {
        let now = b.client.windows().await.unwrap();
        now.into_iter().find(|w| !before.contains(w)).ok_or(())
    })
    .await;
    b.client.switch_to_window(opened).await.unwrap();
    let text = wait::until("the printable page", Duration::from_secs(10), || async {
        let text = page_text(&b).await;
        if text.contains("Two new employers") {
            Ok(text)
        } else {
            Err(text)
        }
    })
    .await;
    assert!(text.contains(&drafted), "{text}");
    assert!(text.contains("Green"), "{text}");
    assert!(
        text.contains("Satisfaction is up and every figure meets its benchmark."),
        "{text}"
    );
    assert!(
        text.contains(&mean),
        "KPI D's mean {mean} on the page: {text}"
    );
    assert!(text.contains(QUOTABLE), "the quoted comment: {text}");
    assert!(!text.contains("Please call before visiting."), "{text}");
    assert_accessible(&b, "printable report page").await;
    b.close().await.unwrap();
}

#[tokio::test]
async fn a_specialist_cannot_open_the_quality_reports() {
    let s = setup().await;
    let b = specialist_refused(&s, "/staff/reports").await;
    let text = page_text(&b).await;
    assert!(!text.contains("Publish a report"), "{text}");
    let sam = s.app.login("sam@v.example.org").await.access_token;
    assert_eq!(s.app.get("/api/reports", Some(&sam)).await.status(), 403);
    b.close().await.unwrap();
}
