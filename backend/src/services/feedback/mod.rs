//! Giving people the results (DESIGN.md §7): "you said, we did" actions and their digests,
//! purpose-limited results links, a participant's own wellbeing change, and the prompts that
//! send a specialist to talk a decline through in person.

mod actions;
mod digests;
mod results;
mod wellbeing;

pub use actions::{
    create_action, get_action, list_actions, public_actions, publish_action, update_action,
};
pub use results::{
    RESULTS, ResultsClaims, ResultsReader, link_for, new_link, open_link, service_results,
};
pub use wellbeing::{own_wellbeing, prompt_done, prompts};
