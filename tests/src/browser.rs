//! A real headless Chromium for end-to-end tests, driven through chromedriver with fantoccini.
//! Each `Browser` has its own chromedriver on a free port and a fresh profile, so tests run in
//! parallel and never share cookies, storage or service workers.
//!
//! Chromium stays off the network except for the pages a test opens (background-networking
//! flags; this machine has no internet and Chromium would keep retrying). Set `CHROME_BIN` or
//! `CHROMEDRIVER` to use other binaries, and `TEST_LOG` to see chromedriver's output.

use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::wait;

/// How long `wait_for_text` and `service_worker_registered` keep trying.
pub const WAIT: Duration = Duration::from_secs(10);
/// How long chromedriver gets to start listening (it is usually ready in ~50 ms).
const DRIVER_START: Duration = Duration::from_secs(10);

/// The screen a browser emulates, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Screen {
    pub width: u32,
    pub height: u32,
    pub pixel_ratio: f64,
}

/// A small Android phone: the default, and what pages must work on in the field.
pub const PHONE: Screen = Screen {
    width: 360,
    height: 740,
    pixel_ratio: 2.0,
};

/// The smallest phone still in use (an iPhone SE's 320×568): what every page must still fit.
pub const SMALL_PHONE: Screen = Screen {
    width: 320,
    height: 568,
    pixel_ratio: 2.0,
};

/// A tablet in portrait (an iPad Air's 820×1180), as a manager might read the dashboard on.
pub const TABLET: Screen = Screen {
    width: 820,
    height: 1180,
    pixel_ratio: 1.0,
};

/// A page's outbox once every flush asked for so far has finished
/// ([`Browser::outbox_after_flushes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxAfterFlushes {
    /// Records waiting to be sent, whoever made them.
    pub waiting: u64,
    /// The status of each of the asked-for owner's records (`waiting`, `refused`, `conflict`).
    pub statuses: Vec<String>,
}

pub struct Browser {
    pub client: Client,
    /// The screen this browser emulates.
    pub screen: Screen,
    driver: Child,
    driver_port: u16,
    session_id: Option<String>,
    /// Chromium's profile; deleted when the browser is dropped, after Chromium has quit.
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session with a fresh profile, with a small
    /// phone's screen (360×740).
    pub async fn start() -> anyhow::Result<Browser> {
        Browser::start_sized(PHONE).await
    }

    /// Like [`Browser::start`] with another screen, e.g. [`TABLET`]. The size is emulated from
    /// the start (headless Chromium ignores WebDriver window resizing below 500 px and does not
    /// reflow reliably after it), so each size is its own browser.
    pub async fn start_sized(screen: Screen) -> anyhow::Result<Browser> {
        let profile = tempfile::Builder::new()
            .prefix("soundings-chromium-")
            .tempdir()
            .context("creating a Chromium profile directory")?;
        // The free port is found by binding and releasing it, so another process can take it
        // in between; chromedriver then exits at once and we try another port.
        let mut last_error = anyhow!("chromedriver was not started");
        for _ in 0..3 {
            let port = free_port()?;
            let mut driver = spawn_driver(port)?;
            match wait_until_ready(&mut driver, port).await {
                Ok(()) => return connect(driver, port, profile, screen).await,
                Err(error) => {
                    stop_driver(&mut driver);
                    last_error = error;
                }
            }
        }
        Err(last_error)
    }

    /// Ends the session (Chromium quits) and stops chromedriver. Prefer this to dropping.
    pub async fn close(mut self) -> anyhow::Result<()> {
        let client = self.client.clone();
        // Set first so that Drop does not end the session a second time.
        self.session_id = None;
        let closed = client.close().await.context("closing the browser session");
        stop_driver(&mut self.driver);
        closed
    }

    pub async fn goto(&self, url: &str) -> anyhow::Result<()> {
        self.client
            .goto(url)
            .await
            .with_context(|| format!("opening {url}"))
    }

    /// Waits until an element matching `css` contains `text`, and returns it. On timeout the
    /// error lists what the matching elements did contain, which is usually the whole story.
    pub async fn wait_for_text(
        &self,
        css: &str,
        text: &str,
    ) -> anyhow::Result<fantoccini::elements::Element> {
        let found = wait::within(WAIT, || async {
            let mut seen = Vec::new();
            // Elements can be replaced between finding and reading them (a re-render); that
            // is just another reason to look again.
            if let Ok(elements) = self.client.find_all(Locator::Css(css)).await {
                for element in elements {
                    if let Ok(content) = element.text().await {
                        if content.contains(text) {
                            return Ok(element);
                        }
                        seen.push(content);
                    }
                }
            }
            Err(seen)
        })
        .await;
        match found {
            Ok(element) => Ok(element),
            Err(seen) => {
                let url = self.client.current_url().await.map(String::from);
                bail!(
                    "no {css:?} contained {text:?} within {WAIT:?} on {}; saw {seen:?}",
                    url.unwrap_or_else(|e| format!("(unknown page: {e})"))
                )
            }
        }
    }

