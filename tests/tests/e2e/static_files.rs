//! How the server sends the PWA's files (issue 19): the build's brotli or gzip copy by
//! `Accept-Encoding`, content-hashed files cached for a year, the page, manifest and worker
//! revalidated; and what a survey's first load costs a phone, measured through the real server
//! in a real browser.

use reqwest::StatusCode;
use serde_json::json;
use soundings_tests::browser::{Browser, WAIT};
use soundings_tests::proxy::Proxy;
use soundings_tests::wait;
use soundings_tests::{TestApp, body, id_of, static_dir};
use uuid::Uuid;

/// What a survey's first load should send at most (issue 19): everything until the first
/// question can be answered, as the server sends it to a browser that takes brotli.
const FIRST_LOAD_TARGET: u64 = 160 * 1024;
/// What it may send today, which the check enforces: the build of 2026-12-04, once the pages
/// after the questions and those a survey link never shows were cut into chunks fetched later
/// (195.5 KB with the icons as palette PNGs, the wasm 159 KB of it; 230.8 KB before), and ~2%
/// to spare, so the first load cannot grow while the wasm is being made smaller. Lower it to
/// `FIRST_LOAD_TARGET` when the build gets there (docs/performance.md).
const FIRST_LOAD_LIMIT: u64 = 200 * 1024;
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn require_build() {
    assert!(
        static_dir().join("index.html").is_file(),
        "the PWA is not built: run scripts/build-frontend (scripts/test does)"
    );
}

/// The same-origin files a page names in `src="/..."` and `href="/..."`.
fn named_files(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["src=\"/", "href=\"/"] {
        for (at, _) in html.match_indices(attribute) {
            let rest = &html[at + attribute.len() - 1..];
            if let Some(end) = rest.find('"') {
                found.push(rest[..end].to_owned());
            }
        }
    }
    found
}

async fn get(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> reqwest::Response {
    let mut request = app.http.get(app.url(path));
    if let Some(value) = accept_encoding {
        request = request.header("accept-encoding", value);
    }
    request.send().await.unwrap()
}

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_default()
}

#[tokio::test]
async fn hashed_files_are_sent_as_the_build_compressed_them_and_kept_for_a_year() {
    require_build();
    let app = TestApp::spawn().await;
    let page = get(&app, "/", None).await.text().await.unwrap();
    let files: Vec<String> = named_files(&page)
        .into_iter()
        .filter(|p| !p.ends_with(".webmanifest"))
        .collect();
    for wanted in [
        "/boot.",
        "/app.",
        "/pkg/soundings_frontend.",
        "/pkg/soundings_frontend_bg.",
    ] {
        assert!(
            files.iter().any(|f| f.starts_with(wanted)),
            "the page loads no {wanted}*: {files:?}"
        );
    }
    for path in &files {
        let on_disk = static_dir().join(path.trim_start_matches('/'));
        let ext = path.rsplit('.').next().unwrap();
        let content_type = match ext {
            "js" => "text/javascript",
            "css" => "text/css",
            "wasm" => "application/wasm",
            "png" => "image/png",
            other => panic!("unexpected file type {other} in {path}"),
        };
        let compressed = ext != "png";
        for (accepts, encoding, suffix) in [
            ("gzip, deflate, br, zstd", "br", ".br"),
            ("br, gzip", "br", ".br"),
            ("gzip", "gzip", ".gz"),
            ("identity", "", ""),
        ] {
            let res = get(&app, path, Some(accepts)).await;
            assert_eq!(res.status(), 200, "{path} ({accepts})");
            assert_eq!(header(&res, "cache-control"), IMMUTABLE, "{path}");
            assert!(
                header(&res, "content-type").starts_with(content_type),
                "{path}: {}",
                header(&res, "content-type")
            );
            if !compressed {
                assert_eq!(header(&res, "content-encoding"), "", "{path} ({accepts})");
                continue;
            }
            assert_eq!(
                header(&res, "content-encoding"),
                encoding,
                "{path} ({accepts})"
            );
            assert_eq!(
                header(&res, "vary"),
                "accept-encoding",
                "{path} ({accepts})"
            );
            // Byte for byte the build's own file: compressed once at build time, not per request.
            let mut file = on_disk.clone().into_os_string();
            file.push(suffix);
            let want = std::fs::read(&file).unwrap();
            assert!(res.bytes().await.unwrap() == want, "{path} ({accepts})");
        }
    }
}

