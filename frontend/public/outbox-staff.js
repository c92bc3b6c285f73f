// The staff app's part of the outbox (see /outbox-core.js, which it extends): the outbox page's
// list, retry and settled conflicts, edits of editable records, the cached caseload, what logout
// removes, and the encrypted backup file. Loaded only by the staff app (after the core), so a
// survey link on a cheap phone never downloads it (issue 19). A plain script, as the core is.
"use strict";

(function (global) {
  const outbox = global.soundingsOutbox;
  const {
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
  } = outbox.parts;

  // Adds a staff member's edit of an editable record (a session). An edit of the same record
  // (`group`) by the same person that still waits is replaced: it was made from the same copy
  // (same base version), so only the latest wording needs to travel, and two edits from one
  // phone can never collide with each other on the server. Under the outbox lock, so a flush
  // in progress never sends the edit being replaced.
  async function enqueueEdit(entry) {
    const body = await seal(keyIdOf(entry.owner), entry.body);
    const label = await seal(keyIdOf(entry.owner), entry.label || "");
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
            label,
            method: entry.method,
            url: entry.url,
            auth: null,
            kind: null,
            contentType: "application/json",
            body,
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

  // One person's records, for the outbox page: what each is and whether it waits or was
  // refused (and why).
  async function list(owner) {
    const entries = (await all()).filter((e) => e.owner === owner);
    return Promise.all(
      entries.map(async (e) => ({
        key: e.key,
        label: await labelOf(e),
        kind: e.kind || null,
        status: e.status,
        reason: e.reason,
        created: e.created,
        attempts: e.attempts,
      })),
    );
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

  // ---- The staff caseload cache -------------------------------------------------------------
  // One encrypted blob per owner. Writes are chained, so they land in the order made and a
  // logout (which goes through the same chain) is never undone by a write still under way.
  let caseloadWrites = Promise.resolve();

  function afterWrites(work) {
    const next = caseloadWrites.then(work);
    caseloadWrites = next.catch(() => {});
    return next;
  }

  function putCaseload(owner, text) {
    return afterWrites(async () => {
      const sealed = await seal(owner, text);
      await inStore(CASELOAD, "readwrite", (store) => req(store.put(sealed, owner)));
    });
  }

  // The owner's cached caseload (JSON text), or null when there is none or it cannot be read.
  async function getCaseload(owner) {
    await caseloadWrites;
    const sealed = await inStore(CASELOAD, "readonly", (store) => req(store.get(owner)));
    if (!sealed) return null;
    try {
      return await unseal(owner, sealed);
    } catch (_) {
      return null;
    }
  }

  // A shared phone: removes one person's records (after the app has warned them).
  async function removeOwner(owner) {
    const entries = (await all()).filter((e) => e.owner === owner);
    for (const entry of entries) await remove(entry.seq);
    return entries.length;
  }

  // Logging out of a shared phone: everything of `owner` goes — their records (sent or not),
  // drafts, cached caseload, the token the worker sends with, and their key, so anything of
  // theirs left anywhere could no longer be read.
  async function forgetOwner(owner) {
    if (!owner) return 0;
    const removed = await removeOwner(owner);
    await outbox.parts.draftsWritten();
    await inStore(DRAFTS, "readwrite", async (store) => {
      const keys = await req(store.getAllKeys());
      for (const key of keys) {
        const value = await req(store.get(key));
        if (value && typeof value === "object" && value.owner === owner) {
          await req(store.delete(key));
        }
      }
    });
    await afterWrites(() => inStore(CASELOAD, "readwrite", (store) => req(store.delete(owner))));
    const current = await sender();
    if (current && current.owner === owner) await setSender(null, null);
    await inStore(KEYS, "readwrite", (store) => req(store.delete(owner)));
    return removed;
  }

  // ---- Backup file ---------------------------------------------------------------------------
  // A specialist's unsent records in a file encrypted with a passphrase they choose, to load back
  // on this or another phone logged in as them. The file is JSON:
  // {format, version, kdf, iterations, salt, iv, ct} (base64), nothing personal in clear.
  const BACKUP_FORMAT = "soundings-outbox-backup";
  const BACKUP_VERSION = 1;
  const BACKUP_ITERATIONS = 310000;
  // A file asking for more work than this is not one of ours (and would hang the phone).
  const BACKUP_MAX_ITERATIONS = 5000000;

  function toBase64(bytes) {
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  }

  function fromBase64(text) {
    const raw = atob(text);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  async function passphraseKey(passphrase, salt, iterations) {
    const material = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(passphrase),
      "PBKDF2",
      false,
      ["deriveKey"],
    );
    return crypto.subtle.deriveKey(
      { name: "PBKDF2", hash: "SHA-256", salt, iterations },
      material,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"],
    );
  }

  // The backup file's text of `owner`'s records that the server does not have (waiting or
  // refused), and how many there are.
  async function backup(owner, passphrase) {
    const entries = (await all()).filter(
      (e) => e.owner === owner && (e.status === "waiting" || e.status === "refused"),
    );
    const records = [];
    for (const e of entries) {
      const body = await unseal(keyIdOf(owner), e.body);
      const audio = body instanceof Blob;
      records.push({
        key: e.key,
        action: e.action || null,
        kind: e.kind || null,
        group: e.group || null,
        label: await labelOf(e),
        method: e.method,
        url: e.url,
        contentType: e.contentType,
        created: e.created,
        audio,
        body: audio ? toBase64(new Uint8Array(await body.arrayBuffer())) : body,
      });
    }
    const plain = new TextEncoder().encode(JSON.stringify({ owner, made: Date.now(), records }));
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const key = await passphraseKey(passphrase, salt, BACKUP_ITERATIONS);
    const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain));
    const file = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      kdf: "PBKDF2-SHA256",
      iterations: BACKUP_ITERATIONS,
      salt: toBase64(salt),
      iv: toBase64(iv),
      ct: toBase64(ct),
    };
    return { text: JSON.stringify(file), count: new Set(records.map((r) => r.action || r.key)).size };
  }

  // Puts the records of a backup file back in the outbox under `owner`. Records keep their ids,
  // so one already here is not added twice, and one the server already has is stored there once.
  // Resolves with {added} or {error: "file" | "passphrase" | "owner"}.
  async function restore(owner, passphrase, text) {
    let file;
    try {
      file = JSON.parse(text);
    } catch (_) {
      return { error: "file" };
    }
    const iterations = file && file.iterations;
    if (
      !file ||
      file.format !== BACKUP_FORMAT ||
      file.version !== BACKUP_VERSION ||
      !Number.isInteger(iterations) ||
      iterations < BACKUP_ITERATIONS ||
      iterations > BACKUP_MAX_ITERATIONS ||
      typeof file.salt !== "string" ||
      typeof file.iv !== "string" ||
      typeof file.ct !== "string"
    ) {
      return { error: "file" };
    }
    let payload;
    try {
      const key = await passphraseKey(passphrase, fromBase64(file.salt), iterations);
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64(file.iv) },
        key,
        fromBase64(file.ct),
      );
      payload = JSON.parse(new TextDecoder().decode(plain));
    } catch (_) {
      // AES-GCM refuses anything but the passphrase it was made with.
      return { error: "passphrase" };
    }
    if (!payload || payload.owner !== owner || !Array.isArray(payload.records)) {
      return { error: "owner" };
    }
    // Counted as the outbox counts: things done, not records.
    const added = new Set();
    for (const r of payload.records) {
      const body = r.audio ? new Blob([fromBase64(r.body)], { type: r.contentType }) : r.body;
      if (await enqueue({ ...r, owner, auth: null, body })) added.add(r.action || r.key);
    }
    return { added: added.size };
  }

  Object.assign(outbox, {
    enqueueEdit,
    list,
    retry,
    forgetConflict,
    putCaseload,
    getCaseload,
    removeOwner,
    forgetOwner,
    backup,
    restore,
  });
})(self);
