//! The journey of an episode and the outcome figures in headless Chromium: a specialist with no
//! signal records a referral, the start of support (with the vocational profile) and a paid job
//! for a new client; once the phone is back online the records reach the server, and a
//! manager's dashboard shows the outcomes exactly as the API gives them. A step dated before
//! the one it follows is refused beside its field, offline, and nothing is queued.

use std::time::Duration;

use chrono::{Days, NaiveDate, Utc};
use serde_json::{Value, json};
use soundings_tests::browser::Browser;
use soundings_tests::wait;

use crate::pwa_staff::{
    Setup, assert_accessible, click, fill, heading, log_in, ready_for_the_field, setup, shot_of,
    shots, wait_until, waiting,
};

/// `n` days before today (the server's and the browser's today agree away from midnight; the
/// dates used are days apart, so a test crossing midnight still holds).
fn days_ago(n: u64) -> NaiveDate {
    Utc::now().date_naive() - Days::new(n)
}

/// Sets a date field as the browser's date picker does (typing into one depends on the locale).
async fn set_date(b: &Browser, id: &str, date: NaiveDate) {
    b.client
        .execute(
            "const f = document.getElementById(arguments[0]); f.value = arguments[1]; \
             f.dispatchEvent(new Event('input', {bubbles: true})); \
             f.dispatchEvent(new Event('change', {bubbles: true})); return true",
            vec![json!(id), json!(date.to_string())],
        )
        .await
        .unwrap();
}

/// Chooses `value` in the select `select` (the option is clicked, as a person does).
async fn choose(b: &Browser, select: &str, value: &str) {
    click(b, &format!("{select} option[value='{value}']")).await;
}

