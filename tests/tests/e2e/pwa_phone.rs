//! The participant app on a cheap phone (issue 19), in headless Chromium at 360×740 and at
//! 320×568: every page of every survey, standard and Easy Read, in English and Welsh, keeps its
//! primary action on screen, its controls a thumb's size and its text readable; "Larger text"
//! and "High contrast" do what they say; read aloud works with no signal; the app can be
//! installed.

use std::time::Duration;

use serde_json::{Value, json};
use soundings_tests::axe::assert_accessible;
use soundings_tests::browser::{Browser, PHONE, SMALL_PHONE, Screen};
use soundings_tests::wait;

use crate::pwa_participant::{Setup, invite, participant, setup};

/// What a person on this page would find wrong, as sentences; empty when all is well. The page
/// is measured as it opens, before any scrolling.
const LAYOUT_PROBLEMS: &str = r#"
const problems = [];
const vw = innerWidth, vh = innerHeight;
const say = (el) => (el.textContent || el.id || el.tagName).trim().replace(/\s+/g, " ").slice(0, 40);
if (scrollY !== 0) problems.push(`opens ${scrollY}px down the page`);
if (!document.activeElement.matches("h1")) problems.push(`the focus is on ${document.activeElement.tagName}, not the heading`);
const primary = document.querySelector(".actions .button");
if (!primary) {
  problems.push("no primary action");
} else {
  const r = primary.getBoundingClientRect();
  if (r.top < 0 || r.bottom > vh || r.left < 0 || r.right > vw)
    problems.push(`"${say(primary)}" is at ${Math.round(r.top)}–${Math.round(r.bottom)} px, off a ${vh} px screen`);
}
const header = document.querySelector(".masthead").getBoundingClientRect().height;
if (header > 96) problems.push(`the header is ${header} px tall`);
if (document.documentElement.scrollWidth > vw) problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
for (const el of document.querySelectorAll("button, input:not([type=radio]), textarea, select, .radio label")) {
  const r = el.getBoundingClientRect();
  if (r.width <= 1 || r.height <= 1) continue;
  if (r.height < 43.9) problems.push(`"${say(el)}" is ${r.height} px tall`);
  const size = parseFloat(getComputedStyle(el).fontSize);
  if (size < 16) problems.push(`"${say(el)}" has ${size} px text`);
}
const readAloud = document.querySelector(".read-aloud");
if (readAloud && !readAloud.querySelector("svg")) problems.push("read aloud has no drawn icon");
return problems;
"#;

/// The heading and its caption: changes from one page of a survey to the next.
const PAGE: &str = r#"return [document.querySelector(".caption")?.textContent, document.querySelector("h1")?.textContent].join(" | ")"#;

async fn page(b: &Browser) -> String {
    b.eval(PAGE)
        .await
        .unwrap()
        .as_str()
        .unwrap_or("")
        .to_owned()
}

