//! The app's languages: English first, Welsh second (DESIGN §5). Texts come from
//! `locales/*.json`, turned into statics by `build.rs`, which also refuses to build when the
//! files do not have the same keys.

use leptos::prelude::*;

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// Where a person's choice is kept, so the app opens in it next time, offline too.
const STORAGE_KEY: &str = "soundings.lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Cy,
}

impl Lang {
    /// The BCP 47 code, for `<html lang>` and the stored choice.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Cy => "cy",
        }
    }

    /// Accepts a stored code or a browser language tag such as `cy-GB`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "cy" => Some(Lang::Cy),
            _ => None,
        }
    }

    pub fn messages(self) -> &'static Messages {
        match self {
            Lang::En => &EN,
            Lang::Cy => &CY,
        }
    }

    /// The language the switch offers from this one.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Cy,
            Lang::Cy => Lang::En,
        }
    }
}

/// The current language, shared through context so any component can translate.
#[derive(Debug, Clone, Copy)]
pub struct I18n(RwSignal<Lang>);

impl I18n {
    /// Starts from the person's stored choice, else a Welsh browser, else English.
    pub fn provide() -> I18n {
        let i18n = I18n(RwSignal::new(initial_language()));
        provide_context(i18n);
        // Keep the document in step so screen readers pronounce the text in the right language.
        Effect::new(move || apply_to_document(i18n.0.get()));
        i18n
    }

    pub fn lang(self) -> Lang {
        self.0.get()
    }

    /// The texts for the current language; reading it inside a view makes the view follow a
    /// language change.
    pub fn t(self) -> &'static Messages {
        self.0.get().messages()
    }

    pub fn set(self, lang: Lang) {
        self.0.set(lang);
        remember(lang);
    }
}

/// The `I18n` of the running app. Outside one (a component rendered alone) it falls back to
/// English rather than failing, since English is always complete.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n(RwSignal::new(Lang::default())))
}

fn initial_language() -> Lang {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|code| Lang::from_tag(&code));
    stored
        .or_else(|| {
            window()
                .navigator()
                .language()
                .as_deref()
                .and_then(Lang::from_tag)
        })
        .unwrap_or_default()
}

fn remember(lang: Lang) {
    // Storage can be unavailable (private mode, quota); the choice then lasts this visit only.
    if let Ok(Some(storage)) = window().local_storage()
        && let Err(error) = storage.set_item(STORAGE_KEY, lang.code())
    {
        log::warn!("could not store the language choice: {error:?}");
    }
}

fn apply_to_document(lang: Lang) {
    let document = document();
    if let Some(root) = document.document_element()
        && let Err(error) = root.set_attribute("lang", lang.code())
    {
        log::warn!("could not set <html lang>: {error:?}");
    }
    document.set_title(lang.messages().app_name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn keys(json: &str) -> serde_json::Result<BTreeSet<String>> {
        let catalogue: BTreeMap<String, String> = serde_json::from_str(json)?;
        Ok(catalogue.into_keys().collect())
    }

    // build.rs already refuses mismatched files; this keeps the rule visible in `cargo test`.
    #[test]
    fn english_and_welsh_have_the_same_keys() -> serde_json::Result<()> {
        let en = keys(include_str!("../locales/en.json"))?;
        let cy = keys(include_str!("../locales/cy.json"))?;
        let missing_in_cy: Vec<_> = en.difference(&cy).collect();
        let missing_in_en: Vec<_> = cy.difference(&en).collect();
        assert!(missing_in_cy.is_empty(), "cy.json lacks {missing_in_cy:?}");
        assert!(missing_in_en.is_empty(), "en.json lacks {missing_in_en:?}");
        Ok(())
    }

    #[test]
    fn browser_language_tags_map_to_a_language() {
        assert_eq!(Lang::from_tag("cy-GB"), Some(Lang::Cy));
        assert_eq!(Lang::from_tag("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("CY"), Some(Lang::Cy));
        assert_eq!(Lang::from_tag("fr-FR"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn the_switch_offers_the_other_language() {
        assert_eq!(Lang::En.other(), Lang::Cy);
        assert_eq!(Lang::Cy.other(), Lang::En);
        assert_eq!(Lang::Cy.messages().language_switch, "English");
    }
}