async fn api(s: &Setup, token: &str, path: &str) -> Value {
    let res = s.app.get(path, Some(token)).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

/// Waits until the outbox counter shows `n` records waiting.
async fn waiting_is(b: &Browser, n: u64) {
    wait_until(
        b,
        &format!("{n} records waiting"),
        &format!("document.querySelector('.staff-sync')?.dataset.waiting === '{n}'"),
        Duration::from_secs(20),
    )
    .await;
}

/// Back online: the outbox page's "Send now", then every record has gone.
async fn send_now(s: &Setup, b: &Browser) {
    s.proxy.restore();
    click(b, "a[href='/staff/outbox']").await;
    heading(b, "Outbox").await;
    click(b, "#sync-now").await;
    waiting_is(b, 0).await;
}

/// A data attribute of the first element matching `css` ("" when absent).
async fn data(b: &Browser, css: &str, name: &str) -> String {
    let v = b
        .client
        .execute(
            "return document.querySelector(arguments[0])?.dataset[arguments[1]] ?? ''",
            vec![json!(css), json!(name)],
        )
        .await
        .unwrap();
    v.as_str().unwrap_or_default().to_owned()
}

/// The page fits a phone's width: nothing makes it scroll sideways.
async fn fits_the_screen(b: &Browser, page: &str) {
    let v = b
        .eval("return [document.documentElement.scrollWidth, window.innerWidth]")
        .await
        .unwrap();
    assert!(
        v[0].as_u64() <= v[1].as_u64(),
        "{page} is wider than the screen: {v}"
    );
}

/// A new client with a referral from Jobcentre Plus (accepted), support started and the
/// vocational profile begun, and equality answers; returns on their page.
async fn register_with_referral(b: &Browser, reference: &str) {
    click(b, "a.button[href='/staff/clients/new']").await;
    heading(b, "Add a client").await;
    fill(b, "#reference", reference).await;
    click(b, "label[for='consent-surveys']").await;
    set_date(b, "referred-on", days_ago(40)).await;
    click(b, "label[for='source-job_centre']").await;
    set_date(b, "decided-on", days_ago(35)).await;
    set_date(b, "started-on", days_ago(30)).await;
    set_date(b, "profile-started-on", days_ago(25)).await;
    fill(b, "#hours-before", "0").await;
    set_date(b, "born-on", NaiveDate::from_ymd_opt(1990, 5, 1).unwrap()).await;
    choose(b, "#gender", "woman").await;
    choose(b, "#area", "prefer_not_to_say").await;
    assert_accessible(b, "new client with a referral and a start").await;
    shot_of(b, "new-client-journey", "label[for='referred-on']").await;
    click(b, "#save-client").await;
    heading(b, reference).await;
}

/// A paid new job, 16 hours a week at £12.21, with a job analysis; returns on the client's
/// page.
async fn record_paid_job(b: &Browser, reference: &str, started: NaiveDate) {
    click(b, "a[href$='/job']").await;
    heading(b, "Record a job").await;
    set_date(b, "job-started-on", started).await;
    fill(b, "#job-title", "Kitchen porter").await;
    choose(b, "#job-sector", "I").await;
    fill(b, "#job-hours", "16").await;
    fill(b, "#job-pay", "12.21").await;
    click(b, "label[for='job-analysis']").await;
    assert_accessible(b, "job form").await;
    shots(b, "job-form").await;
    click(b, "#save-job").await;
    heading(b, reference).await;
    b.wait_for_text(".job-item", "Kitchen porter")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_specialist_offline_records_a_referral_a_start_and_a_paid_job_and_the_dashboard_counts_them_as_the_api_does()
 {
    let s = setup().await;
    s.app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    s.app
        .create_staff_direct(s.org, "mia@v.example.org", domain::Role::Manager)
        .await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;

    // No signal from here.
    s.proxy.cut().await;
    register_with_referral(&b, "JS-OUT1").await;
    b.wait_for_text(".journey-referral", "by Jobcentre Plus")
        .await
        .unwrap();
    b.wait_for_text(".journey-profile", "Vocational profile started on")
        .await
        .unwrap();
    record_paid_job(&b, "JS-OUT1", days_ago(10)).await;
    assert_accessible(&b, "client page with a journey").await;
    shot_of(&b, "client-journey", ".episode-card").await;
    // The client (with their consent, referral and episode) and the job wait on the phone: two
    // things done, five records; none reached the server.
    waiting_is(&b, 2).await;
    assert_eq!(s.app.count_rows("referral").await, 0);
    assert_eq!(s.app.count_rows("job").await, 0);

    // Signal back: all five arrive, in order, once.
    send_now(&s, &b).await;
    assert_eq!(s.app.count_rows("participant").await, 1);
    assert_eq!(s.app.count_rows("referral").await, 1);
    assert_eq!(s.app.count_rows("episode").await, 1);
    assert_eq!(s.app.count_rows("job").await, 1);
    let sam = s.app.login("sam@v.example.org").await.access_token;
    let episodes = api(&s, &sam, "/api/episodes").await;
    let referrals = api(&s, &sam, "/api/referrals").await;
    assert_eq!(episodes[0]["referral_id"], referrals[0]["id"]);
    assert_eq!(
        episodes[0]["profile_started_on"],
        json!(days_ago(25).to_string())
    );
    assert_eq!(referrals[0]["accepted"], json!(true));
    b.close().await.unwrap();

    // The manager's dashboard, at a phone's width, for the 90 days to today (as of today).
    let (first, last) = (days_ago(90), days_ago(0));
    let mia = s.app.login("mia@v.example.org").await.access_token;
    let query = format!("first={first}&last={last}&as_of={last}");
    let figures = api(&s, &mia, &format!("/api/outcomes?{query}")).await;
    assert_eq!(figures["kpi_a"]["rate"]["n"], json!(1), "{figures}");
    assert_eq!(figures["kpi_a"]["rate"]["numerator"], json!(1));
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "mia@v.example.org").await;
    heading(&b, "Dashboard").await;
    choose(&b, "#period", "custom").await;
    set_date(&b, "period-first", first).await;
    set_date(&b, "period-last", last).await;
    wait_until(
        &b,
        "the outcomes of the period as of today",
        &format!(
            "document.querySelector(\"#outcomes-shown[data-first='{first}'][data-last='{last}'][data-as-of='{last}']\")"
        ),
        Duration::from_secs(20),
    )
    .await;

    // KPI A's cohort includes the client: the page's n and numerator are the API's.
    let kpi_a = &figures["kpi_a"]["rate"];
    assert_eq!(
        data(&b, "#kpi-a .tile-n", "n").await,
        kpi_a["n"].to_string()
    );
    assert_eq!(
        data(&b, "#kpi-a .tile-n", "numerator").await,
        kpi_a["numerator"].to_string()
    );
    let percent = format!("{:.2}", kpi_a["percent"].as_f64().unwrap());
    assert_eq!(data(&b, "#kpi-a .tile-value", "value").await, percent);
    // The outcome mix counts the job.
    let mix = figures["outcome_mix"].as_array().unwrap();
    let new_jobs = mix.iter().find(|c| c["key"] == "new_job").unwrap();
    assert_eq!(new_jobs["n"], json!(1));
    assert_eq!(
        data(&b, "#outcome-mix tr[data-key='new_job']", "n").await,
        "1"
    );
    // Judged figures say their RAG in words beside the colour; A's bands say there is no 3.
    b.wait_for_text(
        "#outcomes .judged-line",
        "Green — meets the benchmark (at least 40.00%)",
    )
    .await
    .unwrap();
    b.wait_for_text("#kpi-a-bands-note", "no band scores 3")
        .await
        .unwrap();
    assert_eq!(
        data(&b, "#kpi-a .tile-score", "score").await,
        figures["kpi_a"]["scored"]["score"].to_string()
    );
    assert_accessible(&b, "dashboard with outcomes").await;
    fits_the_screen(&b, "dashboard with outcomes").await;
    shot_of(&b, "dashboard-outcomes", "#outcomes").await;

    // Split by gender: the manager's working view shows the small group, marked.
    let split = api(
        &s,
        &mia,
        &format!("/api/outcomes/equality?{query}&by=gender&working=true"),
    )
    .await;
    let kpi_a_split = split["splits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["figure"] == "kpi_a")
        .unwrap();
    let women = kpi_a_split["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "woman")
        .unwrap();
    choose(&b, "#equality-by", "gender").await;
    wait_until(
        &b,
        "the split by gender",
        "document.querySelector(\"#equality-split[data-by='gender']\")",
        Duration::from_secs(20),
    )
    .await;
    let row = "#equality-kpi_a tr[data-group='woman']";
    assert_eq!(data(&b, row, "n").await, women["n"].to_string());
    assert_eq!(data(&b, row, "small").await, "true");
    let threshold = split["threshold"].to_string();
    b.wait_for_text(row, &format!("fewer than {threshold} — small sample"))
        .await
        .unwrap();
    assert_accessible(&b, "dashboard, equality split").await;
    fits_the_screen(&b, "dashboard, equality split").await;
    shot_of(&b, "dashboard-equality", "#equality-split").await;

    // In Welsh too.
    click(&b, ".language-switch").await;
    b.wait_for_text("#outcomes-title", "Canlyniadau")
        .await
        .unwrap();
    b.wait_for_text("#outcomes .judged-line", "Gwyrdd — yn cyrraedd")
        .await
        .unwrap();
    assert_accessible(&b, "dashboard outcomes in Welsh").await;
    b.close().await.unwrap();
}

#[tokio::test]
async fn offline_a_job_dated_before_the_start_of_support_is_refused_beside_its_field_and_nothing_is_queued()
 {
    let s = setup().await;
    let sam_id = s
        .app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;

    s.proxy.cut().await;
    click(&b, "a.button[href='/staff/clients/new']").await;
    heading(&b, "Add a client").await;
    fill(&b, "#reference", "JS-EARLY").await;
    click(&b, "label[for='consent-surveys']").await;
    set_date(&b, "started-on", days_ago(3)).await;
    click(&b, "#save-client").await;
    heading(&b, "JS-EARLY").await;
    // One thing done (the client), three records.
    waiting_is(&b, 1).await;

    click(&b, "a[href$='/job']").await;
    heading(&b, "Record a job").await;
    set_date(&b, "job-started-on", days_ago(5)).await;
    click(&b, "#save-job").await;
    let started = days_ago(3).format("%d/%m/%Y").to_string();
    b.wait_for_text(
        "#job-started-on-error",
        &format!("This date must not be before the start of support ({started})"),
    )
    .await
    .unwrap();
    b.wait_for_text(".error-summary", "must not be before the start of support")
        .await
        .unwrap();
    let field = b
        .eval("const f = document.getElementById('job-started-on'); return [f.getAttribute('aria-invalid'), f.getAttribute('aria-describedby')]")
        .await
        .unwrap();
    assert_eq!(field, json!(["true", "job-started-on-error"]));
    heading(&b, "Record a job").await;
    assert_accessible(&b, "job form, refused").await;
    shots(&b, "job-refused").await;

    // In Welsh the same refusal, in Welsh.
    click(&b, ".language-switch").await;
    click(&b, "#save-job").await;
    b.wait_for_text(
        "#job-started-on-error",
        &format!("Ni ddylai’r dyddiad hwn fod cyn dechrau’r cymorth ({started})"),
    )
    .await
    .unwrap();
    click(&b, ".language-switch").await;

    // Nothing was queued: the client's three records wait (one thing done), and no job.
    let outbox = b
        .outbox_after_flushes(Some(&sam_id.to_string()))
        .await
        .unwrap();
    assert_eq!(outbox.statuses, vec!["waiting"; 3]);
    assert_eq!(waiting(&b).await, 1);
    let kinds = b
        .client
        .execute_async(
            "const [owner, done] = arguments; \
             self.soundingsOutbox.list(owner).then((r) => done(r.map((e) => e.kind)));",
            vec![json!(sam_id.to_string())],
        )
        .await
        .unwrap();
    assert_eq!(kinds, json!(["participant", "consent", "episode"]));

    // A job on or after the start is taken.
    set_date(&b, "job-started-on", days_ago(2)).await;
    fill(&b, "#job-title", "Gardener").await;
    click(&b, "#save-job").await;
    heading(&b, "JS-EARLY").await;
    waiting_is(&b, 2).await;
    send_now(&s, &b).await;
    assert_eq!(s.app.count_rows("job").await, 1);
    b.close().await.unwrap();
}

#[tokio::test]
async fn a_specialist_records_a_whole_journey_offline_and_the_server_has_every_step() {
    let s = setup().await;
    s.app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;
    s.proxy.cut().await;

    // A referral that was not accepted: no support starts.
    click(&b, "a.button[href='/staff/clients/new']").await;
    heading(&b, "Add a client").await;
    fill(&b, "#reference", "JS-JOURNEY").await;
    click(&b, "label[for='consent-surveys']").await;
    set_date(&b, "referred-on", days_ago(60)).await;
    click(&b, "label[for='source-health']").await;
    click(&b, "label[for='decision-not_accepted']").await;
    set_date(&b, "decided-on", days_ago(58)).await;
    // The reason is asked for, beside its choice.
    click(&b, "#save-client").await;
    b.wait_for_text("#reason-error", "Choose why the referral was not accepted")
        .await
        .unwrap();
    assert_accessible(&b, "new client, reason missing").await;
    click(&b, "label[for='reason-declined']").await;
    click(&b, "#save-client").await;
    heading(&b, "JS-JOURNEY").await;
    b.wait_for_text(".referral-item", "Not accepted on")
        .await
        .unwrap();
    b.wait_for_text(".referral-item", "The person declined")
        .await
        .unwrap();

    // A second referral, not decided yet, then support starting from it.
    click(&b, "a[href$='/referral']").await;
    heading(&b, "Record a referral for JS-JOURNEY").await;
    set_date(&b, "referred-on", days_ago(30)).await;
    click(&b, "label[for='source-self']").await;
    click(&b, "label[for='decision-undecided']").await;
    assert_accessible(&b, "new referral").await;
    click(&b, "#save-referral").await;
    heading(&b, "JS-JOURNEY").await;
    b.wait_for_text(".referral-item", "No decision yet")
        .await
        .unwrap();
    click(&b, "a[href$='/start']").await;
    heading(&b, "Start support for JS-JOURNEY").await;
    set_date(&b, "started-on", days_ago(20)).await;
    assert_accessible(&b, "start support").await;
    click(&b, "#save-start").await;
    heading(&b, "JS-JOURNEY").await;
    b.wait_for_text(".journey-referral", "Accepted on")
        .await
        .unwrap();

    // The vocational profile and the hours before, later.
    click(&b, "a[href$='/profile']").await;
    heading(&b, "Vocational profile of JS-JOURNEY").await;
    set_date(&b, "profile-started-on", days_ago(15)).await;
    fill(&b, "#hours-before", "4").await;
    assert_accessible(&b, "vocational profile").await;
    click(&b, "#save-profile").await;
    heading(&b, "JS-JOURNEY").await;
    b.wait_for_text(".journey-hours", "4 hours a week")
        .await
        .unwrap();

    // A job, its end, and the end of support.
    record_paid_job(&b, "JS-JOURNEY", days_ago(10)).await;
    click(&b, "a[href$='/end'][href*='/jobs/']").await;
    heading(&b, "End of the job").await;
    set_date(&b, "job-ended-on", days_ago(4)).await;
    click(&b, "label[for='job-end-reason-resigned']").await;
    assert_accessible(&b, "end of a job").await;
    click(&b, "#save-job-end").await;
    heading(&b, "JS-JOURNEY").await;
    b.wait_for_text(".job-ended", "They left").await.unwrap();
    click(&b, "a[href$='/end'][href*='/episodes/']").await;
    heading(&b, "End of support for JS-JOURNEY").await;
    set_date(&b, "support-ended-on", days_ago(2)).await;
    click(&b, "label[for='support-end-reason-sustained_in_work']").await;
    assert_accessible(&b, "end of support").await;
    click(&b, "#save-support-end").await;
    heading(&b, "JS-JOURNEY").await;
    b.wait_for_text(".journey-end", "Support ended on")
        .await
        .unwrap();
    assert_accessible(&b, "client page, journey ended").await;

    // Opened again with no signal, the journey reads the same from the device.
    let here = b.client.current_url().await.unwrap();
    b.goto(here.as_str()).await.unwrap();
    heading(&b, "JS-JOURNEY").await;
    b.wait_for_text(".journey-end", "Support ended on")
        .await
        .unwrap();
    b.wait_for_text(".job-ended", "They left").await.unwrap();
    b.wait_for_text(".journey-profile", "Vocational profile started on")
        .await
        .unwrap();
    // Nine records, seven things done: the client (participant, consent, first referral), the
    // second referral, the start, the profile, the job, its end, the end of support.
    waiting_is(&b, 7).await;
    send_now(&s, &b).await;
    let outbox = b.outbox_after_flushes(None).await.unwrap();
    assert_eq!(outbox.waiting, 0);
    let sam = s.app.login("sam@v.example.org").await.access_token;
    let referrals = api(&s, &sam, "/api/referrals").await;
    let referrals = referrals.as_array().unwrap();
    assert_eq!(referrals.len(), 2);
    let declined = referrals.iter().find(|r| r["accepted"] == false).unwrap();
    assert_eq!(declined["not_accepted_reason"], json!("declined"));
    let started = referrals.iter().find(|r| r["accepted"] == true).unwrap();
    let episodes = api(&s, &sam, "/api/episodes").await;
    let e = &episodes[0];
    assert_eq!(e["referral_id"], started["id"]);
    assert_eq!(started["episode_id"], e["id"]);
    assert_eq!(e["profile_started_on"], json!(days_ago(15).to_string()));
    assert_eq!(e["hours_before"], json!(4.0));
    assert_eq!(e["ended_on"], json!(days_ago(2).to_string()));
    assert_eq!(e["end_reason"], json!("sustained_in_work"));
    let jobs = api(
        &s,
        &sam,
        &format!("/api/episodes/{}/jobs", e["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(jobs[0]["ended_on"], json!(days_ago(4).to_string()));
    assert_eq!(jobs[0]["end_reason"], json!("resigned"));
    assert_eq!(jobs[0]["hourly_pay"], json!(12.21));
    assert_eq!(jobs[0]["sector"], json!("I"));
    // The journey still reads the same from the server's copies.
    b.goto(&s.proxy.url(&format!(
        "/staff/clients/{}",
        e["participant_id"].as_str().unwrap()
    )))
    .await
    .unwrap();
    heading(&b, "JS-JOURNEY").await;
    b.wait_for_text(".journey-end", "Settled in work")
        .await
        .unwrap();
    wait::until(
        "the job's end from the server",
        Duration::from_secs(10),
        || async {
            let v = b
                .eval("return document.querySelector('.job-ended')?.textContent ?? ''")
                .await
                .unwrap();
            if v.as_str().unwrap_or_default().contains("They left") {
                Ok(())
            } else {
                Err(v)
            }
        },
    )
    .await;
    b.close().await.unwrap();
}
