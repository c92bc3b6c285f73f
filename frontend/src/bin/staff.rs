//! Entry point of the staff app (specialists in the field, managers' dashboard): a second
//! binary, so none of it reaches a participant's survey link.

fn main() {
    soundings_frontend::start_logging();
    leptos::mount::mount_to_body(soundings_frontend::staff::StaffApp);
}
