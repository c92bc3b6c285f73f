//! Display choices that stay on the device: larger text and high contrast (DESIGN §5). Applied
//! as classes on `<html>` so every page follows them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::store;

const STORAGE_KEY: &str = "soundings.display";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Display {
    pub large_text: bool,
    pub high_contrast: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Prefs(RwSignal<Display>);

impl Prefs {
    pub fn provide() -> Prefs {
        let prefs = Prefs(RwSignal::new(store::get(STORAGE_KEY).unwrap_or_default()));
        provide_context(prefs);
        Effect::new(move || {
            let display = prefs.0.get();
            apply("large-text", display.large_text);
            apply("high-contrast", display.high_contrast);
        });
        prefs
    }

    pub fn get(self) -> Display {
        self.0.get()
    }

    pub fn update(self, change: impl FnOnce(&mut Display)) {
        self.0.update(change);
        store::set(STORAGE_KEY, &self.0.get_untracked());
    }

    /// A participant's recorded needs switch these on for them, without switching off what
    /// they chose on this device.
    pub fn at_least(self, large_text: bool, high_contrast: bool) {
        if large_text || high_contrast {
            self.update(|d| {
                d.large_text |= large_text;
                d.high_contrast |= high_contrast;
            });
        }
    }
}

pub fn use_prefs() -> Prefs {
    use_context::<Prefs>().unwrap_or_else(|| Prefs(RwSignal::new(Display::default())))
}

fn apply(class: &str, on: bool) {
    if let Some(root) = document().document_element() {
        let list = root.class_list();
        let result = if on {
            list.add_1(class)
        } else {
            list.remove_1(class)
        };
        if let Err(error) = result {
            log::warn!("could not set display class {class}: {error:?}");
        }
    }
}
