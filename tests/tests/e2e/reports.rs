//! The quality report (issue 18): published with key messages and a grade, its figures the live
//! API's for the same period, read back from its XLSX with calamine (a reader other than the
//! writer), its printable page (axe-core in headless Chromium), its preview and its refusals.

use super::outcomes::{World, dataset, world};
use calamine::{Data, DataType, Reader, Xlsx};
use serde_json::{Value, json};
use soundings_tests::{axe::assert_accessible, browser::Browser, error_body};
use std::io::Cursor;

/// The third quarter of 2025, read as of 31 March 2026 (so nothing depends on today).
const FIRST: &str = "2025-07-01";
const LAST: &str = "2025-09-30";
const AS_OF: &str = "2026-03-31";

fn period_query() -> String {
    format!("first={FIRST}&last={LAST}&as_of={AS_OF}")
}

/// A participant of Sam's caseload, by reference.
async fn person(w: &World, reference: &str, kind: &str) -> uuid::Uuid {
    soundings_tests::id_of(
        &w.app
            .create(
                "/api/participants",
                &w.sam,
                &soundings_tests::body::participant(kind, reference),
            )
            .await,
    )
}

/// A published report's file (`print`, `csv`), as the manager downloads it.
async fn report_text(w: &World, id: &str, file: &str) -> String {
    w.app
        .get(&format!("/api/reports/{id}/{file}"), Some(&w.manager))
        .await
        .text()
        .await
        .unwrap()
}

/// A published report's XLSX, opened with calamine.
async fn workbook(w: &World, id: &str) -> Xlsx<Cursor<Vec<u8>>> {
    let bytes = w
        .app
        .get(&format!("/api/reports/{id}/xlsx"), Some(&w.manager))
        .await
        .bytes()
        .await
        .unwrap();
    calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap()
}

async fn publish_quarter(w: &World) -> Value {
    w.app
        .create(
            "/api/reports",
            &w.manager,
            &json!({
                "period": {"first": FIRST, "last": LAST},
                "title": "Quarter 3, 2025",
                "as_of": AS_OF,
                "key_messages": [
                    "Two people started their vocational profiles this quarter.",
                    "Access stayed <strong>steady</strong> & above =SUM(A1) its benchmark.",
                ],
                "grade": "amber",
                "grade_reason": "Fewer referrals started than we planned.",
            }),
        )
        .await
}

#[tokio::test]
async fn a_published_quarter_holds_its_key_messages_grade_and_the_live_apis_figures() {
    let w = world().await;
    dataset(&w).await;

    let report = publish_quarter(&w).await;
    let s = &report["snapshot"];
    let q = period_query();

    assert_eq!(s["shape"], 2);
    assert_eq!(s["as_of"], AS_OF);
    assert_eq!(
        s["key_messages"],
        json!([
            "Two people started their vocational profiles this quarter.",
            "Access stayed <strong>steady</strong> & above =SUM(A1) its benchmark."
        ])
    );
    assert_eq!(
        s["grade"],
        json!({"grade": "amber", "reason": "Fewer referrals started than we planned."})
    );
    // Every figure is the live API's for the same period and as-of date.
    let outcomes = w.get_ok(&w.manager, &format!("/api/outcomes?{q}")).await;
    assert_eq!(s["outcomes"], outcomes);
    // KPI A's cohort this quarter: HAL's and GUS's profiles (14 July, 15 September).
    assert_eq!(s["outcomes"]["kpi_a"]["rate"]["n"], 2);
    let ids = format!("first={FIRST}&last={LAST}&ids=true");
    assert_eq!(
        s["kpi_c"],
        w.get_ok(&w.manager, &format!("/api/kpi/employer-satisfaction?{ids}"))
            .await
    );
    assert_eq!(
        s["kpi_d"],
        w.get_ok(
            &w.manager,
            &format!("/api/kpi/jobseeker-satisfaction?{ids}")
        )
        .await
    );
    assert_eq!(
        s["wellbeing"],
        w.get_ok(&w.manager, &format!("/api/kpi/wellbeing?{ids}"))
            .await
    );
    assert_eq!(
        s["coverage"],
        w.get_ok(
            &w.manager,
            &format!("/api/kpi/coverage?first={FIRST}&last={LAST}")
        )
        .await
    );
    assert_eq!(
        s["caseload"],
        w.get_ok(&w.manager, &format!("/api/outcomes/caseload?on={AS_OF}"))
            .await
    );
    let dims = s["equality"].as_array().unwrap();
    assert_eq!(dims.len(), 7);
    for e in dims {
        let by = e["by"].as_str().unwrap();
        // Suppressed as a report must be: never the working view.
        assert_eq!(e["suppression_applied"], true);
        assert_eq!(
            *e,
            w.get_ok(&w.manager, &format!("/api/outcomes/equality?{q}&by={by}"))
                .await,
            "{by}"
        );
    }
    // Frozen: reading it back gives the same.
    let id = report["id"].as_str().unwrap();
    assert_eq!(
        w.get_ok(&w.manager, &format!("/api/reports/{id}")).await,
        report
    );
}

