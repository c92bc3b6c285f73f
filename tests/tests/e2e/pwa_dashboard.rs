//! The manager's dashboard in headless Chromium with a hand-made year of answers: any period
//! (here a UK financial quarter), the figures and their 95% intervals exactly as the API gives
//! them, trends by month and by quarter with their bands, a custom period's dates checked beside
//! the fields, and records that arrived after the period's report was published.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::{Value, json};
use soundings_tests::browser::Browser;
use soundings_tests::{body, id_of, wait};
use uuid::Uuid;

use crate::pwa_staff::{
    Setup, assert_accessible, click, heading, log_in, setup, shot_of, shots, wait_until,
};

/// FY 2025-26 Q1: April to June 2025.
const FIRST: &str = "2025-04-01";
const LAST: &str = "2025-06-30";

/// A figure as the page writes it: the API's number to two decimals ("" when absent).
fn figure(v: &Value) -> String {
    v.as_f64().map(|x| format!("{x:.2}")).unwrap_or_default()
}

/// A jobseeker's or employer's satisfaction answer, entered by the manager.
pub(crate) async fn answer(
    s: &Setup,
    token: &str,
    kind: &str,
    instrument: &str,
    rating: u8,
    at: &str,
) {
    answer_with(s, token, kind, instrument, rating, at, json!({})).await;
}

/// [`answer`] with more fields (a comment, the agreement to quote it); returns its id.
pub(crate) async fn answer_with(
    s: &Setup,
    token: &str,
    kind: &str,
    instrument: &str,
    rating: u8,
    at: &str,
    extra: Value,
) -> Uuid {
    let person = id_of(
        &s.app
            .create(
                "/api/participants",
                token,
                &body::participant(kind, &format!("{kind}-{}", Uuid::new_v4())),
            )
            .await,
    );
    id_of(
        &s.app
            .create(
                "/api/responses",
                token,
                &body::with(
                    body::satisfaction(
                        person,
                        instrument,
                        rating,
                        at,
                        body::completion("self", "none", "own_device"),
                    ),
                    extra,
                ),
            )
            .await,
    )
}

/// A jobseeker supported from January to May 2025 with SWEMWBS at both ends.
async fn wellbeing_pair(s: &Setup, token: &str, start_raw: u8, end_raw: u8) {
    let person = id_of(
        &s.app
            .create(
                "/api/participants",
                token,
                &body::participant("jobseeker", &format!("WB-{}", Uuid::new_v4())),
            )
            .await,
    );
    let episode = id_of(
        &s.app
            .create(
                "/api/episodes",
                token,
                &body::episode(person, "2025-01-06", Some("2025-05-20")),
            )
            .await,
    );
    for (timing, raw, at) in [
        ("start", start_raw, "2025-01-06T10:00:00Z"),
        ("end", end_raw, "2025-05-20T10:00:00Z"),
    ] {
        s.app
            .create(
                "/api/responses",
                token,
                &body::swemwbs(
                    person,
                    episode,
                    timing,
                    &body::items_for_raw(raw),
                    at,
                    "self",
                ),
            )
            .await;
    }
}