    /// Whether the page has an active service worker within `WAIT`: true once the worker has
    /// installed (precached the shell) and activated, which is when the app works offline.
    pub async fn service_worker_registered(&self) -> anyhow::Result<bool> {
        let script = r#"
            const [timeoutMs, done] = arguments;
            if (!("serviceWorker" in navigator)) { done(false); return; }
            const timer = setTimeout(() => done(false), timeoutMs);
            navigator.serviceWorker.ready.then(
                () => { clearTimeout(timer); done(true); },
                () => { clearTimeout(timer); done(false); },
            );
        "#;
        let answer = self
            .client
            .execute_async(script, vec![json!(WAIT.as_secs_f64() * 1000.0)])
            .await
            .context("asking the page for its service worker")?;
        answer
            .as_bool()
            .ok_or_else(|| anyhow!("unexpected answer about the service worker: {answer}"))
    }

    /// What the page's outbox (IndexedDB) holds, read under the outbox's own Web Lock
    /// (`soundings-outbox`, as `frontend/public/outbox-core.js` takes it for every flush): so
    /// the answer comes only once every flush asked for before this call (by the page, a
    /// button or the service worker) has finished. A test that must show a sync sent nothing
    /// more waits on this instead of waiting for time.
    pub async fn outbox_after_flushes(
        &self,
        owner: Option<&str>,
    ) -> anyhow::Result<OutboxAfterFlushes> {
        let script = r#"
            const [owner, done] = arguments;
            const outbox = self.soundingsOutbox;
            if (!outbox || !(navigator.locks && navigator.locks.request)) {
                done({ error: "the page has no outbox or no Web Locks" });
                return;
            }
            navigator.locks.request("soundings-outbox", async () => ({
                waiting: (await outbox.summary(null)).waiting,
                statuses: owner == null ? [] : (await outbox.list(owner)).map((r) => r.status),
            })).then(done, (e) => done({ error: String(e) }));
        "#;
        let answer = self
            .client
            .execute_async(script, vec![json!(owner)])
            .await
            .context("reading the page's outbox")?;
        if let Some(error) = answer["error"].as_str() {
            bail!("reading the page's outbox: {error}");
        }
        Ok(OutboxAfterFlushes {
            waiting: answer["waiting"]
                .as_u64()
                .ok_or_else(|| anyhow!("unexpected outbox summary: {answer}"))?,
            statuses: serde_json::from_value(answer["statuses"].clone())
                .with_context(|| format!("unexpected outbox list: {answer}"))?,
        })
    }

    /// Who holds and who waits for the page's Web Locks (`navigator.locks.query()`), with the
    /// client id of each and the page's own: for a test to say what kept the outbox locked.
    pub async fn locks_report(&self) -> String {
        let script = r#"
            const done = arguments[arguments.length - 1];
            if (!(navigator.locks && navigator.locks.query)) { done("no Web Locks"); return; }
            navigator.locks.query().then(
                (q) => done(JSON.stringify({
                    held: q.held, pending: q.pending,
                    worker: navigator.serviceWorker && navigator.serviceWorker.controller
                        ? navigator.serviceWorker.controller.state : null,
                })),
                (e) => done("query failed: " + e),
            );
        "#;
        match self.client.execute_async(script, vec![]).await {
            Ok(v) => v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            Err(e) => format!("locks not read: {e}"),
        }
    }

    /// Errors the page logged since the last call (Chromium hands each entry out once):
    /// uncaught exceptions, `console.error` (a Rust panic arrives this way) and failed loads
    /// (a 404, or a refused connection while a test has the server stopped).
    pub async fn console_errors(&self) -> anyhow::Result<Vec<String>> {
        let entries = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .context("reading the browser console log")?;
        let entries = entries
            .as_array()
            .ok_or_else(|| anyhow!("unexpected browser log: {entries}"))?;
        Ok(entries
            .iter()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| match entry["message"].as_str() {
                Some(message) => message.to_owned(),
                None => entry.to_string(),
            })
            .collect())
    }
}

impl Drop for Browser {
    /// A test that fails before `close()` still must not leave Chromium running: chromedriver
    /// only quits the browser when the session is ended, so end it first (blocking, but brief
    /// and local), then stop chromedriver.
    fn drop(&mut self) {
        if let Some(session_id) = self.session_id.take() {
            delete_session(self.driver_port, &session_id);
        }
        stop_driver(&mut self.driver);
    }
}

fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

fn spawn_driver(port: u16) -> anyhow::Result<Child> {
    let program = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let output = || {
        if std::env::var_os("TEST_LOG").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        }
    };
    Command::new(&program)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(output())
        .stderr(output())
        .spawn()
        .with_context(|| format!("starting {program} (apt-get install chromium-driver)"))
}

