// Starts the staff app's wasm (a separate file: the CSP allows no inline script), removing the
// page's loading line once it runs, or showing why it could not.
import init from "/pkg/staff/soundings_staff.js";
// After the core outbox (which the app's glue imports through /device.js): the staff part.
import "/outbox-staff.js";

const loading = document.getElementById("boot-loading");
init({ module_or_path: "/pkg/staff/soundings_staff_bg.wasm" }).then(
  () => loading?.remove(),
  (error) => {
    console.error("Soundings (staff) failed to start", error);
    loading?.remove();
    document.getElementById("boot-error")?.removeAttribute("hidden");
  },
);

// Keep the staff shell in the service worker's cache so the app opens with no signal.
navigator.serviceWorker?.ready
  .then((registration) => registration.active?.postMessage({ type: "cache-staff" }))
  .catch(() => {});
navigator.serviceWorker?.addEventListener("message", (event) => {
  if (event.data && event.data.type === "staff-cached") {
    document.documentElement.dataset.staffCached = "true";
  }
});