pub(crate) async fn api(s: &Setup, token: &str, path: &str) -> Value {
    let res = s.app.get(path, Some(token)).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

/// Chooses `value` in the select `select` (the option is clicked, as a person does).
pub(crate) async fn choose(b: &Browser, select: &str, value: &str) {
    click(b, &format!("{select} option[value='{value}']")).await;
}

/// The rows of a chart's table: `[first day, n, value, low, high]` each.
async fn chart_rows(b: &Browser, chart: &str) -> Value {
    b.eval(&format!(
        "return [...document.querySelectorAll('#{chart} tbody tr')].map(r => \
         [r.dataset.first, r.dataset.n, r.dataset.value, r.dataset.low, r.dataset.high])"
    ))
    .await
    .unwrap()
}

/// The API's trend points as [`chart_rows`] gives them.
fn api_rows(points: &Value) -> Value {
    json!(
        points
            .as_array()
            .unwrap()
            .iter()
            .map(|p| json!([
                p["period"]["first"],
                p["n"].to_string(),
                figure(&p["value"]),
                figure(&p["interval"]["low"]),
                figure(&p["interval"]["high"]),
            ]))
            .collect::<Vec<_>>()
    )
}

/// Waits until the trend shown is `by` over `first..=last`, with its charts drawn.
async fn trend_shown(b: &Browser, by: &str, first: &str, last: &str) {
    wait_until(
        b,
        &format!("the trend by {by} from {first} to {last}"),
        &format!(
            "document.querySelector(\".trend[data-by='{by}'][data-first='{first}'][data-last='{last}'] #chart-kpi-d\")"
        ),
        Duration::from_secs(20),
    )
    .await;
}

/// The bands drawn in a chart: how many points each covers.
async fn bands(b: &Browser, chart: &str) -> Vec<u64> {
    let v = b
        .eval(&format!(
            "return [...document.querySelectorAll('#{chart} svg .chart-band')].map(e => Number(e.dataset.points))"
        ))
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
async fn a_manager_picks_a_financial_quarter_and_sees_the_apis_figures_intervals_and_trends() {
    let s = setup().await;
    s.app
        .create_staff_direct(s.org, "manager@v.example.org", domain::Role::Manager)
        .await;
    let manager = s.app.login("manager@v.example.org").await.access_token;
    // KPI D: three answers in April, two in May, one in June (a month with no interval), and
    // two in March, the quarter before. KPI C: two employers in May. Wellbeing: three pairs
    // ending in May.
    let d = "jobseeker_satisfaction";
    for (rating, at) in [
        (4, "2025-04-08T10:00:00Z"),
        (5, "2025-04-15T10:00:00Z"),
        (3, "2025-04-22T10:00:00Z"),
        (5, "2025-05-06T10:00:00Z"),
        (4, "2025-05-13T10:00:00Z"),
        (2, "2025-06-10T10:00:00Z"),
        (3, "2025-03-11T10:00:00Z"),
        (4, "2025-03-18T10:00:00Z"),
    ] {
        answer(&s, &manager, "jobseeker", d, rating, at).await;
    }
    // One jobseeker skipped the overall question: stored, not counted, and said so.
    let person = id_of(
        &s.app
            .create(
                "/api/participants",
                &manager,
                &body::participant("jobseeker", "JS-SKIP"),
            )
            .await,
    );
    let mut skipped = body::satisfaction(
        person,
        d,
        3,
        "2025-04-29T10:00:00Z",
        body::completion("self", "none", "own_device"),
    );
    skipped["answers"][0] = Value::Null;
    s.app.create("/api/responses", &manager, &skipped).await;
    for rating in [4, 5] {
        answer(
            &s,
            &manager,
            "employer",
            "employer_satisfaction",
            rating,
            "2025-05-14T10:00:00Z",
        )
        .await;
    }
    for (start, end) in [(18, 24), (20, 21), (15, 22)] {
        wellbeing_pair(&s, &manager, start, end).await;
    }
    // The quarter's report is published; then a phone syncs a form answered in May.
    let report = s
        .app
        .create(
            "/api/reports",
            &manager,
            &json!({"period": {"first": FIRST, "last": LAST}}),
        )
        .await;
    answer(&s, &manager, "jobseeker", d, 1, "2025-05-28T10:00:00Z").await;
    let late = api(
        &s,
        &manager,
        &format!("/api/reports/late?first={FIRST}&last={LAST}"),
    )
    .await;
    assert_eq!(late[0]["late_records"], json!(1));
    assert_eq!(late[0]["report_id"], report["id"]);

    let query = format!("first={FIRST}&last={LAST}");
    let kpi_d = api(
        &s,
        &manager,
        &format!("/api/kpi/jobseeker-satisfaction?{query}"),
    )
    .await;
    assert_eq!(kpi_d["n"], json!(7));
    assert_eq!(kpi_d["overall_not_answered"], json!(1));
    assert!(kpi_d["mean_interval"].is_object(), "{kpi_d}");
    let wellbeing = api(&s, &manager, &format!("/api/kpi/wellbeing?{query}")).await;
    assert_eq!(wellbeing["paired_n"], json!(3));

    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "manager@v.example.org").await;
    heading(&b, "Dashboard").await;

    // FY 2025-26, Q1.
    choose(&b, "#period", "fy-quarter").await;
    choose(&b, "#period-fy", "2025").await;
    choose(&b, "#period-quarter", "1").await;
    b.wait_for_text(
        "#period-shown",
        "FY 2025-26 Q1 (Apr–Jun 2025): from 01/04/2025 to 30/06/2025",
    )
    .await
    .unwrap();
    // The KPI D tile: the API's mean and interval for the same days.
    let want = json!([
        figure(&kpi_d["mean"]),
        kpi_d["n"].to_string(),
        figure(&kpi_d["mean_interval"]["low"]),
        figure(&kpi_d["mean_interval"]["high"]),
    ]);
    wait::until(
        &format!("the KPI D tile to show {want}"),
        Duration::from_secs(20),
        || async {
            let shown = b
                .eval(
                    "const t = document.getElementById('kpi-d'); const i = t?.querySelector('.tile-interval'); \
                     return [t?.querySelector('.tile-value')?.dataset.value, t?.querySelector('.tile-n')?.dataset.n, \
                             i?.dataset.low, i?.dataset.high]",
                )
                .await
                .unwrap();
            if shown == want { Ok(()) } else { Err(shown) }
        },
    )
    .await;
    let interval_text = format!(
        "95% CI {} to {}",
        figure(&kpi_d["mean_interval"]["low"]),
        figure(&kpi_d["mean_interval"]["high"])
    );
    b.wait_for_text("#kpi-d .tile-interval", &interval_text)
        .await
        .unwrap();
    b.wait_for_text(
        "#interval-help",
        "the range the true figure probably lies in",
    )
    .await
    .unwrap();
    // The wellbeing detail: the mean change and its interval, and each band's percentage.
    b.wait_for_text(
        "#wellbeing-change",
        &format!(
            "{} (95% CI {} to {})",
            figure(&wellbeing["mean_change"]),
            figure(&wellbeing["mean_change_interval"]["low"]),
            figure(&wellbeing["mean_change_interval"]["high"])
        ),
    )
    .await
    .unwrap();
    b.wait_for_text(
        "#wellbeing-bands",
        &format!("{}%", figure(&wellbeing["improved_pct"])),
    )
    .await
    .unwrap();

    // The splits carry each group's interval, and the answers not counted are said.
    let want: Vec<Value> = kpi_d["by_support"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            json!([
                r["key"],
                figure(&r["mean"]),
                figure(&r["mean_interval"]["low"]),
                figure(&r["mean_interval"]["high"])
            ])
        })
        .collect();
    let shown = b
        .eval(
            "return [...document.querySelectorAll('#split-kpi-d-support tbody tr[data-key]')]\
             .map(r => [r.dataset.key, r.dataset.mean, r.dataset.low, r.dataset.high])",
        )
        .await
        .unwrap();
    assert_eq!(shown, json!(want));
    let excluded = b
        .eval("const e = document.getElementById('excluded-kpi-d').dataset; return [e.proxy, e.second, e.skipped]")
        .await
        .unwrap();
    assert_eq!(
        excluded,
        json!([
            kpi_d["excluded_proxy"].to_string(),
            kpi_d["excluded_second_answers"].to_string(),
            kpi_d["overall_not_answered"].to_string()
        ])
    );

    // The late record: counted in the live figures, and said so beside the report's link.
    let notice = b
        .wait_for_text(
            ".late-report",
            "1 record arrived after this report was published",
        )
        .await
        .unwrap();
    let link = notice
        .find(Locator::Css("a.late-report-link"))
        .await
        .unwrap();
    assert_eq!(
        link.attr("href").await.unwrap().as_deref(),
        late[0]["print_url"].as_str()
    );

    shot_of(&b, "dashboard-figures", "#period-shown").await;

    // By month: the twelve months to June 2025, point for point the API's.
    let (months_first, months_last) = ("2024-07-01", LAST);
    trend_shown(&b, "month", months_first, months_last).await;
    let monthly = api(
        &s,
        &manager,
        &format!("/api/kpi/trend?first={months_first}&last={months_last}&by=month"),
    )
    .await;
    assert_eq!(monthly["kpi_d"].as_array().unwrap().len(), 12);
    for (chart, key) in [
        ("chart-kpi-c", "kpi_c"),
        ("chart-kpi-d", "kpi_d"),
        ("chart-wellbeing", "wellbeing_change"),
    ] {
        assert_eq!(
            chart_rows(&b, chart).await,
            api_rows(&monthly[key]),
            "{chart} by month"
        );
    }
    // One band over March, April and May (n ≥ 2 each); none for June (one answer) or the
    // months with no answers.
    let with_interval = |points: &Value| {
        points
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["interval"].is_object())
            .count() as u64
    };
    assert_eq!(with_interval(&monthly["kpi_d"]), 3, "March, April and May");
    assert_eq!(bands(&b, "chart-kpi-d").await, vec![3]);
    let dots = b
        .eval("return [...document.querySelectorAll('#chart-kpi-d .chart-dot')].map(c => [c.dataset.n, c.querySelector('title').textContent])")
        .await
        .unwrap();
    assert!(
        dots.as_array()
            .unwrap()
            .iter()
            .any(|d| d[1].as_str().unwrap().starts_with("April 2025: ")
                && d[1].as_str().unwrap().ends_with(", n = 3")),
        "{dots}"
    );
    assert_accessible(&b, "dashboard, FY quarter by month").await;
    shots(&b, "dashboard-period").await;
    shot_of(&b, "dashboard-trends", "#charts-title").await;

    // By quarter: financial quarters (the period follows the financial year), the four to Q1.
    click(&b, "label[for=trend-by-quarter]").await;
    trend_shown(&b, "financial_quarter", months_first, months_last).await;
    let quarterly = api(
        &s,
        &manager,
        &format!("/api/kpi/trend?first={months_first}&last={months_last}&by=quarter"),
    )
    .await;
    assert_eq!(quarterly["kpi_d"].as_array().unwrap().len(), 4);
    for (chart, key) in [
        ("chart-kpi-c", "kpi_c"),
        ("chart-kpi-d", "kpi_d"),
        ("chart-wellbeing", "wellbeing_change"),
    ] {
        assert_eq!(
            chart_rows(&b, chart).await,
            api_rows(&quarterly[key]),
            "{chart} by quarter"
        );
    }
    // FY 2024-25 Q4 (two answers) and FY 2025-26 Q1 (seven) side by side: one band.
    assert_eq!(bands(&b, "chart-kpi-d").await, vec![2]);
    // (The table is folded away under the chart, so its text is read, not seen.)
    let names = b
        .eval("return [...document.querySelectorAll('#chart-kpi-d tbody th')].map(h => h.textContent)")
        .await
        .unwrap();
    assert_eq!(
        names,
        json!([
            "FY 2024-25 Q2 (Jul–Sep 2024)",
            "FY 2024-25 Q3 (Oct–Dec 2024)",
            "FY 2024-25 Q4 (Jan–Mar 2025)",
            "FY 2025-26 Q1 (Apr–Jun 2025)"
        ])
    );
    assert_accessible(&b, "dashboard, FY quarter by quarter").await;

    // In Welsh, the period and the quarters are named in Welsh.
    click(&b, ".language-switch").await;
    b.wait_for_text(
        "#period-shown",
        "BA 2025-26 Ch1 (Ebr–Meh 2025): o 01/04/2025 i 30/06/2025",
    )
    .await
    .unwrap();
    assert_accessible(&b, "dashboard in Welsh").await;
    click(&b, ".language-switch").await;
    b.wait_for_text("#period-shown", "FY 2025-26 Q1")
        .await
        .unwrap();

    // The quarter's SEQF audit workbook downloads as a file (kept here instead of saved) that a
    // spreadsheet reads with the tiles' figures.
    b.eval(
        "window.savedFile = null; const make = URL.createObjectURL; \
         URL.createObjectURL = (blob) => { window.savedFile = blob; return make(blob); }; \
         HTMLAnchorElement.prototype.click = function () { window.savedName = this.download; }; \
         return null",
    )
    .await
    .unwrap();
    click(&b, "#download-workbook").await;
    let name = wait::until(
        "the workbook to be saved",
        Duration::from_secs(20),
        || async {
            let name = b.eval("return window.savedName || null").await.unwrap();
            name.as_str().map(str::to_owned).ok_or(())
        },
    )
    .await;
    assert_eq!(
        name,
        format!("soundings-seqf-workbook-{FIRST}-to-{LAST}.xlsx")
    );
    let bytes: Vec<u8> = serde_json::from_value(
        b.eval_async("return Array.from(new Uint8Array(await window.savedFile.arrayBuffer()))")
            .await
            .unwrap(),
    )
    .unwrap();
    let sheets = soundings_tests::xlsx::read(bytes);
    let kpis = soundings_tests::xlsx::records(&sheets, "KPIs");
    let row = |prefix: &str| {
        kpis.iter()
            .find(|k| k["Indicator"].to_string().starts_with(prefix))
            .unwrap()
            .clone()
    };
    assert_eq!(
        soundings_tests::xlsx::number(&row("KPI D")["Value"]),
        kpi_d["mean"].as_f64()
    );
    assert_eq!(
        soundings_tests::xlsx::number(&row("KPI D")["Of"]),
        kpi_d["n"].as_f64()
    );
    assert_eq!(
        soundings_tests::xlsx::number(&row("Wellbeing")["Value"]),
        wellbeing["mean_change"].as_f64()
    );

    // A custom period: the last day before the first is refused beside the field.
    choose(&b, "#period", "custom").await;
    let set_date = |id: &'static str, value: &'static str| {
        let b = &b;
        async move {
            b.client
                .execute(
                    "const f = document.getElementById(arguments[0]); f.value = arguments[1]; \
                     f.dispatchEvent(new Event('change', {bubbles: true})); return true",
                    vec![json!(id), json!(value)],
                )
                .await
                .unwrap();
        }
    };
    // The dates start as the period shown.
    let dates = b
        .eval("return [document.getElementById('period-first').value, document.getElementById('period-last').value]")
        .await
        .unwrap();
    assert_eq!(dates, json!([FIRST, LAST]));
    set_date("period-last", "2025-03-31").await;
    b.wait_for_text(
        "#period-last-error",
        "The last day must be the same as or after the first day",
    )
    .await
    .unwrap();
    let invalid = b
        .eval("return document.getElementById('period-last').getAttribute('aria-invalid')")
        .await
        .unwrap();
    assert_eq!(invalid, json!("true"));
    // The figures stay those of the last right period meanwhile.
    b.wait_for_text("#period-shown", "01/04/2025 to 30/06/2025")
        .await
        .unwrap();
    assert_accessible(&b, "dashboard, custom period with an error").await;
    set_date("period-first", "2025-04-01").await;
    set_date("period-last", "2025-05-31").await;
    b.wait_for_text("#period-shown", "From 01/04/2025 to 31/05/2025")
        .await
        .unwrap();
    let april_may = api(
        &s,
        &manager,
        "/api/kpi/jobseeker-satisfaction?first=2025-04-01&last=2025-05-31",
    )
    .await;
    let want = (figure(&april_may["mean"]), april_may["n"].to_string());
    wait::until(
        &format!("KPI D for April and May to show {want:?}"),
        Duration::from_secs(20),
        || async {
            let v = b
                .eval("const t = document.getElementById('kpi-d'); return [t?.querySelector('.tile-value')?.dataset.value, t?.querySelector('.tile-n')?.dataset.n]")
                .await
                .unwrap();
            let shown = (
                v[0].as_str().unwrap_or_default().to_owned(),
                v[1].as_str().unwrap_or_default().to_owned(),
            );
            if shown == want { Ok(()) } else { Err(shown) }
        },
    )
    .await;
    assert!(
        b.client
            .find(Locator::Css("#period-last-error"))
            .await
            .is_err(),
        "the error is gone once the dates are right"
    );

    // The frozen report opens from the notice, fetched with the login's token.
    choose(&b, "#period", "fy-quarter").await;
    let before = b.client.windows().await.unwrap();
    click(&b, ".late-report a.late-report-link").await;
    let opened = wait::until("the report to open", Duration::from_secs(10), || async {
        let now = b.client.windows().await.unwrap();
        now.into_iter().find(|w| !before.contains(w)).ok_or(())
    })
    .await;
    b.client.switch_to_window(opened).await.unwrap();
    let title = report["title"].as_str().unwrap().to_owned();
    wait::until("the report's page", Duration::from_secs(10), || async {
        let text = b
            .eval("return document.body ? document.body.innerText : ''")
            .await
            .unwrap_or_default();
        let text = text.as_str().unwrap_or_default().to_owned();
        if text.contains(&title) {
            Ok(())
        } else {
            Err(text)
        }
    })
    .await;
    b.close().await.unwrap();
}
