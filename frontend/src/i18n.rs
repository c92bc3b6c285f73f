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

    /// The staff app's texts (kept apart so the participant app never carries them).
    pub fn staff(self) -> &'static StaffMessages {
        match self {
            Lang::En => &STAFF_EN,
            Lang::Cy => &STAFF_CY,
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

    /// The staff app's texts for the current language.
    pub fn s(self) -> &'static StaffMessages {
        self.0.get().staff()
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

/// A translated text that follows the language. Every text in the app goes through this one
/// function, so the view code for "a text that changes with the language" exists once in the
/// wasm instead of once per text (it kept the first download small).
pub fn tr(pick: fn(&'static Messages) -> &'static str) -> Signal<&'static str> {
    let i18n = use_i18n();
    Signal::derive(move || pick(i18n.t()))
}

/// [`tr`] for places that take owned text (headings shared with instrument texts).
pub fn tr_owned(pick: fn(&'static Messages) -> &'static str) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || pick(i18n.t()).to_owned())
}

/// Fills `{name}` placeholders in a translated text.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// A date as people write it: "1 July 2026" / "1 Gorffennaf 2026".
pub fn long_date(date: chrono::NaiveDate, t: &Messages) -> String {
    use chrono::Datelike as _;
    let month = [
        t.month_1, t.month_2, t.month_3, t.month_4, t.month_5, t.month_6, t.month_7, t.month_8,
        t.month_9, t.month_10, t.month_11, t.month_12,
    ]
    .get(date.month0() as usize)
    .copied()
    .unwrap_or_default();
    format!("{} {month} {}", date.day(), date.year())
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
    fn placeholders_are_filled_and_dates_written_in_each_language() {
        assert_eq!(
            fill(EN.question_of, &[("n", "2"), ("total", "6")]),
            "Question 2 of 6"
        );
        assert_eq!(
            fill(CY.question_of, &[("n", "2"), ("total", "6")]),
            "Cwestiwn 2 o 6"
        );
        let date = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(long_date(date, &EN), "1 July 2026");
        assert_eq!(long_date(date, &CY), "1 Gorffennaf 2026");
    }

    #[test]
    fn every_placeholder_in_english_is_in_welsh_too() {
        let en: BTreeMap<String, String> =
            serde_json::from_str(include_str!("../locales/en.json")).unwrap();
        let cy: BTreeMap<String, String> =
            serde_json::from_str(include_str!("../locales/cy.json")).unwrap();
        let names = |text: &str| -> BTreeSet<String> {
            text.split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
                .collect()
        };
        for (key, text) in &en {
            assert_eq!(names(text), names(&cy[key]), "placeholders differ in {key}");
        }
    }

    #[test]
    fn the_switch_offers_the_other_language() {
        assert_eq!(Lang::En.other(), Lang::Cy);
        assert_eq!(Lang::Cy.other(), Lang::En);
        assert_eq!(Lang::Cy.messages().language_switch, "English");
    }
}
