//! `bench first-load`: how long a survey link takes to reach its first answerable question on a
//! slow phone (issue 19), cold (a new browser) and warm (the service worker installed by an
//! earlier visit), median of `FIRST_LOAD_RUNS` (5) each. Not a test: it reports, never asserts.
//!
//! The phone: the link throttled at a proxy between Chromium and the server to 400 kbit/s each
//! way with 400 ms round trips (one more round trip to open each connection), which slows the
//! service worker's own fetches too (DevTools' network emulation would not); and the page's CPU
//! 4x slower (DevTools' CPU throttling, through chromedriver's CDP command). The person taps
//! Start the moment it shows; the clock is the page's own (`performance.now()`, from the start
//! of navigation), read by a script the browser runs in every new document.
//!
//! `FIRST_LOAD_DIST` serves another build (e.g. a copy of an older `frontend/dist`) for a
//! before/after comparison.

use std::sync::Arc;
use std::time::Duration;

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value, json};
use soundings_tests::browser::Browser;
use soundings_tests::{TestApp, body, id_of};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, mpsc};
use tokio::time::Instant;
use uuid::Uuid;

const BITS_PER_SECOND: f64 = 400_000.0;
const ROUND_TRIP: Duration = Duration::from_millis(400);
const CPU_SLOWDOWN: f64 = 4.0;

/// Marks when the intro's Start button shows, taps it, and marks when the first question shows.
const WATCHER: &str = r#"
new MutationObserver(() => {
  const start = document.querySelector("main button.button, button.button");
  const heading = document.querySelector("h1");
  if (!window.__introAt && start && heading && /views/.test(heading.textContent)) {
    window.__introAt = performance.now();
    start.click();
  }
  const caption = document.querySelector(".caption");
  if (!window.__questionAt && caption && /1/.test(caption.textContent)
      && document.querySelector("input[name=answer]")) {
    window.__questionAt = performance.now();
  }
}).observe(document, { childList: true, subtree: true, characterData: true });
"#;

pub async fn first_load() {
    let runs: usize = std::env::var("FIRST_LOAD_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let dist = std::env::var_os("FIRST_LOAD_DIST").map(std::path::PathBuf::from);
    let app = TestApp::spawn_with(|config| {
        if let Some(dist) = dist.clone() {
            config.static_dir = dist;
        }
    })
    .await;
    let upstream = app.address.trim_start_matches("http://").to_owned();
    let phone = Throttle::start(&upstream).await;
    let sam = survey_staff(&app).await;

    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for run in 1..=runs {
        let browser = Browser::start().await.unwrap();
        cdp(
            &browser,
            "Emulation.setCPUThrottlingRate",
            json!({"rate": CPU_SLOWDOWN}),
        )
        .await;
        cdp(
            &browser,
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": WATCHER }),
        )
        .await;
        let first = timed_visit(&browser, &phone.url(&survey_link(&app, &sam).await)).await;
        // Warm: once the worker has installed (it may take a while on this link), a new link
        // on the same phone.
        soundings_tests::wait::until(
            "the service worker to install",
            Duration::from_secs(120),
            || async { browser.service_worker_registered().await.unwrap_or(false) },
        )
        .await;
        let second = timed_visit(&browser, &phone.url(&survey_link(&app, &sam).await)).await;
        println!(
            "run {run}: cold first text {:.0} ms, first question {:.0} ms; \
             warm first text {:.0} ms, first question {:.0} ms",
            first.0, first.1, second.0, second.1
        );
        cold.push(first);
        warm.push(second);
        browser.close().await.unwrap();
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    for (name, runs) in [("cold", &cold), ("warm", &warm)] {
        println!(
            "{name}: median of {}: first text {:.2} s, first question answerable {:.2} s",
            runs.len(),
            median(runs.iter().map(|r| r.0).collect()) / 1000.0,
            median(runs.iter().map(|r| r.1).collect()) / 1000.0,
        );
    }
}

/// (first contentful paint, first question answerable), in ms from the start of navigation.
async fn timed_visit(browser: &Browser, link: &str) -> (f64, f64) {
    // From a blank page, so that a link to the app's own page is a new document, not a jump
    // within it.
    browser.goto("about:blank").await.unwrap();
    browser.goto(link).await.unwrap();
    let times = browser
        .client
        .execute_async(
            r#"
            const done = arguments[0];
            const check = () => {
              if (window.__questionAt) {
                const paint = performance.getEntriesByName("first-contentful-paint")[0];
                done([paint ? paint.startTime : null, window.__questionAt]);
              } else {
                setTimeout(check, 50);
              }
            };
            check();
            "#,
            vec![],
        )
        .await
        .unwrap();
    (
        times[0].as_f64().unwrap_or(f64::NAN),
        times[1].as_f64().unwrap(),
    )
}

async fn survey_staff(app: &TestApp) -> String {
    let org = app.create_org("Valley Works", "admin@v.example.org").await;
    app.create_staff_direct(org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    app.login("sam@v.example.org").await.access_token
}

/// A path with a new survey link (`/#t=...`) for a new jobseeker.
async fn survey_link(app: &TestApp, sam: &str) -> String {
    let person = body::participant("jobseeker", &format!("p-{}", Uuid::new_v4().simple()));
    let person = id_of(&app.create("/api/participants", sam, &person).await);
    app.create(
        "/api/episodes",
        sam,
        &body::episode(person, "2026-01-05", None),
    )
    .await;
    let invitation = json!({"id": Uuid::new_v4(), "participant_id": person,
                            "instrument": "jobseeker_satisfaction"});
    let invitation = app.create("/api/invitations", sam, &invitation).await;
    format!("/#t={}", invitation["token"].as_str().unwrap())
}

/// A DevTools command for the page, through chromedriver.
async fn cdp(browser: &Browser, cmd: &str, params: Value) {
    browser
        .client
        .issue_cmd(Cdp {
            cmd: cmd.to_owned(),
            params,
        })
        .await
        .unwrap();
}

#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()),
        )
    }
}