/// Clicks `css` and waits for the next page of the survey.
async fn next_page(b: &Browser, css: &str) -> String {
    let before = page(b).await;
    b.client
        .find(fantoccini::Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait::until("the next page", Duration::from_secs(10), || async {
        let now = page(b).await;
        (now != before && !now.trim_matches([' ', '|']).is_empty()).then_some(now)
    })
    .await
}

/// Waits for the new page's heading to take the focus (pages settle after it), then measures.
async fn layout_problems(b: &Browser, context: &str) -> Vec<String> {
    wait::until(
        "the heading to take the focus",
        Duration::from_secs(10),
        || async { b.focused_is("h1").await.unwrap() },
    )
    .await;
    let found = b.eval(LAYOUT_PROBLEMS).await.unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{context}: {}", p.as_str().unwrap()))
        .collect()
}

/// Walks a whole survey (intro, every question, the comment, check your answers) and measures
/// each page.
async fn walk_survey(
    s: &Setup,
    b: &Browser,
    kind: &str,
    instrument: &str,
    lang: &str,
    easy: bool,
) -> Vec<String> {
    let (p, e) = participant(s, kind, lang, json!({ "easy_read": easy })).await;
    let (_, token, _) = invite(s, p, e, instrument).await;
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();
    b.wait_for_text(".actions .button", "").await.unwrap();
    let format = if easy { "Easy Read" } else { "standard" };
    let at = |page: &str| {
        format!(
            "{}×{} {instrument} {format} {lang} [{page}]",
            b.screen.width, b.screen.height
        )
    };
    let mut problems = layout_problems(b, &at("intro")).await;
    let mut now = next_page(b, ".actions .button").await;
    while b
        .eval("return !!document.getElementById('answer-3')")
        .await
        .unwrap()
        == json!(true)
    {
        problems.extend(layout_problems(b, &at(&now)).await);
        b.click("label[for=answer-3]").await.unwrap();
        now = next_page(b, ".actions .button").await;
    }
    if b.eval("return !!document.getElementById('comment')")
        .await
        .unwrap()
        == json!(true)
    {
        problems.extend(layout_problems(b, &at("comment")).await);
        now = next_page(b, ".actions .button").await;
    }
    assert!(
        b.eval("return !!document.querySelector('.summary-list')")
            .await
            .unwrap()
            == json!(true),
        "{}: expected check your answers, found {now}",
        at("end")
    );
    problems.extend(layout_problems(b, &at("check your answers")).await);
    problems
}

async fn every_survey_fits(screen: Screen) {
    let s = setup().await;
    let admin = s.app.login("admin@v.example.org").await.access_token;
    s.app.record_licence(&admin).await;
    let b = Browser::start_sized(screen).await.unwrap();
    let mut problems = Vec::new();
    for (kind, instrument) in [
        ("jobseeker", "jobseeker_satisfaction"),
        ("employer", "employer_satisfaction"),
        ("jobseeker", "swemwbs"),
    ] {
        for lang in ["en", "cy"] {
            for easy in [false, true] {
                problems.extend(walk_survey(&s, &b, kind, instrument, lang, easy).await);
            }
        }
    }
    b.close().await.unwrap();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[tokio::test]
async fn every_page_of_every_survey_fits_a_360_by_740_phone() {
    every_survey_fits(PHONE).await;
}

#[tokio::test]
async fn every_page_of_every_survey_fits_a_320_by_568_phone() {
    every_survey_fits(SMALL_PHONE).await;
}

/// The computed text size of every visible control, in page order.
const CONTROL_SIZES: &str = r#"
return [...document.querySelectorAll("button, input:not([type=radio]), textarea, .radio label")]
  .filter((el) => el.getBoundingClientRect().height > 1)
  .map((el) => [(el.textContent || el.id).trim().replace(/\s+/g, " ").slice(0, 40), parseFloat(getComputedStyle(el).fontSize)]);
"#;

#[tokio::test]
async fn larger_text_makes_every_control_s_text_at_least_a_quarter_bigger() {
    let s = setup().await;
    let (p, e) = participant(&s, "jobseeker", "en", json!({})).await;
    let (_, token, _) = invite(&s, p, e, "jobseeker_satisfaction").await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();
    b.wait_for_text(".actions .button", "Start").await.unwrap();
    next_page(&b, ".actions .button").await;
    // Read aloud appears once the app knows this phone can speak (clips here): measure after.
    b.wait_for_text("button.read-aloud", "Read").await.unwrap();
    let before = b.eval(CONTROL_SIZES).await.unwrap();
    let larger = b
        .client
        .find(fantoccini::Locator::XPath(
            "//button[contains(., 'Larger text')]",
        ))
        .await
        .unwrap();
    larger.click().await.unwrap();
    wait::until("larger text", Duration::from_secs(5), || async {
        b.eval("return document.documentElement.classList.contains('large-text')")
            .await
            .unwrap()
            == json!(true)
    })
    .await;
    assert_eq!(
        larger.attr("aria-pressed").await.unwrap().as_deref(),
        Some("true")
    );
    let after = b.eval(CONTROL_SIZES).await.unwrap();
    let (before, after) = (before.as_array().unwrap(), after.as_array().unwrap());
    assert!(
        before.len() >= 9,
        "back, read aloud, five answers, continue, skip and the header: {before:?}"
    );
    assert_eq!(before.len(), after.len());
    let mut smaller = Vec::new();
    for (b, a) in before.iter().zip(after) {
        let (name, from, to) = (&b[0], b[1].as_f64().unwrap(), a[1].as_f64().unwrap());
        if to < from * 1.25 - 0.01 {
            smaller.push(format!("{name}: {from} → {to} px"));
        }
    }
    assert!(smaller.is_empty(), "not scaled by 1.25: {smaller:?}");
    b.close().await.unwrap();
}

/// For every element with text of its own: its contrast against what is behind it, the lowest
/// first; and the colours of a few landmarks, to see that the switch changed them.
const CONTRAST: &str = r#"
const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
const lum = ([r, g, b]) => {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
const behind = (el) => {
  for (let e = el; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
  }
  return [255, 255, 255];
};
const ratios = [];
for (const el of document.querySelectorAll("main *, header *")) {
  const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  const r = el.getBoundingClientRect();
  if (!own || r.width <= 1 || r.height <= 1) continue;
  const a = lum(rgb(getComputedStyle(el).color)), b = lum(behind(el));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  ratios.push([Math.round(ratio * 100) / 100, el.tagName + "." + el.className + " " + el.textContent.trim().slice(0, 30)]);
}
ratios.sort((x, y) => x[0] - y[0]);
const style = (css, prop) => getComputedStyle(document.querySelector(css))[prop];
return { lowest: ratios.slice(0, 5), count: ratios.length,
  header: style(".masthead", "backgroundColor"), caption: style(".caption", "color") };
"#;

#[tokio::test]
async fn high_contrast_changes_the_colours_and_keeps_every_text_at_7_to_1() {
    let s = setup().await;
    let (p, e) = participant(&s, "employer", "cy", json!({"easy_read": true})).await;
    let (_, token, _) = invite(&s, p, e, "employer_satisfaction").await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();
    b.wait_for_text(".actions .button", "").await.unwrap();
    next_page(&b, ".actions .button").await;
    let before = b.eval(CONTRAST).await.unwrap();
    b.client
        .find(fantoccini::Locator::Css(
            ".display-settings .toggle:nth-child(2)",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait::until("high contrast", Duration::from_secs(5), || async {
        b.eval("return document.documentElement.classList.contains('high-contrast')")
            .await
            .unwrap()
            == json!(true)
    })
    .await;
    let after = b.eval(CONTRAST).await.unwrap();
    assert_ne!(
        before["header"], after["header"],
        "the header's colour did not change"
    );
    assert_ne!(
        before["caption"], after["caption"],
        "the caption's grey did not change"
    );
    assert_eq!(after["caption"], json!("rgb(0, 0, 0)"));
    assert!(
        after["count"].as_u64().unwrap() >= 10,
        "too few texts measured: {after}"
    );
    let lowest = after["lowest"][0][0].as_f64().unwrap();
    assert!(
        lowest >= 7.0,
        "texts below 7:1 in high contrast: {}",
        after["lowest"]
    );
    b.close().await.unwrap();
}

/// Records, for each clip the page plays, whether its audio arrived (`loadeddata`) or failed.
const WATCH_AUDIO: &str = r#"
const Real = window.Audio;
window.clipsPlayed = [];
window.Audio = function (url) {
  const audio = new Real(url);
  audio.addEventListener("loadeddata", () => window.clipsPlayed.push([url, "played"]));
  audio.addEventListener("error", () => window.clipsPlayed.push([url, "failed"]));
  return audio;
};
return true;
"#;

/// How many Welsh clips the service worker keeps, once it controls the page.
const CLIPS_KEPT: &str = "const name = (await caches.keys()).find((n) => n.startsWith('soundings-clips-')); \
    if (!name || !navigator.serviceWorker.controller) return 0; \
    const keys = await (await caches.open(name)).keys(); \
    return keys.filter((r) => r.url.includes('/clips/cy/')).length;";

#[tokio::test]
async fn read_aloud_plays_clips_kept_when_the_survey_opened_with_the_network_off() {
    let s = setup().await;
    let (p, e) = participant(&s, "jobseeker", "cy", json!({"easy_read": true})).await;
    let (_, token, _) = invite(&s, p, e, "jobseeker_satisfaction").await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();
    b.wait_for_text(".actions .button", "").await.unwrap();
    // The worker keeps the survey's Welsh clips (headless Chromium has no voice) without any of
    // them having been played: once it has started, a second request queued behind the app's
    // answers when the worker has finished.
    wait::until(
        "the worker to start keeping the clips",
        Duration::from_secs(20),
        || async {
            b.eval_async(CLIPS_KEPT)
                .await
                .unwrap()
                .as_u64()
                .unwrap_or(0)
                > 0
        },
    )
    .await;
    b.eval_async(
        "const worker = (await navigator.serviceWorker.ready).active; \
         const channel = new MessageChannel(); \
         const done = new Promise((resolve) => { channel.port1.onmessage = resolve; }); \
         worker.postMessage({ type: 'keep-clips', urls: [] }, [channel.port2]); \
         await done; return true;",
    )
    .await
    .unwrap();
    let kept = b.eval_async(CLIPS_KEPT).await.unwrap().as_u64().unwrap();
    // Title, instruction, five questions standard and Easy Read, five labels each way, the
    // comment prompts: well over twenty texts.
    assert!(kept >= 20, "only {kept} clips kept");
    assert!(
        b.eval("return performance.getEntriesByType('resource').some((e) => e.name.includes('/clips/cy/'))")
            .await
            .unwrap()
            == json!(false),
        "the page itself played a clip"
    );

    s.proxy.cut().await;
    b.eval(WATCH_AUDIO).await.unwrap();
    next_page(&b, ".actions .button").await;
    b.wait_for_text("button.read-aloud", "")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let played = wait::until(
        "the question and its answers read aloud",
        Duration::from_secs(20),
        || async {
            let played = b.eval("return window.clipsPlayed").await.unwrap();
            (played.as_array().is_some_and(|p| p.len() >= 6)).then_some(played)
        },
    )
    .await;
    let failed: Vec<&Value> = played
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p[1] != json!("played"))
        .collect();
    assert!(
        failed.is_empty(),
        "clips that did not play with no signal: {failed:?}"
    );
    b.close().await.unwrap();
}

const NO_HINT: &str = "return !document.querySelector('.install-hint')";
const OFFERED: &str = "return self.soundingsInstallPrompt instanceof BeforeInstallPromptEvent";

#[tokio::test]
async fn the_app_offers_its_own_add_to_home_screen_when_the_browser_can_install_it() {
    let s = setup().await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/")).await.unwrap();
    b.wait_for_text("h1", "").await.unwrap();
    // Installable: a manifest with maskable icons the server serves, opening at the start page.
    let manifest: Value = b
        .eval_async(
            "const link = document.querySelector('link[rel=manifest]').href; \
             const m = await (await fetch(link)).json(); \
             m.served = await Promise.all(m.icons.map(async (i) => (await fetch(i.src)).status)); \
             return m;",
        )
        .await
        .unwrap();
    assert_eq!(manifest["start_url"], json!("/"));
    assert_eq!(manifest["display"], json!("standalone"));
    let maskable: Vec<&Value> = manifest["icons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["purpose"] == json!("maskable"))
        .collect();
    assert!(
        maskable.iter().any(|i| i["sizes"] == json!("512x512")),
        "{manifest}"
    );
    assert!(
        manifest["served"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s == &json!(200)),
        "{manifest}"
    );

    // Chromium offers to install the app (its `beforeinstallprompt`): the app says so in its own
    // words. "Not now" is remembered on the phone.
    b.wait_for_text(".install-hint", "home screen")
        .await
        .unwrap();
    assert_accessible(&b, "start page with the install hint").await;
    b.client
        .find(fantoccini::Locator::Css(".install-hint .link-button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(b.eval(NO_HINT).await.unwrap(), json!(true));
    b.goto(&s.proxy.url("/")).await.unwrap();
    wait::until("the browser's offer", Duration::from_secs(20), || async {
        b.eval(OFFERED).await.unwrap() == json!(true)
    })
    .await;
    assert_eq!(
        b.eval(NO_HINT).await.unwrap(),
        json!(true),
        "dismissed, yet shown again"
    );

    // On another phone (the choice forgotten): "Add to home screen" asks the browser's own question.
    b.eval("localStorage.clear(); return true").await.unwrap();
    b.goto(&s.proxy.url("/")).await.unwrap();
    b.wait_for_text(".install-hint", "home screen")
        .await
        .unwrap();
    b.eval(
        "const ask = BeforeInstallPromptEvent.prototype.prompt; \
         BeforeInstallPromptEvent.prototype.prompt = function () { window.installAsked = true; return ask.call(this); }; \
         return true;",
    )
    .await
    .unwrap();
    b.client
        .find(fantoccini::Locator::Css("#install"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait::until(
        "the browser's install question",
        Duration::from_secs(5),
        || async { b.eval("return window.installAsked === true").await.unwrap() == json!(true) },
    )
    .await;
    assert_eq!(b.eval(NO_HINT).await.unwrap(), json!(true));
    b.close().await.unwrap();
}
