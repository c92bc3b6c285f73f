// The outbox (DESIGN §6): records made on this device wait here, in IndexedDB, until the server
// has them. Shared by the page (through /device.js) and the service worker (importScripts), so
// records are sent whatever page is open, and by the browser's background sync after the page
// has closed. A plain script, not a module: service workers cannot import modules everywhere.
//
// Rules that protect people's data:
// - Nothing here ever expires: a record waits until the server has it or refuses it.
// - Every record carries the id made on the device; the server stores a resend once, so sending
//   twice (page and worker at once, or a lost acknowledgement) never doubles anything.
// - A record made under a staff login is sent only with that person's token (`owner`); records
//   that carry their own authority (a participant's survey token) can be sent by anyone.
// - A refused record stays, with the server's reason, for a person to see; it never blocks the
//   records behind it.
// - What a record says (its body and label), drafts and the cached caseload are encrypted at rest
//   (AES-GCM) with a key made here that cannot be exported: one per staff member, removed with
//   their records when they log out, and one for the device for records that carry their own
//   authority (a participant's answers on their own phone). What sending needs (key, owner,
//   kind, status, url, method) stays in clear. Records stored in clear by an earlier version are
//   still read and sent.
"use strict";

(function (global) {
  const DB_NAME = "soundings";
  const DB_VERSION = 2;
  const OUTBOX = "outbox";
  const DRAFTS = "drafts";
  const META = "meta";
  // Version 2: the encryption keys (a CryptoKey per owner), and the staff caseload cache.
  const KEYS = "keys";
  const CASELOAD = "caseload";
  // The key of records and drafts that have no staff owner.
  const DEVICE_KEY = "device";
  const LOCK = "soundings-outbox";
  // A voice comment on a slow connection needs longer than a small JSON record.
  const TIMEOUT_MS = 20000;
  const BLOB_TIMEOUT_MS = 120000;

  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains(OUTBOX)) {
            const store = db.createObjectStore(OUTBOX, { keyPath: "seq", autoIncrement: true });
            store.createIndex("key", "key", { unique: true });
          }
          if (!db.objectStoreNames.contains(DRAFTS)) db.createObjectStore(DRAFTS);
          if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
          // Only adds what is missing: records of an earlier version stay where they are.
          if (!db.objectStoreNames.contains(KEYS)) db.createObjectStore(KEYS);
          if (!db.objectStoreNames.contains(CASELOAD)) db.createObjectStore(CASELOAD);
        };
        request.onsuccess = () => {
          const db = request.result;
          // A newer version (a new service worker or page) waits for this one to let go.
          db.onversionchange = () => {
            db.close();
            opening = null;
          };
          resolve(db);
        };
        request.onerror = () => {
          opening = null;
          reject(request.error);
        };
      });
    }
    return opening;
  }

  // Runs `work(store)` in one transaction and resolves with its result once committed.
  async function inStore(name, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      let result;
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
      Promise.resolve(work(tx.objectStore(name))).then((value) => {
        result = value;
      }, reject);
    });
  }

  function req(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  // ---- Encryption at rest -------------------------------------------------------------------

  function keyIdOf(owner) {
    return owner || DEVICE_KEY;
  }

  // The AES-GCM key for `id` (an owner, or DEVICE_KEY), made on first use when `create`. It is
  // not extractable: kept in IndexedDB as a CryptoKey, it encrypts and decrypts here (page and
  // worker) but its bytes can never be read out.
  async function keyOf(id, create) {
    const found = await inStore(KEYS, "readonly", (store) => req(store.get(id)));
    if (found || !create) return found || null;
    const fresh = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
      "encrypt",
      "decrypt",
    ]);
    // Another tab or the worker may have made one meanwhile: the first kept wins.
    return inStore(KEYS, "readwrite", async (store) => {
      const again = await req(store.get(id));
      if (again) return again;
      await req(store.put(fresh, id));
      return fresh;
    });
  }

  // Text or a Blob as `{iv, ct}` (a Blob also keeps its `type`), with a fresh random iv.
  async function seal(id, value) {
    const key = await keyOf(id, true);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const isBlob = value instanceof Blob;
    const plain = isBlob ? await value.arrayBuffer() : new TextEncoder().encode(String(value));
    const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain);
    return isBlob ? { iv, ct, type: value.type } : { iv, ct };
  }

  function isSealed(value) {
    return (
      value != null &&
      typeof value === "object" &&
      !(value instanceof Blob) &&
      value.iv instanceof Uint8Array &&
      value.ct instanceof ArrayBuffer
    );
  }

  // The text or Blob `seal` was given. A value stored in clear by an earlier version is returned
  // as it is. Rejects when the key is gone (its owner logged out) or the value was altered.
  async function unseal(id, value) {
    if (!isSealed(value)) return value;
    const key = await keyOf(id, false);
    if (!key) throw new Error("no key for this record");
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: value.iv }, key, value.ct);
    if ("type" in value) return new Blob([plain], { type: value.type });
    return new TextDecoder().decode(plain);
  }

  // A label for a list: never fails (an unreadable one shows empty).
  async function labelOf(entry) {
    try {
      return (await unseal(keyIdOf(entry.owner), entry.label)) || "";
    } catch (_) {
      return "";
    }
  }

  // Adds a record. The same key twice keeps the first: a double tap cannot queue two copies.
  async function enqueue(entry) {
    if (await inStore(OUTBOX, "readonly", (store) => req(store.index("key").getKey(entry.key)))) {
      return false;
    }
    // Encrypted before the transaction: one cannot wait for WebCrypto inside it.
    const id = keyIdOf(entry.owner);
    const body = await seal(id, entry.body);
    const label = await seal(id, entry.label || "");
    return inStore(OUTBOX, "readwrite", async (store) => {
      const existing = await req(store.index("key").getKey(entry.key));
      if (existing !== undefined) return false;
      await req(
        store.add({
          key: entry.key,
          // What the person did that this record is part of (a new client is their participant,
          // consent and episode records): the count people see is of these, not of records.
          action: entry.action || entry.key,
          owner: entry.owner || null,
          label,
          method: entry.method || "POST",
          url: entry.url,
          auth: entry.auth || null,
          // A field record (participant, consent, episode, session, invitation, response):
          // sent with others of its owner in one POST /api/sync batch, in the order made.
          kind: entry.kind || null,
          // An edit loaded back from a backup keeps the record it edits.
          group: entry.group || null,
          contentType: entry.contentType || "application/json",
          body,
          // A record loaded from a backup keeps the time it was made.
          created: entry.created || Date.now(),
          attempts: 0,
          status: "waiting",
          reason: null,
        }),
      );
      return true;
    });
  }

  async function all() {
    return inStore(OUTBOX, "readonly", (store) => req(store.getAll()));
  }

  async function meta(name) {
    return inStore(META, "readonly", (store) => req(store.get(name)));
  }

  async function setMeta(name, value) {
    return inStore(META, "readwrite", (store) => req(store.put(value, name)));
  }

  // What the person needs to see: how many things they did still wait (records of one action
  // count once), what was refused and why, the oldest record's age and when the server last
  // took records. `owner` null counts every record.
  async function summary(owner) {
    const entries = (await all()).filter((e) => owner == null || e.owner == null || e.owner === owner);
    const waiting = entries.filter((e) => e.status === "waiting");
    const refused = entries.filter((e) => e.status === "refused");
    return {
      waiting: new Set(waiting.map((e) => e.action || e.key)).size,
      refused: await Promise.all(
        refused.map(async (e) => ({ key: e.key, label: await labelOf(e), reason: e.reason })),
      ),
      oldest: waiting.length ? Math.min(...waiting.map((e) => e.created)) : null,
      lastSync: (await meta("lastSync")) || null,
    };
  }

  async function isWaiting(key) {
    const entry = await inStore(OUTBOX, "readonly", (store) => req(store.index("key").get(key)));
    return entry !== undefined && entry.status === "waiting";
  }

  async function update(entry) {
    return inStore(OUTBOX, "readwrite", (store) => req(store.put(entry)));
  }

  async function remove(seq) {
    return inStore(OUTBOX, "readwrite", (store) => req(store.delete(seq)));
  }

  // Sends `body` (the entry's, decrypted) as the entry says.
  async function send(entry, token, body) {
    const controller = new AbortController();
    const limit = body instanceof Blob ? BLOB_TIMEOUT_MS : TIMEOUT_MS;
    const timer = setTimeout(() => controller.abort(), limit);
    try {
      return await fetch(entry.url, {
        method: entry.method,
        headers: { "content-type": entry.contentType, authorization: "Bearer " + token },
        body,
        signal: controller.signal,
        cache: "no-store",
      });
    } finally {
      clearTimeout(timer);
    }
  }

  // The server's JSON error body, or null when it sent something else.
  async function errorOf(response) {
    try {
      const body = await response.json();
      if (body && typeof body === "object") return body;
    } catch (_) {
      // Not our JSON error body.
    }
    return null;
  }

  function reasonOf(response, body) {
    if (body && typeof body.message === "string") return body.message;
    return "refused by the server (" + response.status + ")";
  }

  // At most this many records in one POST /api/sync (the server's limit is 200).
  const BATCH = 100;

  // Sends `owner`'s waiting field records in batches, oldest first. Each record gets its own
  // outcome; one that landed is removed, one refused is kept with the reason. A lost answer
  // (the connection drops after the server stored the batch) leaves them waiting: the resend
  // is stored once by id and answered the same, so nothing is doubled.
  async function flushBatches(owner, token, entries, outcome) {
    const mine = entries.filter((e) => e.kind && !e.auth && owner != null && e.owner === owner);
    // Decrypted just before sending; one that cannot be read (its key is gone) stays put.
    const records = [];
    for (const entry of mine) {
      try {
        records.push({ entry, body: JSON.parse(await unseal(keyIdOf(owner), entry.body)) });
      } catch (_) {
        // Left as it is.
      }
    }
    for (let i = 0; i < records.length; i += BATCH) {
      const chunk = records.slice(i, i + BATCH).map((r) => r.entry);
      const batch = { method: "POST", url: "/api/sync", contentType: "application/json" };
      const body = JSON.stringify({
        records: records.slice(i, i + BATCH).map((r) => ({ kind: r.entry.kind, body: r.body })),
      });
      let response;
      try {
        response = await send(batch, token, body);
      } catch (_) {
        outcome.stopped = "offline";
        return;
      }
      if (response.status === 401) {
        outcome.stopped = "login";
        return;
      }
      if (!response.ok) {
        outcome.stopped = "server";
        return;
      }
      let result;
      try {
        result = await response.json();
      } catch (_) {
        outcome.stopped = "offline";
        return;
      }
      for (const item of result.outcomes || []) {
        const entry = chunk[item.index];
        if (!entry) continue;
        entry.attempts += 1;
        const status = item.status;
        if (status >= 200 && status < 300) {
          await remove(entry.seq);
          outcome.sent += 1;
        } else if (status === 429 || status >= 500) {
          await update(entry);
        } else {
          entry.status = "refused";
          entry.reason =
            (item.error && item.error.message) || "refused by the server (" + status + ")";
          entry.refusal = item.error || null;
          await update(entry);
          outcome.refused += 1;
        }
      }
      await setMeta("lastSync", Date.now());
    }
  }

  // Sends what may be sent, oldest first. Stops at the first sign that the server cannot be
  // reached (everything after would fail the same way) and when a login has expired.
  async function flushLocked(owner, token) {
    const outcome = { sent: 0, refused: 0, conflicts: 0, stopped: null };
    const waiting = (await all()).filter((e) => e.status === "waiting");
    if (token) {
      await flushBatches(owner, token, waiting, outcome);
      if (outcome.stopped) return outcome;
    }
    const entries = waiting.filter((e) => !(e.kind && !e.auth && e.owner === owner && token));
    for (const entry of entries) {
      const authority = entry.auth || (owner != null && entry.owner === owner ? token : null);
      if (!authority) continue;
      let body;
      try {
        body = await unseal(keyIdOf(entry.owner), entry.body);
      } catch (_) {
        continue;
      }
      let response;
      try {
        response = await send(entry, authority, body);
      } catch (_) {
        outcome.stopped = "offline";
        break;
      }
      entry.attempts += 1;
      if (response.ok) {
        await remove(entry.seq);
        outcome.sent += 1;
        await setMeta("lastSync", Date.now());
        continue;
      }
      const status = response.status;
      if (status === 401 && !entry.auth) {
        await update(entry);
        outcome.stopped = "login";
        break;
      }
      if (status === 408 || status === 425 || status === 429 || status >= 500) {
        await update(entry);
        outcome.stopped = "server";
        break;
      }
      const error = await errorOf(response);
      if (status === 409 && error && error.field === "base_version") {
        // An edit made on a copy that changed meanwhile: the server kept it beside the record
        // as a conflict for a person to resolve. Settled, so never sent again; kept here only
        // so the outbox can say so until the conflict is resolved.
        entry.status = "conflict";
        entry.reason = reasonOf(response, error);
        await update(entry);
        outcome.conflicts += 1;
        await setMeta("lastSync", Date.now());
        continue;
      }
      entry.status = "refused";
      entry.reason = reasonOf(response, error);
      await update(entry);
      outcome.refused += 1;
      // The server answered, so it is reachable: that counts as a sync.
      await setMeta("lastSync", Date.now());
    }
    return outcome;
  }

  // One flush at a time across the page and the worker when the browser has Web Locks; without
  // them two flushes may overlap, which the server's idempotency makes harmless.
  async function flush(owner, token) {
    const locks = global.navigator && global.navigator.locks;
    if (locks && locks.request) {
      return locks.request(LOCK, () => flushLocked(owner, token));
    }
    return flushLocked(owner, token);
  }

  // Voice comments recorded but not yet sent, kept so a person who leaves half-way keeps them.
  // Encrypted with `owner`'s key (a survey handed over on a specialist's phone: theirs, removed
  // when they log out), else the device's.
  // Writes are chained, so two saves made in quick succession land in the order made.
  let draftWrites = Promise.resolve();

  function putDraft(key, value, owner) {
    const next = draftWrites.then(async () => {
      const sealed = { owner: owner || null, value: await seal(keyIdOf(owner), value) };
      await inStore(DRAFTS, "readwrite", (store) => req(store.put(sealed, key)));
    });
    draftWrites = next.catch(() => {});
    return next;
  }

  async function getDraft(key) {
    await draftWrites;
    const stored = await inStore(DRAFTS, "readonly", (store) => req(store.get(key)));
    if (stored && typeof stored === "object" && "value" in stored && "owner" in stored) {
      return unseal(keyIdOf(stored.owner), stored.value);
    }
    // Kept in clear by an earlier version.
    return stored;
  }

  async function deleteDraft(key) {
    return inStore(DRAFTS, "readwrite", (store) => req(store.delete(key)));
  }

  // The staff login the service worker may send its owner's records with, while that person is
  // logged in on this device: the short-lived access token only. Never the refresh token: it
  // rotates, and a worker refreshing beside the page would look like a stolen token and end the
  // login. An expired token leaves the records for the app to send when it next opens.
  async function setSender(owner, token) {
    if (owner && token) return setMeta("sender", { owner, token });
    return inStore(META, "readwrite", (store) => req(store.delete("sender")));
  }

  async function sender() {
    return (await meta("sender")) || null;
  }

  global.soundingsOutbox = {
    enqueue,
    summary,
    isWaiting,
    flush,
    putDraft,
    getDraft,
    deleteDraft,
    seal,
    unseal,
    setSender,
    sender,
    // For /outbox-staff.js only, which adds what only the staff app does (its outbox page,
    // edits, the caseload cache, logout and the backup file) to this object: a survey link on a
    // cheap phone never downloads that part (issue 19).
    parts: {
      stores: { OUTBOX, DRAFTS, KEYS, CASELOAD },
      LOCK,
      inStore,
      req,
      keyIdOf,
      seal,
      unseal,
      labelOf,
      all,
      update,
      remove,
      enqueue,
      sender,
      setSender,
      draftsWritten: () => draftWrites,
    },
  };
})(self);
