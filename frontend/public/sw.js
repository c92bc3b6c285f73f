// Soundings service worker: keeps the app shell available with no signal (DESIGN §6).
//
// Rules that protect people's data:
// - Server data (/api/, /health/) is never cached or answered from here: it must be live, and
//   records made offline travel through the outbox in IndexedDB, not through this cache.
// - An update deletes only older *shell* caches. IndexedDB and any other cache (for example
//   "soundings-outbox*") are never touched, so records saved under an old version survive.

// Replaced with a hash of the build by scripts/build-frontend, so every build gets its own cache
// and the browser sees a changed worker and installs it.
const BUILD_ID = "__SOUNDINGS_BUILD_ID__";
const SHELL_PREFIX = "soundings-shell-";
const SHELL_CACHE = SHELL_PREFIX + BUILD_ID;

// The files the pages load appear here under their source names; scripts/pack-dist rewrites
// them to the content-hashed names of the build (`/boot.<hash>.js`), so this list is always the
// build's own. "/" is the page itself (a link opens at "/#t=..."), so the copy the page just
// loaded is revalidated (a 304), not downloaded again.
const SHELL = [
  "/",
  "/boot.js",
  "/device.js",
  "/outbox-core.js",
  "/app.css",
  "/manifest.webmanifest",
  "/pkg/soundings_frontend.js",
  "/pkg/soundings_frontend_bg.wasm",
  // The loader of the app's later pages, and those pages (src/later.rs): the chunks wasm-split
  // cut, listed here by scripts/build-frontend, so every page is here with no signal.
  "/pkg/__wasm_split.js",
  /* __SOUNDINGS_CHUNKS__ */
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/maskable-192.png",
  "/icons/maskable-512.png",
  // Easy Read pictures and the face scale: small, and needed to answer offline.
  ...["overall", "business", "match", "support", "talk", "listen", "choice", "job"].map(
    (name) => `/pictures/${name}.svg`,
  ),
  ...[1, 2, 3, 4, 5].map((n) => `/pictures/face-${n}.svg`),
];
// The staff app: a second shell under /staff sharing the outbox and the styles. Cached only on
// devices that open it (the staff app asks, and an update keeps it where it was), so a
// participant's phone never downloads the staff wasm.
const STAFF_SHELL = [
  "/staff/index.html",
  "/staff.js",
  "/outbox-staff.js",
  "/staff.css",
  "/staff-manifest.webmanifest",
  "/pkg/staff/soundings_staff.js",
  "/pkg/staff/soundings_staff_bg.wasm",
  "/pkg/staff/__wasm_split.js",
  /* __SOUNDINGS_STAFF_CHUNKS__ */
];
const SHELL_PATHS = new Set([...SHELL, ...STAFF_SHELL]);
// Read-aloud clips are many and each person needs few: cached when first played (or fetched
// ahead by the app when a survey opens), per build, since a build may change their words.
const CLIPS_PREFIX = "soundings-clips-";
const CLIPS_CACHE = CLIPS_PREFIX + BUILD_ID;

// The outbox, shared with the page: lets this worker send waiting records when the browser
// says the signal is back (background sync), even with the app closed.
importScripts("/outbox-core.js");

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      const staffUsed = await staffShellCached();
      const paths = staffUsed ? [...SHELL, ...STAFF_SHELL] : SHELL;
      // Through the HTTP cache on purpose: a hashed file the page has just loaded is taken from
      // it (its name is its content, so it cannot be stale), and the rest (the page, the
      // manifest, pictures) are `no-cache` and so revalidated. addAll is all-or-nothing: a
      // half-cached shell never becomes active, and is not left behind (an update keeps the
      // build before by its cache, so an empty one must not pass for it).
      try {
        await cache.addAll(paths);
      } catch (error) {
        await caches.delete(SHELL_CACHE);
        throw error;
      }
      // Each build is cached whole under its own name, so taking over at once cannot mix
      // versions within one cache.
      await self.skipWaiting();
    })(),
  );
});

// Whether an earlier build cached the staff shell, i.e. staff use this device.
async function staffShellCached() {
  for (const name of await caches.keys()) {
    if (!name.startsWith(SHELL_PREFIX)) continue;
    const cache = await caches.open(name);
    if (await cache.match("/staff/index.html")) return true;
  }
  return false;
}

// The staff app asks for its shell to be kept, so it opens with no signal next time; a survey
// asks for its read-aloud clips.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "keep-clips") {
    // One list at a time, in order; a reply port (if given) hears when this one is done.
    keeping = keeping.then(() => keepClips(event.data.urls));
    event.waitUntil(keeping.then(() => event.ports[0]?.postMessage({ type: "clips-kept" })));
    return;
  }
  if (!event.data || event.data.type !== "cache-staff") return;
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(STAFF_SHELL))
      .then(() => event.source && event.source.postMessage({ type: "staff-cached" }))
      .catch((error) => console.warn("staff shell not cached", error)),
  );
});

