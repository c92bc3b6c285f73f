//! Entry point of the PWA: send panics and logs to the browser console, then mount the app.

fn main() {
    soundings_frontend::start_logging();
    leptos::mount::mount_to_body(soundings_frontend::App);
}
