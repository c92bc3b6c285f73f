// Starts the staff app's wasm (a separate file: the CSP allows no inline script).
import init from "/pkg/soundings_staff.js";

init({ module_or_path: "/pkg/soundings_staff_bg.wasm" }).catch((error) => {
  console.error("Soundings (staff) failed to start", error);
  document.getElementById("boot-error")?.removeAttribute("hidden");
});

// Keep the staff shell in the service worker's cache so the app opens with no signal.
navigator.serviceWorker?.ready
  .then((registration) => registration.active?.postMessage({ type: "cache-staff" }))
  .catch(() => {});
navigator.serviceWorker?.addEventListener("message", (event) => {
  if (event.data && event.data.type === "staff-cached") {
    document.documentElement.dataset.staffCached = "true";
  }
});
