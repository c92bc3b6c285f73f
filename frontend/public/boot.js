// Starts the wasm app. A separate file because the Content-Security-Policy allows no inline
// script. The page shows a loading line until the app runs; if start-up fails (an old browser,
// a broken download) the person sees why instead.
import init from "/pkg/soundings_frontend.js";

// The browser's offer to install the app, kept for the app's own "add to home screen" hint.
addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  self.soundingsInstallPrompt = event;
  dispatchEvent(new Event("soundings-installable"));
});

// A survey link's invitation is opened now, while the app itself downloads, instead of after
// it starts: on a slow phone that is a round trip less before the first question. The app
// takes this answer instead of asking again (src/api.rs, `open_invitation`), so the
// invitation is still opened once; it gives up after 8 s, as the app's own requests do.
const link = /^#t=([^&]+)$/.exec(location.hash);
if (link) {
  const token = link[1].trim();
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 8000);
  self.soundingsEarlyOpen = {
    token,
    response: fetch("/api/invitations/open", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
      signal: stop.signal,
    }),
  };
}

const loading = document.getElementById("boot-loading");
init({ module_or_path: "/pkg/soundings_frontend_bg.wasm" }).then(
  () => loading?.remove(),
  (error) => {
    console.error("Soundings failed to start", error);
    loading?.remove();
    document.getElementById("boot-error")?.removeAttribute("hidden");
  },
);