// An update deletes the shell caches of the builds before the last one. The last one stays until
// the next update: its pages open from the cache now, so one may be running when this worker
// takes over, and it may still ask for its files (`cacheFirst` finds them there).
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      // Oldest first: the order the caches were made in. The build before is the newest
      // older one that is whole (it has its page); any other is stale.
      const names = await caches.keys();
      const olderShells = names.filter(
        (name) => name.startsWith(SHELL_PREFIX) && name !== SHELL_CACHE,
      );
      let before;
      for (const name of [...olderShells].reverse()) {
        if (await (await caches.open(name)).match("/")) {
          before = name;
          break;
        }
      }
      const stale = [
        ...olderShells.filter((name) => name !== before),
        ...names.filter((name) => name.startsWith(CLIPS_PREFIX) && name !== CLIPS_CACHE),
      ];
      await Promise.all(stale.map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

// A content-hashed file (`/boot.<16 hex>.js`): of this build or an earlier one.
function isHashed(path) {
  return /\.[0-9a-f]{16}\.[a-z]+$/.test(path);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/health/")) return;

  if (request.mode === "navigate" && !/\.[^/]*$/.test(url.pathname)) {
    // A page of the app (a file's address, such as a clip opened on its own, is left to the
    // server, which answers with the file or a 404).
    event.respondWith(shellFirst(request));
  } else if (SHELL_PATHS.has(url.pathname) || isHashed(url.pathname)) {
    event.respondWith(cacheFirst(request, url.pathname));
  } else if (url.pathname.startsWith("/clips/")) {
    event.respondWith(cachedOnUse(request));
  }
  // Anything else goes to the network as if this worker were not here.
});

// Pages: this build's shell at once when it is cached. The app routes on the client, so the
// shell serves every path, and everything it loads is in the same cache: a returning phone starts
// the app without a round trip, with or without a signal. The browser still asks for `sw.js` on
// each visit: a new build installs in the background and serves the next page (the page open
// now keeps its build's files, see `activate`). Before the shell is cached (a first visit, or
// the staff app on a device that never kept it) there is nothing to fall back on: the network.
async function shellFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  const path = new URL(request.url).pathname;
  const staff = path === "/staff" || path.startsWith("/staff/");
  return (await cache.match(staff ? "/staff/index.html" : "/")) || fetch(request);
}

// Shell files: from this build's cache; a page of the build before (opened just before this
// worker took over) finds its own files in that build's cache, kept until the next build; the
// network only if the caches lost them.
async function cacheFirst(request, path) {
  const cache = await caches.open(SHELL_CACHE);
  const hit = (await cache.match(path)) || (await inShellCaches(path));
  return hit || fetch(request);
}

async function inShellCaches(path) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(SHELL_PREFIX) || name === SHELL_CACHE) continue;
    const hit = await (await caches.open(name)).match(path);
    if (hit) return hit;
  }
  return undefined;
}

// Clips: from the cache when played before, else from the network, keeping a copy.
async function cachedOnUse(request) {
  const cache = await caches.open(CLIPS_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

let keeping = Promise.resolve();

// A survey's clips, and the list of clips read aloud looks them up in, kept for use with no
// signal. One at a time, so a weak signal is not flooded; stops at the first failure (no signal
// now: the next survey opened asks again).
async function keepClips(urls) {
  const cache = await caches.open(CLIPS_CACHE);
  const wanted = ["/clips/manifest.json", ...(Array.isArray(urls) ? urls : [])].filter(
    (url) => typeof url === "string" && url.startsWith("/clips/"),
  );
  for (const url of wanted) {
    if (await cache.match(url)) continue;
    try {
      const response = await fetch(url);
      if (response.ok) await cache.put(url, response);
    } catch {
      return;
    }
  }
}

// Records made offline are sent when the browser sees the signal return, even with the app
// closed: those with their own authority (a participant's answers), and the logged-in staff
// member's with the access token the app left for this (outbox-core.js setSender). A failure
// makes the browser try again later. Tags "soundings-outbox:<anything>" do the same: a new tag
// is woken at once while "soundings-outbox" may wait out the browser's back-off after a failure.
self.addEventListener("sync", (event) => {
  if (event.tag !== "soundings-outbox" && !event.tag.startsWith("soundings-outbox:")) return;
  event.waitUntil(
    (async () => {
      const outbox = self.soundingsOutbox;
      const sender = await outbox.sender();
      let outcome = await outbox.flush(sender && sender.owner, sender && sender.token);
      if (outcome.stopped === "login") {
        // The token has expired and cannot be renewed here: the app sends those records when
        // it next opens. The rest still go.
        await outbox.setSender(null, null);
        outcome = await outbox.flush(null, null);
      }
      const clients = await self.clients.matchAll();
      clients.forEach((client) => client.postMessage({ type: "outbox" }));
      if (outcome.stopped) throw new Error("outbox not yet sent: " + outcome.stopped);
    })(),
  );
});
