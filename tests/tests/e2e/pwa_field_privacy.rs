//! A specialist's phone may be shared or lost (DESIGN §6, §8; issue 20): what it keeps of people
//! (the outbox, drafts, the cached caseload) is encrypted at rest with a key that cannot be read
//! out, logging out leaves nothing of the last person, and a backup file of what waits is
//! encrypted with a passphrase and loads back without doubling anything.

use std::time::Duration;

use serde_json::{Value, json};
use soundings_tests::browser::Browser;
use soundings_tests::wait;
use uuid::Uuid;

use crate::pwa_field::waiting_is;
use crate::pwa_staff::{
    Setup, add_client, assert_accessible, click, fill, heading, log_in, participants_named,
    ready_for_the_field, record_session, setup, specialist_in_the_field, wait_rows,
};

/// Everything the page's origin keeps: every IndexedDB database (each store's keys and values)
/// and `localStorage`, as text, with encrypted bytes decoded as if they were text (so anything
/// kept in clear shows) and Blobs read out; and every CryptoKey found, with whether it can be
/// exported.
async fn everything_stored(b: &Browser) -> (String, Vec<Value>) {
    let dump = b
        .eval_async(
            r#"
            const keys = [];
            const parts = [];
            const flat = async (v) => {
                if (v instanceof CryptoKey) {
                    keys.push({ extractable: v.extractable, algorithm: v.algorithm.name });
                    return "[CryptoKey]";
                }
                if (v instanceof Blob) return await v.text();
                if (v instanceof ArrayBuffer) return new TextDecoder().decode(v);
                if (ArrayBuffer.isView(v)) return new TextDecoder().decode(v);
                if (Array.isArray(v)) return (await Promise.all(v.map(flat))).join(" ");
                if (v && typeof v === "object") {
                    const out = [];
                    for (const [k, x] of Object.entries(v)) out.push(k + "=" + (await flat(x)));
                    return "{" + out.join(" ") + "}";
                }
                return String(v);
            };
            const req = (r) => new Promise((ok, no) => { r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
            for (const { name } of await indexedDB.databases()) {
                const db = await req(indexedDB.open(name));
                for (const store of db.objectStoreNames) {
                    const tx = db.transaction(store, "readonly");
                    const keysOf = await req(tx.objectStore(store).getAllKeys());
                    const values = await req(tx.objectStore(store).getAll());
                    parts.push(name + "/" + store + ": " + (await flat(keysOf)) + " " + (await flat(values)));
                }
                db.close();
            }
            for (let i = 0; i < localStorage.length; i += 1) {
                const k = localStorage.key(i);
                parts.push("localStorage " + k + "=" + localStorage.getItem(k));
            }
            return { text: parts.join("\n"), keys };
            "#,
        )
        .await
        .unwrap();
    (
        dump["text"].as_str().unwrap().to_owned(),
        dump["keys"].as_array().unwrap().clone(),
    )
}

/// Sam, logged in on a phone ready for the field, and his id.
async fn sam_in_the_field(s: &Setup) -> (Browser, Uuid) {
    let b = specialist_in_the_field(s).await;
    let sam = s.app.login("sam@v.example.org").await.staff.id;
    (b, sam)
}

/// Opens the outbox page once it lists the records of the client `reference` (so nothing moves
/// under the next click).
async fn outbox_listing(b: &Browser, reference: &str) {
    outbox_page(b).await;
    b.wait_for_text(".outbox-list", reference).await.unwrap();
}

/// Opens the outbox page.
async fn outbox_page(b: &Browser) {
    click(b, "a[href='/staff/outbox']").await;
    heading(b, "Outbox").await;
}

/// Presses a button from the keyboard, as a keyboard user does: focus on it, then Enter.
async fn press(b: &Browser, css: &str) {
    b.client
        .wait()
        .for_element(fantoccini::Locator::Css(css))
        .await
        .unwrap();
    b.client
        .execute(
            "document.querySelector(arguments[0]).focus(); return true",
            vec![json!(css)],
        )
        .await
        .unwrap();
    b.press(&char::from(fantoccini::key::Key::Enter).to_string())
        .await
        .unwrap();
}

/// Logs out from the outbox page, through the warning about unsent records of `reference`.
async fn log_out_deleting_unsent(b: &Browser, reference: &str) {
    outbox_listing(b, reference).await;
    press(b, "#logout").await;
    b.wait_for_text(".staff-warning", "have not reached the server")
        .await
        .unwrap();
    b.wait_for_text("#logout", "Delete them and log out")
        .await
        .unwrap();
    press(b, "#logout").await;
    heading(b, "Log in").await;
}

/// How many `POST /api/sync` batches reached the server so far.
fn sync_batches(s: &Setup) -> usize {
    s.proxy
        .requests()
        .iter()
        .filter(|(line, _)| line.starts_with("POST /api/sync "))
        .count()
}

/// The participants with `reference` that Sam's login reads through the API.
async fn through_the_api(s: &Setup, reference: &str) -> usize {
    let token = s.app.login("sam@v.example.org").await.access_token;
    let res = s.app.get("/api/participants", Some(&token)).await;
    assert_eq!(res.status(), 200);
    let list: Vec<Value> = res.json().await.unwrap();
    list.iter().filter(|p| p["reference"] == reference).count()
}

#[tokio::test]
async fn records_made_offline_are_encrypted_on_the_phone_with_a_key_that_cannot_be_read_out_and_still_reach_the_server_once()
 {
    let s = setup().await;
    let (b, sam) = sam_in_the_field(&s).await;

    s.proxy.cut().await;
    add_client(&b, "JS-CLEARTEXT").await;
    record_session(&b, "Mock interview at the bakery", "45").await;
    waiting_is(&b, 2).await;

    let (stored, keys) = everything_stored(&b).await;
    // What was read is the outbox itself: its records are there, under Sam, with their ids.
    assert!(
        stored.contains(&sam.to_string()) && stored.contains("outbox"),
        "the outbox was read: {stored}"
    );
    for typed in [
        "JS-CLEARTEXT",
        "Mock interview at the bakery",
        "Talked through the plan",
    ] {
        assert!(
            !stored.contains(typed),
            "{typed:?} is kept in clear on the phone:\n{stored}"
        );
    }
    assert!(!keys.is_empty(), "no CryptoKey on the phone: {stored}");
    for key in &keys {
        assert_eq!(key["extractable"], json!(false), "{key}");
        assert_eq!(key["algorithm"], json!("AES-GCM"), "{key}");
    }
    // Offline, the client is still on the phone (the caseload read from its encrypted copy).
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    heading(&b, "Caseload").await;
    b.wait_for_text("main", "JS-CLEARTEXT").await.unwrap();

    // The signal returns: the records are decrypted and sent, once.
    s.proxy.restore();
    waiting_is(&b, 0).await;
    assert_eq!(wait_rows(&s.app, "support_session", 1).await, 1);
    assert_eq!(participants_named(&s.app, "JS-CLEARTEXT").await.len(), 1);
    assert_eq!(s.app.count_rows("support_session").await, 1);
    b.close().await.unwrap();
}

#[tokio::test]
async fn logging_out_with_unsent_records_leaves_nothing_of_the_person_on_the_phone() {
    let s = setup().await;
    let (b, sam) = sam_in_the_field(&s).await;

    s.proxy.cut().await;
    add_client(&b, "JS-LEAVES").await;
    record_session(&b, "Mock interview at the bakery", "30").await;
    waiting_is(&b, 2).await;
    let (before, _) = everything_stored(&b).await;
    assert!(before.contains(&sam.to_string()), "{before}");

    log_out_deleting_unsent(&b, "JS-LEAVES").await;

    let (after, keys) = everything_stored(&b).await;
    for gone in [
        sam.to_string().as_str(),
        "sam@v.example.org",
        "JS-LEAVES",
        "Mock interview",
        // A JWT (the access or refresh token) starts so.
        "eyJ",
    ] {
        assert!(
            !after.contains(gone),
            "{gone:?} is still on the phone after logout:\n{after}"
        );
    }
    assert!(keys.is_empty(), "a key is left: {keys:?}\n{after}");
    // And nothing reached the server: the records were deleted, as the warning said.
    s.proxy.restore();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;
    assert_eq!(s.app.count_rows("participant").await, 0);
    b.close().await.unwrap();
}

#[tokio::test]
async fn a_backup_file_brings_unsent_records_back_after_logout_and_loading_it_again_stores_nothing_twice()
 {
    let s = setup().await;
    let (b, _) = sam_in_the_field(&s).await;

    s.proxy.cut().await;
    add_client(&b, "JS-BACKUP").await;
    record_session(&b, "Mock interview at the bakery", "30").await;
    waiting_is(&b, 2).await;

    // What saveFile is given, kept for the test to read as the downloaded file.
    b.eval(
        "window.savedFiles = []; const make = URL.createObjectURL.bind(URL); \
         URL.createObjectURL = (blob) => { window.savedFiles.push(blob); return make(blob); }; \
         return true",
    )
    .await
    .unwrap();
    outbox_listing(&b, "JS-BACKUP").await;
    // Too short a passphrase: said beside the field.
    fill(&b, "#backup-passphrase", "short").await;
    press(&b, "#backup-save").await;
    b.wait_for_text(".form-group-error .error-message", "at least 8 characters")
        .await
        .unwrap();
    fill(&b, "#backup-passphrase", "correct horse battery").await;
    press(&b, "#backup-save").await;
    b.wait_for_text("#backup-done", "Backup saved with 2 waiting")
        .await
        .unwrap();
    let text = b
        .eval_async("return await window.savedFiles.at(-1).text()")
        .await
        .unwrap();
    let text = text.as_str().unwrap().to_owned();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["version"], json!(1));
    assert_eq!(file["kdf"], json!("PBKDF2-SHA256"));
    assert!(file["iterations"].as_u64().unwrap() >= 310_000);
    for field in ["salt", "iv", "ct"] {
        assert!(
            file[field].as_str().is_some_and(|v| !v.is_empty()),
            "{file}"
        );
    }
    for typed in ["JS-BACKUP", "Mock interview", "Talked through the plan"] {
        assert!(!text.contains(typed), "{typed:?} in clear in the backup");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("soundings-backup.json");
    std::fs::write(&path, &text).unwrap();

    // Logged out: the records are gone from the phone and never reached the server.
    log_out_deleting_unsent(&b, "JS-BACKUP").await;
    s.proxy.restore();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;
    assert_eq!(s.app.count_rows("participant").await, 0);

    // Back in, with no signal: the backup loads into the outbox, twice without doubling.
    s.proxy.cut().await;
    outbox_page(&b).await;
    let input = b
        .client
        .find(fantoccini::Locator::Css("#backup-file"))
        .await
        .unwrap();
    input.send_keys(path.to_str().unwrap()).await.unwrap();
    fill(&b, "#backup-passphrase", "wrong horse battery").await;
    press(&b, "#backup-load").await;
    b.wait_for_text(
        ".form-group-error .error-message",
        "The passphrase does not open this backup file",
    )
    .await
    .unwrap();
    b.wait_for_text(".error-summary", "The passphrase does not open")
        .await
        .unwrap();
    assert_accessible(&b, "the outbox page with a wrong passphrase").await;
    assert_eq!(
        b.eval("return document.documentElement.scrollWidth <= innerWidth")
            .await
            .unwrap(),
        json!(true),
        "the outbox page fits the phone's screen"
    );
    waiting_is(&b, 0).await;

    fill(&b, "#backup-passphrase", "correct horse battery").await;
    press(&b, "#backup-load").await;
    b.wait_for_text("#backup-done", "Backup loaded: 2 added")
        .await
        .unwrap();
    waiting_is(&b, 2).await;
    b.wait_for_text(".outbox-list", "JS-BACKUP").await.unwrap();
    press(&b, "#backup-load").await;
    b.wait_for_text("#backup-done", "Backup loaded: 0 added")
        .await
        .unwrap();
    waiting_is(&b, 2).await;

    // The signal returns: each record reaches the server once.
    s.proxy.restore();
    waiting_is(&b, 0).await;
    assert_eq!(wait_rows(&s.app, "support_session", 1).await, 1);
    assert_eq!(through_the_api(&s, "JS-BACKUP").await, 1);

    // Loaded again after they were sent: sent again, and the server stores them once.
    let batches = sync_batches(&s);
    press(&b, "#backup-load").await;
    b.wait_for_text("#backup-done", "Backup loaded: 2 added")
        .await
        .unwrap();
    wait::until(
        "the reloaded records to be sent",
        Duration::from_secs(20),
        || async {
            (sync_batches(&s) > batches && b.outbox_after_flushes(None).await.unwrap().waiting == 0)
                .then_some(())
        },
    )
    .await;
    assert_eq!(through_the_api(&s, "JS-BACKUP").await, 1);
    assert_eq!(s.app.count_rows("support_session").await, 1);
    assert_eq!(s.app.count_rows("participant").await, 1);
    b.close().await.unwrap();
}

#[tokio::test]
async fn records_an_earlier_version_left_in_clear_are_still_sent_after_the_update_and_its_clear_cache_goes()
 {
    let s = setup().await;
    let sam = s
        .app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let b = Browser::start().await.unwrap();
    // Before the app ever runs on this origin: the phone as the earlier version left it, its
    // outbox database at version 1 holding a record in clear, and the caseload in
    // `localStorage`.
    b.goto(&s.proxy.url("/health/live")).await.unwrap();
    let record = soundings_tests::body::participant("jobseeker", "JS-OLDER");
    let script = format!(
        r#"
        const record = {record};
        const db = await new Promise((ok, no) => {{
            const open = indexedDB.open("soundings", 1);
            open.onupgradeneeded = () => {{
                const store = open.result.createObjectStore("outbox", {{ keyPath: "seq", autoIncrement: true }});
                store.createIndex("key", "key", {{ unique: true }});
                open.result.createObjectStore("drafts");
                open.result.createObjectStore("meta");
            }};
            open.onsuccess = () => ok(open.result);
            open.onerror = () => no(open.error);
        }});
        await new Promise((ok, no) => {{
            const tx = db.transaction("outbox", "readwrite");
            tx.objectStore("outbox").add({{
                key: record.id, action: record.id, owner: "{sam}", label: "New client JS-OLDER",
                method: "POST", url: "/api/participants", auth: null, kind: "participant",
                contentType: "application/json", body: JSON.stringify(record),
                created: Date.now(), attempts: 0, status: "waiting", reason: null,
            }});
            tx.oncomplete = ok;
            tx.onerror = () => no(tx.error);
        }});
        db.close();
        localStorage.setItem("soundings-staff-cache", JSON.stringify({{
            owner: "{sam}", participants: [], episodes: [], sessions: [], scores: [],
            instruments: [], fetched_at: null, note: "JS-OLDER"
        }}));
        return true;
        "#
    );
    assert_eq!(b.eval_async(&script).await.unwrap(), json!(true));

    // The new version opens, Sam logs in: the old record goes, once, and nothing stays in clear.
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;
    assert_eq!(wait_rows(&s.app, "participant", 1).await, 1);
    waiting_is(&b, 0).await;
    assert_eq!(participants_named(&s.app, "JS-OLDER").await.len(), 1);
    let (stored, _) = everything_stored(&b).await;
    assert!(
        !stored.contains("soundings-staff-cache"),
        "the clear caseload is left in localStorage:\n{stored}"
    );
    b.close().await.unwrap();
}
