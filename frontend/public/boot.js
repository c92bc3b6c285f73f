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

const loading = document.getElementById("boot-loading");
init({ module_or_path: "/pkg/soundings_frontend_bg.wasm" }).then(
  () => loading?.remove(),
  (error) => {
    console.error("Soundings failed to start", error);
    loading?.remove();
    document.getElementById("boot-error")?.removeAttribute("hidden");
  },
);