/// A slow phone link: every byte each way waits its turn on a shared 400 kbit/s line, then half
/// a round trip; a new connection costs a round trip before its first byte.
struct Throttle {
    port: u16,
}

/// When each direction of the line is next free.
#[derive(Clone)]
struct Line {
    up: Arc<Mutex<Instant>>,
    down: Arc<Mutex<Instant>>,
}

impl Throttle {
    async fn start(upstream: &str) -> Throttle {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let upstream = upstream.to_owned();
        let line = Line {
            up: Arc::new(Mutex::new(Instant::now())),
            down: Arc::new(Mutex::new(Instant::now())),
        };
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (upstream, line) = (upstream.clone(), line.clone());
                tokio::spawn(async move {
                    // The emulated link's handshake, not a wait for something to happen.
                    tokio::time::sleep_until(Instant::now() + ROUND_TRIP).await;
                    if let Ok(server) = TcpStream::connect(&upstream).await {
                        let (client_read, client_write) = client.into_split();
                        let (server_read, server_write) = server.into_split();
                        tokio::join!(
                            pace(client_read, server_write, line.up.clone()),
                            pace(server_read, client_write, line.down.clone()),
                        );
                    }
                });
            }
        });
        Throttle { port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

/// Copies `from` to `to`, each chunk delivered when the line has carried it and half a round
/// trip has passed.
async fn pace(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    line: Arc<Mutex<Instant>>,
) {
    let (send, mut receive) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let reader = async move {
        let mut buf = vec![0u8; 1460];
        loop {
            let n = match from.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let due = {
                let mut free = line.lock().await;
                let start = (*free).max(Instant::now());
                *free = start + Duration::from_secs_f64(n as f64 * 8.0 / BITS_PER_SECOND);
                *free + ROUND_TRIP / 2
            };
            if send.send((due, buf[..n].to_vec())).is_err() {
                break;
            }
        }
    };
    let writer = async move {
        while let Some((due, bytes)) = receive.recv().await {
            tokio::time::sleep_until(due).await;
            if to.write_all(&bytes).await.is_err() {
                break;
            }
        }
        let _ = to.shutdown().await;
    };
    tokio::join!(reader, writer);
}
