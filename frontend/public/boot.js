// Starts the wasm app. A separate file because the Content-Security-Policy allows no inline
// script. If start-up fails (an old browser, a broken download) the person sees why.
import init from "/pkg/soundings_frontend.js";

init({ module_or_path: "/pkg/soundings_frontend_bg.wasm" }).catch((error) => {
  console.error("Soundings failed to start", error);
  document.getElementById("boot-error")?.removeAttribute("hidden");
});