fn cell(range: &calamine::Range<Data>, row: usize, col: usize) -> &Data {
    range.get((row, col)).unwrap_or(&Data::Empty)
}

fn header(range: &calamine::Range<Data>) -> Vec<String> {
    range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

/// The row whose first cell is `name`.
fn row<'a>(range: &'a calamine::Range<Data>, name: &str) -> &'a [Data] {
    range
        .rows()
        .find(|r| r[0] == name)
        .unwrap_or_else(|| panic!("no row {name:?}"))
}

/// A figure cell: a number equal to the API's, or empty where the API has none.
fn assert_figure(c: &Data, api: &Value, what: &str) {
    match api.as_f64() {
        Some(v) => {
            assert!(
                matches!(c, Data::Float(_) | Data::Int(_)),
                "{what}: {c:?} is not a number"
            );
            assert_eq!(
                c.get_float().or(c.get_int().map(|i| i as f64)),
                Some(v),
                "{what}"
            );
        }
        None => assert_eq!(*c, Data::Empty, "{what}: the API has {api}"),
    }
}

#[tokio::test]
async fn the_xlsx_reads_back_with_another_reader_numbers_as_numbers_dates_as_dates() {
    let w = world().await;
    dataset(&w).await;
    let report = publish_quarter(&w).await;
    let id = report["id"].as_str().unwrap();
    let s = &report["snapshot"];

    let res = w
        .app
        .get(&format!("/api/reports/{id}/xlsx"), Some(&w.manager))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"report-2025-07-01-to-2025-09-30.xlsx\""
    );
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Key messages",
            "KPIs",
            "Wellbeing",
            "Coverage",
            "Satisfaction",
            "Outcomes",
            "Equality",
            "Actions",
            "Comments",
            "Methods"
        ]
    );
    let sheet = |book: &mut Xlsx<_>, name: &str| book.worksheet_range(name).unwrap();

    // Key messages: the words as written (text, never a formula), dates as real dates.
    let km = sheet(&mut book, "Key messages");
    assert_eq!(header(&km), ["Item", "Value"]);
    let first = row(&km, "First day");
    assert!(matches!(first[1], Data::DateTime(_)), "{:?}", first[1]);
    assert_eq!(first[1].as_date(), Some(FIRST.parse().unwrap()));
    assert_eq!(
        row(&km, "Last day")[1].as_date(),
        Some(LAST.parse().unwrap())
    );
    assert_eq!(row(&km, "Overall grade")[1].to_string(), "Amber");
    assert_eq!(
        row(&km, "Key message 2")[1],
        Data::String(
            "Access stayed <strong>steady</strong> & above =SUM(A1) its benchmark.".into()
        )
    );

    // KPIs: every figure equals the API's.
    let kpis = sheet(&mut book, "KPIs");
    assert_eq!(
        header(&kpis),
        [
            "Figure",
            "Value",
            "Unit",
            "n",
            "95% low",
            "95% high",
            "Score (0-5)",
            "Benchmark",
            "Benchmark RAG",
            "Target",
            "Target RAG",
            "Small sample"
        ]
    );
    let o = &s["outcomes"];
    for (name, value, n, interval) in [
        (
            "KPI A: vocational profiles into paid work",
            &o["kpi_a"]["rate"]["percent"],
            &o["kpi_a"]["rate"]["n"],
            &o["kpi_a"]["rate"]["interval"],
        ),
        (
            "KPI B: weeks from service start to first paid job",
            &o["kpi_b"]["weeks"]["mean"],
            &o["kpi_b"]["weeks"]["n"],
            &o["kpi_b"]["weeks"]["interval"],
        ),
        (
            "KPI C: employer satisfaction",
            &s["kpi_c"]["mean"],
            &s["kpi_c"]["n"],
            &s["kpi_c"]["mean_interval"],
        ),
        (
            "KPI D: jobseeker satisfaction",
            &s["kpi_d"]["mean"],
            &s["kpi_d"]["n"],
            &s["kpi_d"]["mean_interval"],
        ),
        (
            "KPI E: still in paid work after the weeks set",
            &o["kpi_e"]["rate"]["percent"],
            &o["kpi_e"]["rate"]["n"],
            &o["kpi_e"]["rate"]["interval"],
        ),
        (
            "Referrals that start (access)",
            &o["access"]["percent"],
            &o["access"]["n"],
            &o["access"]["interval"],
        ),
        (
            "Starters into paid work",
            &o["into_paid_work"]["percent"],
            &o["into_paid_work"]["n"],
            &o["into_paid_work"]["interval"],
        ),
        (
            "Wellbeing: mean SWEMWBS change",
            &s["wellbeing"]["mean_change"],
            &s["wellbeing"]["paired_n"],
            &s["wellbeing"]["mean_change_interval"],
        ),
    ] {
        let r = row(&kpis, name);
        assert_figure(&r[1], value, name);
        assert_figure(&r[3], n, name);
        assert_figure(&r[4], &interval["low"], name);
        assert_figure(&r[5], &interval["high"], name);
    }
    let a = row(&kpis, "KPI A: vocational profiles into paid work");
    assert_figure(&a[6], &o["kpi_a"]["scored"]["score"], "KPI A score");
    assert_eq!(a[7].to_string(), "at least 40.00%");
    let rag = o["kpi_a"]["judged"]["benchmark_rag"].as_str().unwrap();
    assert_eq!(a[8].to_string().to_lowercase(), rag);

    // Coverage and wellbeing: counts are numbers.
    let coverage = sheet(&mut book, "Coverage");
    assert_eq!(
        header(&coverage),
        [
            "Survey", "Due", "Answered", "Percent", "95% low", "95% high"
        ]
    );
    let js = row(&coverage, "Jobseeker survey");
    assert_figure(
        &js[1],
        &s["coverage"]["jobseeker_satisfaction"]["due"],
        "due",
    );
    assert_figure(
        &js[2],
        &s["coverage"]["jobseeker_satisfaction"]["answered"],
        "answered",
    );
    let wellbeing = sheet(&mut book, "Wellbeing");
    assert_eq!(
        header(&wellbeing),
        ["Figure", "Value", "Unit", "n", "95% low", "95% high"]
    );

    // Outcomes: each count the API's.
    let outcomes = sheet(&mut book, "Outcomes");
    assert_eq!(
        header(&outcomes),
        [
            "Figure",
            "Key",
            "Value",
            "Unit",
            "n",
            "95% low",
            "95% high",
            "Benchmark",
            "RAG"
        ]
    );
    for c in o["outcome_mix"].as_array().unwrap() {
        let key = c["key"].as_str().unwrap();
        let r = outcomes
            .rows()
            .find(|r| r[0] == "Jobs started by outcome type" && r[1] == key)
            .unwrap_or_else(|| panic!("no outcome type {key}"));
        assert_figure(&r[2], &c["n"], key);
    }

    // Equality: each group as the API gives it, suppressed ones with no figure.
    let equality = sheet(&mut book, "Equality");
    assert_eq!(
        header(&equality),
        ["Dimension", "Figure", "Group", "n", "Value", "Suppressed"]
    );
    let mut groups = 0;
    for e in s["equality"].as_array().unwrap() {
        for split in e["splits"].as_array().unwrap() {
            for g in split["groups"].as_array().unwrap() {
                let r = equality
                    .rows()
                    .find(|r| {
                        r[0] == e["by"].as_str().unwrap()
                            && r[1] == split["figure"].as_str().unwrap()
                            && r[2] == g["group"].as_str().unwrap()
                    })
                    .unwrap();
                assert_figure(&r[3], &g["n"], "group n");
                assert_figure(&r[4], &g["value"], "group value");
                groups += 1;
            }
        }
    }
    assert_eq!(equality.height(), groups + 1);
    assert_eq!(
        header(&sheet(&mut book, "Comments")),
        ["Said by", "Comment"]
    );
    let methods = sheet(&mut book, "Methods");
    assert_eq!(
        row(&methods, "Rule version")[1].to_string(),
        s["rule_version"].as_str().unwrap()
    );
    assert_eq!(
        row(&methods, "Cohorts read as of")[1].as_date(),
        Some(AS_OF.parse().unwrap())
    );
    assert!(matches!(cell(&methods, 0, 0), Data::String(_)));
}

