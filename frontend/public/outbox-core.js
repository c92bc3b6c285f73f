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
"use strict";

(function (global) {
  const DB_NAME = "soundings";
  const DB_VERSION = 1;
  const OUTBOX = "outbox";
  const DRAFTS = "drafts";
  const META = "meta";
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
        };
        request.onsuccess = () => resolve(request.result);
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

  // Adds a record. The same key twice keeps the first: a double tap cannot queue two copies.
  async function enqueue(entry) {
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
          label: entry.label || "",
          method: entry.method || "POST",
          url: entry.url,
          auth: entry.auth || null,
          // A field record (participant, consent, episode, session, invitation, response):
          // sent with others of its owner in one POST /api/sync batch, in the order made.
          kind: entry.kind || null,
          contentType: entry.contentType || "application/json",
          body: entry.body,
          created: Date.now(),
          attempts: 0,
          status: "waiting",
          reason: null,
        }),
      );
      return true;
    });
  }

  // Adds a staff member's edit of an editable record (a session). An edit of the same record
  // (`group`) by the same person that still waits is replaced: it was made from the same copy
  // (same base version), so only the latest wording needs to travel, and two edits from one
  // phone can never collide with each other on the server. Under the outbox lock, so a flush
  // in progress never sends the edit being replaced.
  async function enqueueEdit(entry) {
    const work = () =>
      inStore(OUTBOX, "readwrite", async (store) => {
        const existing = await req(store.getAll());
        for (const e of existing) {
          if (e.group === entry.group && e.owner === entry.owner && e.status === "waiting") {
            await req(store.delete(e.seq));
          }
        }
        await req(
          store.add({
            key: entry.key,
            owner: entry.owner,
            group: entry.group,
            label: entry.label || "",
            method: entry.method,
            url: entry.url,
            auth: null,
            kind: null,
            contentType: "application/json",
            body: entry.body,
            created: Date.now(),
            attempts: 0,
            status: "waiting",
            reason: null,
          }),
        );
        return true;
      });
    const locks = global.navigator && global.navigator.locks;
    if (locks && locks.request) return locks.request(LOCK, work);
    return work();
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
      refused: refused.map((e) => ({ key: e.key, label: e.label, reason: e.reason })),
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

  async function send(entry, token) {
    const controller = new AbortController();
    const limit = entry.body instanceof Blob ? BLOB_TIMEOUT_MS : TIMEOUT_MS;
    const timer = setTimeout(() => controller.abort(), limit);
    try {
      return await fetch(entry.url, {
        method: entry.method,
        headers: { "content-type": entry.contentType, authorization: "Bearer " + token },
        body: entry.body,
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
    const records = entries.filter((e) => e.kind && !e.auth && owner != null && e.owner === owner);
    for (let i = 0; i < records.length; i += BATCH) {
      const chunk = records.slice(i, i + BATCH);
      const batch = {
        key: "batch",
        method: "POST",
        url: "/api/sync",
        contentType: "application/json",
        body: JSON.stringify({
          records: chunk.map((e) => ({ kind: e.kind, body: JSON.parse(e.body) })),
        }),
      };
      let response;
      try {
        response = await send(batch, token);
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
      let response;
      try {
        response = await send(entry, authority);
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
  async function putDraft(key, value) {
    return inStore(DRAFTS, "readwrite", (store) => req(store.put(value, key)));
  }

  async function getDraft(key) {
    return inStore(DRAFTS, "readonly", (store) => req(store.get(key)));
  }

  async function deleteDraft(key) {
    return inStore(DRAFTS, "readwrite", (store) => req(store.delete(key)));
  }

  // One person's records, for the outbox page: what each is and whether it waits or was
  // refused (and why).
  async function list(owner) {
    return (await all())
      .filter((e) => e.owner === owner)
      .map((e) => ({
        key: e.key,
        label: e.label,
        kind: e.kind || null,
        status: e.status,
        reason: e.reason,
        created: e.created,
        attempts: e.attempts,
      }));
  }

  // Puts a refused record back in the queue (after its cause was put right on the server).
  async function retry(key) {
    const entry = await inStore(OUTBOX, "readonly", (store) => req(store.index("key").get(key)));
    if (!entry) return false;
    entry.status = "waiting";
    entry.reason = null;
    await update(entry);
    return true;
  }

  // Drops a settled conflict's entry once the conflict is resolved (here or on another device).
  async function forgetConflict(key) {
    const entry = await inStore(OUTBOX, "readonly", (store) => req(store.index("key").get(key)));
    if (!entry || entry.status !== "conflict") return false;
    await remove(entry.seq);
    return true;
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

  // A shared phone: removes one person's records (after the app has warned them).
  async function removeOwner(owner) {
    const entries = (await all()).filter((e) => e.owner === owner);
    for (const entry of entries) await remove(entry.seq);
    return entries.length;
  }

  global.soundingsOutbox = {
    enqueue,
    enqueueEdit,
    forgetConflict,
    summary,
    isWaiting,
    flush,
    putDraft,
    getDraft,
    deleteDraft,
    removeOwner,
    setSender,
    sender,
    list,
    retry,
  };
})(self);