#[tokio::test]
async fn the_page_the_manifest_and_the_worker_are_revalidated_on_every_use() {
    require_build();
    let app = TestApp::spawn().await;
    for (path, content_type) in [
        ("/", "text/html"),
        ("/survey/abc", "text/html"),
        ("/staff/clients", "text/html"),
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/sw.js", "text/javascript"),
    ] {
        let res = get(&app, path, Some("br, gzip")).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(header(&res, "cache-control"), "no-cache", "{path}");
        assert_eq!(header(&res, "content-encoding"), "br", "{path}");
        assert_eq!(header(&res, "vary"), "accept-encoding", "{path}");
        assert!(
            header(&res, "content-type").starts_with(content_type),
            "{path}: {}",
            header(&res, "content-type")
        );
        // Revalidating an unchanged file costs no body.
        let etag = header(&res, "etag").to_owned();
        assert!(!etag.is_empty(), "{path} has no ETag");
        let again = app
            .http
            .get(app.url(path))
            .header("accept-encoding", "br, gzip")
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
    }
    // The staff app's client routes get the staff page.
    let staff = get(&app, "/staff/clients", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(staff.contains("Soundings for staff"), "{staff}");
}

#[tokio::test]
async fn the_page_has_text_before_the_app_runs_and_says_what_to_do_without_javascript() {
    require_build();
    let app = TestApp::spawn().await;
    let page = get(&app, "/", None).await.text().await.unwrap();
    for text in [
        "Loading Soundings",
        "Yn llwytho Soundings",
        "<noscript>",
        "Soundings needs JavaScript. Please turn it on, or use a different browser.",
    ] {
        assert!(page.contains(text), "the page lacks {text:?}: {page}");
    }
}

#[tokio::test]
async fn a_missing_file_is_not_found_rather_than_the_page() {
    require_build();
    let app = TestApp::spawn().await;
    for path in [
        "/boot.0000000000000000.js",
        "/pkg/nothing.wasm",
        "/../Cargo.toml",
        "/.hidden",
    ] {
        let res = get(&app, path, Some("br, gzip")).await;
        assert_eq!(res.status(), 404, "{path}");
        assert!(
            !header(&res, "content-type").starts_with("text/html"),
            "{path} came back as a page"
        );
    }
    let res = app
        .http
        .post(app.url("/index.html"))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
}

/// A survey link for a new jobseeker, through the proxy; and the proxy.
async fn survey_link(app: &TestApp) -> (Proxy, String) {
    let (proxy, mut links) = survey_links(app, 1).await;
    (proxy, links.remove(0))
}

/// `count` survey links, each for a new jobseeker of one organisation, through one proxy.
async fn survey_links(app: &TestApp, count: usize) -> (Proxy, Vec<String>) {
    let org = app.create_org("Valley Works", "admin@v.example.org").await;
    app.create_staff_direct(org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let sam = app.login("sam@v.example.org").await.access_token;
    let upstream = app.address.trim_start_matches("http://").to_owned();
    let proxy = Proxy::start(&upstream).await.unwrap();
    let mut links = Vec::new();
    for _ in 0..count {
        let person = body::participant("jobseeker", &format!("p-{}", Uuid::new_v4().simple()));
        let person = id_of(&app.create("/api/participants", &sam, &person).await);
        let episode = body::episode(person, "2026-01-05", None);
        app.create("/api/episodes", &sam, &episode).await;
        let invitation = json!({"id": Uuid::new_v4(), "participant_id": person,
                                "instrument": "jobseeker_satisfaction"});
        let invitation = app.create("/api/invitations", &sam, &invitation).await;
        let token = invitation["token"].as_str().unwrap();
        links.push(proxy.url(&format!("/#t={token}")));
    }
    (proxy, links)
}

/// Opens the link and goes on to the first question, as a person would.
async fn open_first_question(browser: &Browser, link: &str) {
    browser.goto(link).await.unwrap();
    browser
        .wait_for_text("h1", "Your views on our support")
        .await
        .unwrap();
    browser
        .client
        .find(fantoccini::Locator::Css("button.button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_for_text(".caption", "Question 1 of")
        .await
        .unwrap();
}

/// The paths of the page and of everything it fetched, each once, in order, from the browser's
/// own timing entries.
async fn what_the_page_fetched(browser: &Browser) -> Vec<String> {
    let entries = browser
        .eval(
            "return [...performance.getEntriesByType('navigation'), \
                     ...performance.getEntriesByType('resource')] \
               .map((e) => new URL(e.name).pathname)",
        )
        .await
        .unwrap();
    let mut paths: Vec<String> = Vec::new();
    for path in entries.as_array().unwrap() {
        let path = path.as_str().unwrap().to_owned();
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
    paths
}

/// The path a request line asks for.
fn path_of(line: &str) -> &str {
    let target = line.split(' ').nth(1).unwrap_or_default();
    target.split('?').next().unwrap_or_default()
}

/// The pages after the questions and those a survey link does not need, cut out of the main
/// wasm (frontend/src/later.rs): the first question opens without them
/// (`pwa_participant::a_page_the_phone_could_not_fetch_says_so_and_comes_with_try_again`).
fn is_later_page(path: &str) -> bool {
    path.strip_prefix("/pkg/")
        .is_some_and(|file| file.starts_with("split_") || file.starts_with("chunk_"))
}

/// The size check (`scripts/check-size` runs this alone and shows its table): what the server
/// sends a phone from opening a survey link until the first question can be answered: the page
/// and every request it makes, headers included, counted at the proxy between Chromium (which
/// asks for `gzip, deflate, br, zstd`, so gets brotli) and the real server. The service worker's
/// own downloads are listed after it, not counted: the question does not wait for them.
#[tokio::test]
async fn a_survey_s_first_load_stays_within_its_limit() {
    require_build();
    let app = TestApp::spawn().await;
    let (proxy, link) = survey_link(&app).await;
    let browser = Browser::start().await.unwrap();
    open_first_question(&browser, &link).await;
    let page = what_the_page_fetched(&browser).await;
    // Let the worker finish too, to show what it costs.
    browser.service_worker_registered().await.unwrap();
    browser.close().await.unwrap();

    let requests = proxy.requests();
    let mut counted = vec![false; requests.len()];
    for path in page.iter().filter(|path| !is_later_page(path)) {
        if let Some(i) = requests.iter().position(|(line, _)| path_of(line) == path) {
            counted[i] = true;
        }
    }
    let mut table = format!(
        "A survey's first load, bytes from the server (headers included):\n{:>9}  request\n",
        "bytes"
    );
    let mut total = 0;
    for ((line, bytes), _) in requests.iter().zip(&counted).filter(|(_, c)| **c) {
        table.push_str(&format!("{bytes:>9}  {line}\n"));
        total += bytes;
    }
    table.push_str(&format!(
        "{total:>9}  in all: {:.1} KB (the limit is {} KB, the target {} KB: {})\n\
         Then the later pages and the service worker (the first question waits for none):\n",
        total as f64 / 1024.0,
        FIRST_LOAD_LIMIT / 1024,
        FIRST_LOAD_TARGET / 1024,
        if total as u64 <= FIRST_LOAD_TARGET {
            "met"
        } else {
            "NOT met"
        }
    ));
    for ((line, bytes), _) in requests.iter().zip(&counted).filter(|(_, c)| !**c) {
        table.push_str(&format!("{bytes:>9}  {line}\n"));
    }
    println!("{table}");
    assert!(
        page.iter().any(|p| p.ends_with(".wasm")),
        "the app's wasm is not among what the page fetched:\n{table}"
    );
    assert!(
        total as u64 <= FIRST_LOAD_LIMIT,
        "a survey's first load sends more than {} KB:\n{table}",
        FIRST_LOAD_LIMIT / 1024
    );
}

/// `boot.js` opens a link's invitation while the app downloads, and the app takes that answer:
/// the invitation is opened once, not once by each.
#[tokio::test]
async fn a_survey_link_opens_its_invitation_once() {
    require_build();
    let app = TestApp::spawn().await;
    let (proxy, link) = survey_link(&app).await;
    let browser = Browser::start().await.unwrap();
    open_first_question(&browser, &link).await;
    browser.close().await.unwrap();
    let opens: Vec<String> = proxy
        .requests()
        .into_iter()
        .map(|(line, _)| line)
        .filter(|line| line.starts_with("POST /api/invitations/open "))
        .collect();
    assert_eq!(opens.len(), 1, "{opens:?}");
}

/// A phone that has opened Soundings before opens the next survey link from its service worker:
/// the page and every file it loads come from the worker's cache at once, so nothing but the
/// survey and the app's check for a signal (and the browser's check for a new `sw.js`, and the
/// read-aloud clips the worker keeps in the background) go to the server before the first
/// question.
#[tokio::test]
async fn a_returning_phone_opens_the_next_survey_without_asking_for_the_page() {
    require_build();
    let app = TestApp::spawn().await;
    let (proxy, links) = survey_links(&app, 2).await;
    let browser = Browser::start().await.unwrap();
    open_first_question(&browser, &links[0]).await;
    assert!(browser.service_worker_registered().await.unwrap());
    browser.goto("about:blank").await.unwrap();
    let before = proxy.requests().len();
    open_first_question(&browser, &links[1]).await;
    browser.close().await.unwrap();

    let second: Vec<String> = proxy.requests()[before..]
        .iter()
        .map(|(line, _)| line.clone())
        .collect();
    let from_the_server: Vec<&String> = second
        .iter()
        .filter(|line| {
            let path = path_of(line);
            let server_data = path.starts_with("/api/") || path.starts_with("/health/");
            !(server_data || path.starts_with("/clips/") || path == "/sw.js")
        })
        .collect();
    assert!(
        from_the_server.is_empty(),
        "the second visit asked the server for the page or its files: {second:#?}"
    );
    let opens = second
        .iter()
        .filter(|line| line.starts_with("POST /api/invitations/open "))
        .count();
    assert_eq!(
        opens, 1,
        "the second survey was not opened once: {second:#?}"
    );
}

/// A release reaches a phone that has the app: the browser finds the changed `sw.js`, the new
/// build's worker installs and takes over, and the next link opens with it. The build before
/// keeps its files until the release after (a page of it may still be open and ask for them);
/// older builds are deleted, so a phone holds at most two.
#[tokio::test]
async fn a_release_installs_in_the_background_and_keeps_only_the_build_before() {
    require_build();
    // The server serves a copy of the build, which the test then "releases" again.
    let dist = tempfile::tempdir().unwrap();
    let copied = std::process::Command::new("cp")
        .arg("-R")
        .arg(static_dir().join("."))
        .arg(dist.path())
        .status()
        .unwrap();
    assert!(copied.success());
    let served = dist.path().to_owned();
    let app = TestApp::spawn_with(|c| c.static_dir = served).await;
    let (_proxy, links) = survey_links(&app, 3).await;
    let worker = dist.path().join("sw.js");
    let first = build_id(&std::fs::read_to_string(&worker).unwrap());
    let browser = Browser::start().await.unwrap();
    open_first_question(&browser, &links[0]).await;
    assert!(browser.service_worker_registered().await.unwrap());
    assert_eq!(
        shell_caches(&browser).await,
        [format!("soundings-shell-{first}")]
    );

    let mut builds = vec![first];
    for (release, link) in links[1..].iter().enumerate() {
        let old = std::fs::read_to_string(&worker).unwrap();
        let id = format!("{}r{release}", builds[0]);
        std::fs::write(&worker, old.replace(builds.last().unwrap(), &id)).unwrap();
        // The build's compressed copies would still be the old worker.
        for compressed in ["sw.js.br", "sw.js.gz"] {
            let _ = std::fs::remove_file(dist.path().join(compressed));
        }
        builds.push(id);
        // The browser looks for a new worker on each visit; asked here so the test need not
        // wait for its own timing.
        browser
            .eval_async(
                "await (await navigator.serviceWorker.getRegistration()).update(); return true",
            )
            .await
            .unwrap();
        let current = format!("soundings-shell-{}", builds.last().unwrap());
        wait::until("the new build's worker to take over", WAIT, || async {
            let answer = browser
                .eval_async(
                    "const r = await navigator.serviceWorker.getRegistration(); \
                     return !r.installing && !r.waiting && r.active.state === 'activated'",
                )
                .await
                .unwrap();
            let caches = shell_caches(&browser).await;
            (answer == json!(true) && caches.contains(&current)).then_some(())
        })
        .await;
        // The next link opens with the new build.
        browser.goto("about:blank").await.unwrap();
        open_first_question(&browser, link).await;
        let kept: Vec<String> = builds
            .iter()
            .rev()
            .take(2)
            .rev()
            .map(|id| format!("soundings-shell-{id}"))
            .collect();
        assert_eq!(
            shell_caches(&browser).await,
            kept,
            "after release {release}"
        );
    }
    browser.close().await.unwrap();
}

/// The build id `scripts/build-frontend` wrote into a built `sw.js`.
fn build_id(worker: &str) -> String {
    let start = worker.find("const BUILD_ID = \"").unwrap() + "const BUILD_ID = \"".len();
    worker[start..].split('"').next().unwrap().to_owned()
}

/// The names of the app's shell caches on this browser, oldest first.
async fn shell_caches(browser: &Browser) -> Vec<String> {
    let names = browser
        .eval_async("return (await caches.keys()).filter((n) => n.startsWith('soundings-shell-'))")
        .await
        .unwrap();
    serde_json::from_value(names).unwrap()
}

/// The service worker installs from what the page has just downloaded: a first visit asks the
/// server for each hashed file once, however the worker and the page interleave. What the
/// worker's script imports (`importScripts`) Chromium asks again for a new worker, whatever the
/// caching headers or `updateViaCache` say, but only to revalidate it: a bodiless 304.
#[tokio::test]
async fn the_service_worker_downloads_nothing_the_page_already_has() {
    require_build();
    let app = TestApp::spawn().await;
    let (proxy, link) = survey_link(&app).await;
    let browser = Browser::start().await.unwrap();
    open_first_question(&browser, &link).await;
    assert!(browser.service_worker_registered().await.unwrap());
    let page = what_the_page_fetched(&browser).await;
    browser.close().await.unwrap();

    let worker = std::fs::read_to_string(static_dir().join("sw.js")).unwrap();
    let imported: Vec<&str> = worker
        .match_indices("importScripts(\"")
        .filter_map(|(at, call)| worker[at + call.len()..].split('"').next())
        .collect();
    assert!(!imported.is_empty(), "sw.js imports nothing?");
    let requests = proxy.requests();
    let answers = |path: &str| -> Vec<usize> {
        requests
            .iter()
            .filter(|(line, _)| path_of(line) == path)
            .map(|(_, bytes)| *bytes)
            .collect()
    };
    let hashed: Vec<&String> = page
        .iter()
        .filter(|path| path.matches('.').count() >= 2)
        .collect();
    assert!(hashed.len() >= 5, "too few hashed files: {page:?}");
    for path in hashed {
        let answers = answers(path);
        let most = if imported.contains(&path.as_str()) {
            2
        } else {
            1
        };
        assert!(
            !answers.is_empty() && answers.len() <= most,
            "{path} was asked for {} times: {requests:#?}",
            answers.len()
        );
        assert!(
            answers[1..].iter().all(|bytes| *bytes < REVALIDATED),
            "{path} was sent again: {requests:#?}"
        );
    }
    // The page itself is revalidated by the worker, not sent again.
    let pages = answers("/");
    assert_eq!(pages.len(), 2, "{requests:#?}");
    assert!(
        pages[1] < REVALIDATED,
        "the page was sent again: {requests:#?}"
    );
}

/// More than any bodiless answer (a 304 with our headers is ~800 bytes).
const REVALIDATED: usize = 1000;