#[tokio::test]
async fn the_printable_page_holds_the_messages_grade_and_figures_and_passes_axe() {
    let w = world().await;
    dataset(&w).await;
    let report = publish_quarter(&w).await;
    let id = report["id"].as_str().unwrap();
    let s = &report["snapshot"];

    let res = w
        .app
        .get(&format!("/api/reports/{id}/print"), Some(&w.manager))
        .await;
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.starts_with("default-src 'none'; style-src 'sha256-"),
        "{csp}"
    );
    let page = res.text().await.unwrap();
    assert!(page.contains("Two people started their vocational profiles this quarter."));
    // The manager's words are shown as words, never as markup.
    assert!(page.contains("Access stayed &lt;strong&gt;steady&lt;/strong&gt; &amp; above"));
    assert!(page.contains("Overall grade: <span class=\"grade\">Amber</span>"));
    assert!(page.contains("Fewer referrals started than we planned."));
    assert!(page.contains("@page{size:A4"));
    assert!(page.contains("break-before:page"));
    let a = &s["outcomes"]["kpi_a"]["rate"]["percent"];
    assert!(
        page.contains(&format!(
            "<th scope=\"row\">KPI A: vocational profiles into paid work</th><td class=\"n\">{:.2}</td>",
            a.as_f64().unwrap()
        )),
        "{page}"
    );
    let rag = s["outcomes"]["kpi_a"]["judged"]["benchmark_rag"]
        .as_str()
        .unwrap();
    assert!(page.contains(&format!(
        "<td>at least 40.00%</td><td>{}{}</td>",
        rag[..1].to_uppercase(),
        &rag[1..]
    )));
    assert!(page.contains("A comment is quoted only when the person who wrote it agreed"));

    // The same page in a real browser: no accessibility violations.
    let browser = Browser::start().await.unwrap();
    browser.goto(&w.app.url("/api/health")).await.unwrap();
    browser
        .client
        .execute(
            "document.open(); document.write(arguments[0]); document.close();",
            vec![json!(page)],
        )
        .await
        .unwrap();
    assert_accessible(&browser, "the printable report").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_preview_stores_nothing_and_proposes_messages_from_what_moved() {
    let w = world().await;
    dataset(&w).await;

    let p = w
        .get_ok(
            &w.manager,
            &format!("/api/reports/preview?{}", period_query()),
        )
        .await;
    assert_eq!(
        p["previous_period"],
        json!({"first": "2025-04-01", "last": "2025-06-30"})
    );
    assert_eq!(
        p["snapshot"]["outcomes"],
        w.get_ok(&w.manager, &format!("/api/outcomes?{}", period_query()))
            .await
    );
    assert_eq!(p["snapshot"]["key_messages"], json!([]));
    // KPI A: the second quarter's profiles (CAT, DAN, FAY) all had a paid job by its as-of
    // date (30 December 2025, as long after its start as 31 March 2026 is after 1 July): 100%;
    // this quarter's (HAL unpaid only, GUS): 50%, whose Wilson interval 9.45% to 90.55% leaves
    // 100% out. Both at least 40%: no crossing, a change larger than the interval. The same
    // for starters into paid work; KPI E rose from none still in work to two of three.
    assert_eq!(
        p["proposed_messages"],
        json!([
            "KPI A (vocational profiles into paid work) fell from 100.00% to 50.00%, more than its 95% interval (9.45% to 90.55%).",
            "KPI E (still in paid work) rose from 0.00% to 66.67%, more than its 95% interval (20.77% to 93.85%).",
            "Starters into paid work fell from 100.00% to 50.00%, more than its 95% interval (9.45% to 90.55%)."
        ])
    );
    let list = w.get_ok(&w.manager, "/api/reports").await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn bad_report_requests_are_refused_naming_the_field_and_nothing_is_stored() {
    let w = world().await;
    let period = json!({"first": FIRST, "last": LAST});
    let cases = [
        (
            json!({"period": period, "key_messages": ["1", "2", "3", "4", "5", "6"]}),
            "key_messages",
        ),
        (
            json!({"period": period, "key_messages": ["fine", "   "]}),
            "key_messages[1]",
        ),
        (
            json!({"period": period, "key_messages": ["x".repeat(501)]}),
            "key_messages[0]",
        ),
        (
            json!({"period": period, "grade": "purple", "grade_reason": "why"}),
            "grade",
        ),
        (json!({"period": period, "grade": "green"}), "grade_reason"),
        (
            json!({"period": period, "grade": "green", "grade_reason": ""}),
            "grade_reason",
        ),
        (json!({"period": period, "as_of": "2025-02-30"}), "as_of"),
        (
            json!({"period": {"first": LAST, "last": FIRST}}),
            "period.last",
        ),
    ];
    for (body, field) in cases {
        let res = w.app.post("/api/reports", Some(&w.manager), &body).await;
        assert_eq!(res.status(), 400, "{body}");
        let e = error_body(res).await;
        assert_eq!(e["field"], field, "{body}: {e}");
    }
    assert_eq!(w.get_ok(&w.manager, "/api/reports").await, json!([]));

    for (query, field) in [
        (format!("first={LAST}&last={FIRST}"), "last"),
        (format!("first={FIRST}&last={LAST}&as_of=tomorrow"), "as_of"),
        (format!("last={LAST}"), "first"),
        ("first=2020-01-01&last=2025-01-01".to_owned(), "last"),
    ] {
        let res = w
            .app
            .get(&format!("/api/reports/preview?{query}"), Some(&w.manager))
            .await;
        assert_eq!(res.status(), 400, "{query}");
        assert_eq!(error_body(res).await["field"], field, "{query}");
    }
}

#[tokio::test]
async fn a_specialist_cannot_download_the_xlsx_and_each_download_is_audited() {
    let w = world().await;
    let report = publish_quarter(&w).await;
    let id = report["id"].as_str().unwrap();
    let res = w
        .app
        .get(&format!("/api/reports/{id}/xlsx"), Some(&w.sam))
        .await;
    assert_eq!(res.status(), 403);
    error_body(res).await;

    for kind in ["xlsx", "csv"] {
        let res = w
            .app
            .get(&format!("/api/reports/{id}/{kind}"), Some(&w.manager))
            .await;
        assert_eq!(res.status(), 200);
    }
    let trail = w.get_ok(&w.admin, "/api/audit").await;
    let downloads = trail
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "export" && e["entity"] == "report" && e["entity_id"] == id)
        .count();
    assert_eq!(downloads, 2);
}