fn stop_driver(driver: &mut Child) {
    // Already gone is fine: there is nothing left to stop.
    let _ = driver.kill();
    let _ = driver.wait();
}

/// Waits for chromedriver's `/status` to report ready, failing fast if it exits.
async fn wait_until_ready(driver: &mut Child, port: u16) -> anyhow::Result<()> {
    let ready = wait::within(DRIVER_START, || {
        let exited = driver.try_wait();
        async move {
            match exited {
                Ok(Some(status)) => {
                    return Some(Err(anyhow!(
                        "chromedriver exited at start with {status} (port {port} taken?)"
                    )));
                }
                Err(error) => return Some(Err(anyhow!(error).context("checking on chromedriver"))),
                Ok(None) => {}
            }
            let status = tokio::task::spawn_blocking(move || local_request(port, "GET", "/status"))
                .await
                .map_err(anyhow::Error::from);
            match status {
                Err(error) => Some(Err(error)),
                Ok(Ok(body))
                    if serde_json::from_str::<Value>(&body)
                        .is_ok_and(|status| status["value"]["ready"] == true) =>
                {
                    Some(Ok(()))
                }
                Ok(_) => None,
            }
        }
    })
    .await;
    match ready {
        Ok(outcome) => outcome,
        Err(_) => {
            bail!("chromedriver did not become ready on port {port} within {DRIVER_START:?}")
        }
    }
}

async fn connect(
    mut driver: Child,
    port: u16,
    profile: tempfile::TempDir,
    screen: Screen,
) -> anyhow::Result<Browser> {
    // Until the Browser exists its Drop cannot help, so a failed session stops chromedriver
    // here.
    let client = match ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities(&profile, screen))
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
    {
        Ok(client) => client,
        Err(error) => {
            stop_driver(&mut driver);
            return Err(error).context("starting a Chromium session");
        }
    };
    let session_id = client.session_id().await.ok().flatten();
    Ok(Browser {
        client,
        screen,
        driver,
        driver_port: port,
        session_id,
        _profile: profile,
    })
}

fn capabilities(profile: &tempfile::TempDir, screen: Screen) -> Capabilities {
    let binary = std::env::var("CHROME_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let args = [
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // A fake microphone (a tone) that needs no permission prompt: voice comments can be
        // recorded in a test as on a phone.
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        // Read-aloud clips and recordings play without a person having tapped first.
        "--autoplay-policy=no-user-gesture-required",
    ]
    .into_iter()
    .map(String::from)
    .chain([
        format!("--user-data-dir={}", profile.path().display()),
        format!("--window-size={},{}", screen.width, screen.height),
    ])
    .collect::<Vec<_>>();
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": binary,
            "args": args,
            // Headless Chromium will not make a window narrower than 500 px; emulating the
            // screen gives pages the viewport asked for (by default a small Android phone's
            // 360 px, which pages will meet in the field).
            "mobileEmulation": {
                "deviceMetrics": {
                    "width": screen.width,
                    "height": screen.height,
                    "pixelRatio": screen.pixel_ratio,
                },
            },
        },
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    match capabilities {
        Value::Object(map) => map,
        _ => Capabilities::new(),
    }
}

/// Ends a session without the async client, for `Drop`. Best effort: if it fails, killing
/// chromedriver is all that is left to do. Waiting for the answer waits until chromedriver
/// has quit Chromium.
fn delete_session(port: u16, session_id: &str) {
    let _ = local_request(port, "DELETE", &format!("/session/{session_id}"));
}

/// One bodiless request to chromedriver, without an HTTP client dependency. Hand-rolled with
/// care: chromedriver answers `Connection: close` but keeps the socket open, so the body is
/// read by its Content-Length, and every step has a timeout.
fn local_request(port: u16, method: &str, path: &str) -> anyhow::Result<String> {
    const TIMEOUT: Duration = Duration::from_secs(10);
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&address, TIMEOUT)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\r\n"
    )?;
    let mut response = Vec::new();
    let mut chunk = [0; 4096];
    loop {
        if let Some(head_end) = response.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&response[..head_end]);
            let length = head
                .lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
                .and_then(|(_, value)| value.trim().parse::<usize>().ok())
                .ok_or_else(|| anyhow!("chromedriver answered without a Content-Length"))?;
            let body = head_end + 4;
            if response.len() >= body + length {
                return Ok(String::from_utf8_lossy(&response[body..body + length]).into_owned());
            }
        }
        let read = stream.read(&mut chunk)?;
        if read == 0 {
            bail!("chromedriver closed the connection mid-answer");
        }
        response.extend_from_slice(&chunk[..read]);
    }
}

/// Chromium's console log, which chromedriver serves outside the W3C standard.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}
