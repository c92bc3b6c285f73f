//! Entry point of the staff app (specialists in the field, managers' dashboard): a second
//! binary, so none of it reaches a participant's survey link.

fn main() {
    console_error_panic_hook::set_once();
    let level = if cfg!(debug_assertions) {
        log::Level::Debug
    } else {
        log::Level::Info
    };
    // Fails only if a logger is already set, which leaves logging working anyway.
    let _ = console_log::init_with_level(level);
    leptos::mount::mount_to_body(soundings_frontend::staff::StaffApp);
}