#[tokio::test]
async fn an_action_published_in_the_period_is_in_the_report_and_its_xlsx_with_real_dates() {
    let w = world().await;
    let draft = w
        .app
        .create(
            "/api/actions",
            &w.manager,
            &json!({
                "audience": "jobseekers",
                "you_said": {"en": "It took too long to hear back.", "cy": "Roedd hi'n rhy hir cyn clywed yn ôl."},
                "we_did": {"en": "We now call back within two working days."},
                "easy_read": {"you_said": {"en": "You waited too long."}, "we_did": {"en": "We call you back in 2 days."}},
                "done_on": "2026-10-15"
            }),
        )
        .await;
    let id = draft["id"].as_str().unwrap();
    let res = w
        .app
        .post(
            &format!("/api/actions/{id}/publish"),
            Some(&w.manager),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let published: Value = res.json().await.unwrap();
    let at: chrono::DateTime<chrono::Utc> = published["action"]["published_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // The day it was published where the organisation is (Europe/London by default).
    let on = soundings::time::local_date("Europe/London", at);
    let around = |days: i64| (on + chrono::Duration::days(days)).to_string();

    let report = w
        .app
        .create(
            "/api/reports",
            &w.manager,
            &json!({"period": {"first": around(-3), "last": around(3)}}),
        )
        .await;
    assert_eq!(
        report["snapshot"]["actions"],
        json!([{
            "id": id,
            "audience": "jobseekers",
            "you_said": {"en": "It took too long to hear back.", "cy": "Roedd hi'n rhy hir cyn clywed yn ôl."},
            "we_did": {"en": "We now call back within two working days.", "cy": null},
            "done_on": "2026-10-15",
            "published_on": on.to_string(),
        }])
    );
    // A period that ended the day before lists nothing.
    let before = w
        .app
        .create(
            "/api/reports",
            &w.manager,
            &json!({"period": {"first": around(-10), "last": around(-1)}}),
        )
        .await;
    assert_eq!(before["snapshot"]["actions"], json!([]));

    let rid = report["id"].as_str().unwrap();
    let bytes = w
        .app
        .get(&format!("/api/reports/{rid}/xlsx"), Some(&w.manager))
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let actions = book.worksheet_range("Actions").unwrap();
    assert_eq!(actions.height(), 2);
    let r = &actions.rows().nth(1).unwrap();
    assert!(matches!(r[0], Data::DateTime(_)), "{:?}", r[0]);
    assert_eq!(r[0].as_date(), Some(on));
    assert_eq!(r[2], "It took too long to hear back.");
    assert_eq!(r[4].as_date(), Some("2026-10-15".parse().unwrap()));
    assert_eq!(r[5], "Roedd hi'n rhy hir cyn clywed yn ôl.");
    assert_eq!(r[6], Data::Empty);
}

/// The report holds each survey's sub-items over exactly the responses its KPI counted: a
/// proxy's answer and a skipped item are not in them; the XLSX and the printable page show
/// them.
#[tokio::test]
async fn a_report_holds_the_satisfaction_sub_items_of_the_responses_its_kpis_counted() {
    use soundings_tests::body;
    let w = world().await;
    let (a, b, c, shop) = (
        person(&w, "JS-A", "jobseeker").await,
        person(&w, "JS-B", "jobseeker").await,
        person(&w, "JS-C", "jobseeker").await,
        person(&w, "EMP-SHOP", "employer").await,
    );
    let answer = |p, instrument: &str, answers: Value, respondent: &str| {
        let mut r = body::satisfaction(
            p,
            instrument,
            5,
            "2025-08-01T10:00:00Z",
            body::completion(respondent, "none", "staff_device"),
        );
        r["answers"] = answers;
        r
    };
    for r in [
        answer(a, "jobseeker_satisfaction", json!([5, 4, 2, 3, 5]), "self"),
        answer(
            b,
            "jobseeker_satisfaction",
            json!([3, 2, null, 5, 4]),
            "self",
        ),
        // Someone answered for the person: not in KPI D, so not in its sub-items.
        answer(c, "jobseeker_satisfaction", json!([1, 1, 1, 1, 1]), "proxy"),
        answer(
            shop,
            "employer_satisfaction",
            json!([4, 5, 3, 5, 1]),
            "self",
        ),
    ] {
        w.app.create("/api/responses", &w.sam, &r).await;
    }
    let report = publish_quarter(&w).await;
    let items = report["snapshot"]["satisfaction_items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["instrument"], "employer_satisfaction");
    assert_eq!(items[1]["instrument"], "jobseeker_satisfaction");
    let figures = |i: usize| -> Vec<(u64, Value)> {
        items[i]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|it| (it["n"].as_u64().unwrap(), it["mean"].clone()))
            .collect()
    };
    // Jobseekers: (4, 2), (2), (3, 5), (5, 4).
    assert_eq!(
        figures(1),
        [
            (2, json!(3.0)),
            (1, json!(2.0)),
            (2, json!(4.0)),
            (2, json!(4.5))
        ]
    );
    assert_eq!(
        figures(0),
        [
            (1, json!(5.0)),
            (1, json!(3.0)),
            (1, json!(5.0)),
            (1, json!(1.0))
        ]
    );
    assert_eq!(report["snapshot"]["kpi_d"]["n"], 2);
    let label = items[1]["items"][0]["label"].as_str().unwrap().to_owned();
    assert!(!label.is_empty());

    // The Satisfaction sheet has a row per item, its mean a number.
    let id = report["id"].as_str().unwrap();
    let mut book = workbook(&w, id).await;
    let sheet = book.worksheet_range("Satisfaction").unwrap();
    let wanted = format!("Item: {label}");
    let found = sheet
        .rows()
        .find(|r| r[0] == "Jobseeker (KPI D)" && r[1] == wanted.as_str())
        .unwrap_or_else(|| panic!("no row {wanted:?}"));
    assert_eq!(found[2].as_f64(), Some(2.0));
    assert_eq!(found[3].as_f64(), Some(3.0));
    let page = report_text(&w, id, "print").await;
    assert!(page.contains(&html_escape(&wanted)), "{wanted}");
}

#[tokio::test]
async fn a_report_quotes_only_the_comments_a_manager_chose_whose_authors_agreed() {
    use soundings_tests::{body, id_of};
    let w = world().await;
    let (ana, ben, cai, shop) = (
        person(&w, "JS-ANA", "jobseeker").await,
        person(&w, "JS-BEN", "jobseeker").await,
        person(&w, "JS-CAI", "jobseeker").await,
        person(&w, "EMP-SHOP", "employer").await,
    );
    // Answered on the specialist's phone by the people themselves, each choosing.
    let answer = |p, instrument: &str, at: &str, extra: Value| {
        body::with(
            body::satisfaction(
                p,
                instrument,
                4,
                at,
                body::completion("self", "none", "staff_device"),
            ),
            extra,
        )
    };
    let mut ids = std::collections::HashMap::new();
    for (name, p, instrument, at, extra) in [
        (
            "ana",
            ana,
            "jobseeker_satisfaction",
            "2025-08-01T10:00:00Z",
            json!({"comment": "My coach <listened> & found me a job I like.", "may_quote": true}),
        ),
        (
            "ben",
            ben,
            "jobseeker_satisfaction",
            "2025-08-02T10:00:00Z",
            json!({"comment": "Too many forms.", "may_quote": false}),
        ),
        (
            "shop",
            shop,
            "employer_satisfaction",
            "2025-09-03T10:00:00Z",
            json!({"comment": "Reliable support when we needed it.", "may_quote": true}),
        ),
        (
            "late",
            cai,
            "jobseeker_satisfaction",
            "2025-10-15T10:00:00Z",
            json!({"comment": "Answered after the quarter.", "may_quote": true}),
        ),
    ] {
        let stored = w
            .app
            .create("/api/responses", &w.sam, &answer(p, instrument, at, extra))
            .await;
        ids.insert(name, id_of(&stored));
    }
    // Agreeing to be quoted with nothing to quote is refused, and nothing is stored.
    let responses = w.app.count_rows("response").await;
    let res = w
        .app
        .post(
            "/api/responses",
            Some(&w.sam),
            &answer(
                cai,
                "jobseeker_satisfaction",
                "2025-08-05T10:00:00Z",
                json!({"may_quote": true}),
            ),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "may_quote");
    assert_eq!(w.app.count_rows("response").await, responses);

    // The manager's comment list says whose words may be quoted.
    let comments = w
        .get_ok(
            &w.manager,
            &format!("/api/kpi/comments?first={FIRST}&last={LAST}"),
        )
        .await;
    let may_quote = |id: uuid::Uuid| {
        comments
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["response_id"] == id.to_string())
            .map(|c| c["may_quote"].clone())
    };
    assert_eq!(may_quote(ids["ana"]), Some(json!(true)));
    assert_eq!(may_quote(ids["ben"]), Some(json!(false)));
    assert_eq!(may_quote(ids["shop"]), Some(json!(true)));
    assert_eq!(may_quote(ids["late"]), None);

    // Only agreed, in-period comments, each once, at most ten; nothing published otherwise.
    let period = json!({"first": FIRST, "last": LAST});
    let unknown = uuid::Uuid::new_v4();
    let eleven: Vec<uuid::Uuid> = (0..11).map(|_| uuid::Uuid::new_v4()).collect();
    for (quotes, says) in [
        (json!([ids["ben"]]), "did not agree"),
        (json!([ids["late"]]), "outside the report's period"),
        (json!([unknown]), "no such response"),
        (json!([ids["ana"], ids["shop"], ids["ana"]]), "chosen twice"),
        (json!(eleven), "at most 10"),
    ] {
        let res = w
            .app
            .post(
                "/api/reports",
                Some(&w.manager),
                &json!({"period": period, "as_of": AS_OF, "quotes": quotes}),
            )
            .await;
        assert_eq!(res.status(), 400, "{quotes}");
        let e = error_body(res).await;
        assert_eq!(e["field"], "quotes", "{quotes}: {e}");
        assert!(
            e["message"].as_str().unwrap().contains(says),
            "{quotes}: {e}"
        );
    }
    assert_eq!(w.get_ok(&w.manager, "/api/reports").await, json!([]));

    // Chosen in this order: the employer first.
    let report = w
        .app
        .create(
            "/api/reports",
            &w.manager,
            &json!({"period": period, "as_of": AS_OF, "quotes": [ids["shop"], ids["ana"]]}),
        )
        .await;
    assert_eq!(
        report["snapshot"]["quotes"],
        json!([
            {"response_id": ids["shop"], "instrument": "employer_satisfaction",
             "text": "Reliable support when we needed it."},
            {"response_id": ids["ana"], "instrument": "jobseeker_satisfaction",
             "text": "My coach <listened> & found me a job I like."},
        ])
    );
    let id = report["id"].as_str().unwrap();
    let page = report_text(&w, id, "print").await;
    assert!(page.contains("<blockquote><p>My coach &lt;listened&gt; &amp; found me a job I like.</p></blockquote><figcaption>A jobseeker</figcaption>"));
    assert!(page.contains("<blockquote><p>Reliable support when we needed it.</p></blockquote><figcaption>An employer</figcaption>"));
    assert!(!page.contains("Too many forms") && !page.contains("JS-ANA"));
    let mut book = workbook(&w, id).await;
    let sheet = book.worksheet_range("Comments").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec!["Said by", "Comment"],
            vec!["An employer", "Reliable support when we needed it."],
            vec![
                "A jobseeker",
                "My coach <listened> & found me a job I like."
            ],
        ]
    );
    let methods = book.worksheet_range("Methods").unwrap();
    assert_eq!(row(&methods, "Comments quoted")[2].as_f64(), Some(2.0));
    let csv = report_text(&w, id, "csv").await;
    assert!(csv.contains("Reliable support when we needed it."), "{csv}");

    // Ana asks what is held about her: her answer says she agreed, and which report quotes it;
    // Ben's says he did not, and no report quotes him.
    let export = |who: uuid::Uuid| format!("/api/participants/{who}/export");
    let held = w.get_ok(&w.admin, &export(ana)).await;
    let anas = &held["responses"][0];
    assert_eq!(anas["id"], json!(ids["ana"]));
    assert_eq!(anas["may_quote"], json!(true));
    assert_eq!(
        anas["quoted_in"],
        json!([{"report_id": id, "title": report["title"], "published_at": report["published_at"]}])
    );
    let summary = held["summary"].as_str().unwrap();
    assert!(
        summary.contains("Comments you agreed we may quote in our reports: 1.")
            && summary.contains(&format!(
                "Published reports that quote you: {}.",
                report["title"].as_str().unwrap()
            )),
        "{summary}"
    );
    let held = w.get_ok(&w.admin, &export(ben)).await;
    assert_eq!(held["responses"][0]["may_quote"], json!(false));
    assert_eq!(held["responses"][0]["quoted_in"], json!([]));
    assert!(
        held["summary"]
            .as_str()
            .unwrap()
            .contains("No published report quotes you."),
        "{held}"
    );

    // Ana asks to be erased: her words leave the published report; its figures stay.
    let res = w
        .app
        .post(
            &format!("/api/participants/{ana}/erase"),
            Some(&w.admin),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let after = w.get_ok(&w.manager, &format!("/api/reports/{id}")).await;
    assert_eq!(
        after["snapshot"]["quotes"],
        json!([{"response_id": ids["shop"], "instrument": "employer_satisfaction",
                "text": "Reliable support when we needed it."}])
    );
    assert_eq!(after["snapshot"]["kpi_d"], report["snapshot"]["kpi_d"]);
    let page = report_text(&w, id, "print").await;
    assert!(!page.contains("found me a job"));
    assert!(page.contains("Reliable support when we needed it."));

    // The employer's contact withdraws consent: their words leave the report too, and they are
    // neither offered nor accepted for quotation again.
    let res = w
        .app
        .post(
            &format!("/api/participants/{shop}/withdraw"),
            Some(&w.admin),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let after = w.get_ok(&w.manager, &format!("/api/reports/{id}")).await;
    assert_eq!(after["snapshot"]["quotes"], json!([]));
    assert_eq!(after["snapshot"]["kpi_c"], report["snapshot"]["kpi_c"]);
    assert!(
        !report_text(&w, id, "print")
            .await
            .contains("Reliable support")
    );
    let comments = w
        .get_ok(
            &w.manager,
            &format!("/api/kpi/comments?first={FIRST}&last={LAST}"),
        )
        .await;
    let shops: Vec<&Value> = comments
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["response_id"] == ids["shop"].to_string())
        .collect();
    assert_eq!(shops.len(), 1, "{comments}");
    assert_eq!(shops[0]["may_quote"], json!(false));
    let reports = w.app.count_rows("published_report").await;
    let res = w
        .app
        .post(
            "/api/reports",
            Some(&w.manager),
            &json!({"period": period, "as_of": AS_OF, "quotes": [ids["shop"]]}),
        )
        .await;
    assert_eq!(res.status(), 400);
    let e = error_body(res).await;
    assert_eq!(e["field"], "quotes");
    assert!(
        e["message"].as_str().unwrap().contains("did not agree"),
        "{e}"
    );
    assert_eq!(w.app.count_rows("published_report").await, reports);
    let held = w.get_ok(&w.admin, &export(shop)).await;
    assert_eq!(held["responses"][0]["may_quote"], json!(false));
    assert_eq!(held["responses"][0]["quoted_in"], json!([]));

    // An answer they gave before withdrawing arrives only now (it waited on a phone): it is
    // stored, and not as quotable.
    let late = w
        .app
        .create(
            "/api/responses",
            &w.sam,
            &answer(
                shop,
                "employer_satisfaction",
                "2025-09-20T10:00:00Z",
                json!({"comment": "Sent from the van.", "may_quote": true}),
            ),
        )
        .await;
    let comments = w
        .get_ok(
            &w.manager,
            &format!("/api/kpi/comments?first={FIRST}&last={LAST}"),
        )
        .await;
    let late = comments
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["response_id"] == late["id"])
        .cloned();
    assert_eq!(late.map(|c| c["may_quote"].clone()), Some(json!(false)));
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
