//! Official translations of SWEMWBS, loaded by an admin (DESIGN §3). A translation of a
//! validated scale is itself a validated instrument: Soundings never writes one, it carries the
//! words an admin pastes from an official translation (Warwick lists them), and offers SWEMWBS
//! in that language only while one is loaded.

use crate::instrument::{InstrumentDefinition, InstrumentKind};
use crate::records::{Language, bounded_text};
use crate::values::ParseError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How many response labels and items SWEMWBS has: its wording and order never change.
pub const LABELS: usize = 5;
pub const ITEMS: usize = 7;

bounded_text!(
    /// Which official translation the words come from ("Welsh translation, Warwick Medical
    /// School list").
    TranslationSource, 1, 200, "source"
);
bounded_text!(
    /// A title, a response label or an item, in the translation's words.
    TranslatedLine, 1, 300, "text"
);
bounded_text!(
    /// The instruction above the items, in the translation's words.
    TranslatedInstruction, 1, 1000, "instruction"
);

/// The language a translation may be loaded for: Welsh, the app's other language. English is
/// the original, so it is refused like any other.
pub fn translation_language(raw: &str) -> Result<Language, ParseError> {
    match Language::parse(raw) {
        Ok(Language::Welsh) => Ok(Language::Welsh),
        Ok(Language::English) => Err(ParseError(
            "English is SWEMWBS's original wording; a translation can be loaded for cy (Welsh)"
                .into(),
        )),
        Err(_) => Err(ParseError(
            "a SWEMWBS translation can be loaded for cy (Welsh) only".into(),
        )),
    }
}

/// An official translation as an admin loads it: every text of the scale, none blank, in the
/// scale's order. Only this type reaches storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SwemwbsTranslation {
    /// Which official translation these words are, as the admin names it.
    pub source: TranslationSource,
    pub title: TranslatedLine,
    pub instruction: TranslatedInstruction,
    /// The five response labels, for 1 ("None of the time") to 5 ("All of the time").
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Vec<TranslatedLine>, min_items = 5, max_items = 5)
    )]
    pub labels: Labels,
    /// The seven items, in the scale's order.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Vec<TranslatedLine>, min_items = 7, max_items = 7)
    )]
    pub items: Items,
}

macro_rules! exactly {
    ($(#[$m:meta])* $name:ident, $n:expr, $what:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(try_from = "Vec<TranslatedLine>", into = "Vec<TranslatedLine>")]
        pub struct $name([TranslatedLine; $n]);

        impl $name {
            pub fn as_slice(&self) -> &[TranslatedLine] {
                &self.0
            }
        }

        impl TryFrom<Vec<TranslatedLine>> for $name {
            type Error = ParseError;
            fn try_from(v: Vec<TranslatedLine>) -> Result<Self, ParseError> {
                let got = v.len();
                <[TranslatedLine; $n]>::try_from(v).map($name).map_err(|_| {
                    ParseError(format!("SWEMWBS has {} {}; got {got}", $n, $what))
                })
            }
        }

        impl From<$name> for Vec<TranslatedLine> {
            fn from(v: $name) -> Self {
                v.0.into()
            }
        }
    };
}

exactly!(
    /// Exactly five response labels.
    Labels, LABELS, "response labels"
);
exactly!(
    /// Exactly seven items.
    Items, ITEMS, "items"
);

/// The texts of SWEMWBS in one language: how a loaded translation is stored and shown, and how
/// the English original is shown beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SwemwbsTexts {
    pub title: String,
    pub instruction: String,
    pub labels: Vec<String>,
    pub items: Vec<String>,
}

impl From<&SwemwbsTranslation> for SwemwbsTexts {
    fn from(t: &SwemwbsTranslation) -> Self {
        let lines = |l: &[TranslatedLine]| l.iter().map(|x| x.as_str().to_owned()).collect();
        SwemwbsTexts {
            title: t.title.as_str().to_owned(),
            instruction: t.instruction.as_str().to_owned(),
            labels: lines(t.labels.as_slice()),
            items: lines(t.items.as_slice()),
        }
    }
}

impl SwemwbsTexts {
    /// The definition's own texts in `language` (for SWEMWBS, English: its original).
    pub fn of(def: &InstrumentDefinition, language: &str) -> Self {
        let text = |t: &crate::instrument::Texts| t.get(language).cloned().unwrap_or_default();
        SwemwbsTexts {
            title: text(&def.title),
            instruction: text(&def.instruction),
            labels: def.scale.labels.iter().map(text).collect(),
            items: def.items.iter().map(|i| text(&i.text)).collect(),
        }
    }
}

impl InstrumentDefinition {
    /// This definition as an organisation sees it with an official translation loaded: the
    /// translation's words in `language` beside the original ones, and `language` offered.
    /// Only SWEMWBS takes one, and only texts that fit it item for item; anything else leaves
    /// the definition as it is. Scoring never reads texts, so it is unchanged.
    pub fn with_translation(mut self, language: Language, texts: &SwemwbsTexts) -> Self {
        let fits = self.kind == InstrumentKind::Swemwbs
            && texts.items.len() == self.items.len()
            && texts.labels.len() == self.scale.labels.len();
        if !fits {
            return self;
        }
        let lang = language.as_str().to_owned();
        self.title.insert(lang.clone(), texts.title.clone());
        self.instruction
            .insert(lang.clone(), texts.instruction.clone());
        for (label, text) in self.scale.labels.iter_mut().zip(&texts.labels) {
            label.insert(lang.clone(), text.clone());
        }
        for (item, text) in self.items.iter_mut().zip(&texts.items) {
            item.text.insert(lang.clone(), text.clone());
        }
        if !self.offers_language(&lang) {
            self.languages.push(lang);
        }
        self
    }
}

/// A translation loaded for the caller's organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoadedTranslation {
    pub language: Language,
    /// The SWEMWBS version it translates.
    pub instrument_version: i32,
    pub source: String,
    pub texts: SwemwbsTexts,
    pub loaded_at: DateTime<Utc>,
    /// The name of the admin who loaded it, while their account exists.
    pub loaded_by: Option<String>,
}

/// What the SWEMWBS translations screen shows: the English original, and what is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SwemwbsTranslations {
    /// The version a translation loaded now would translate.
    pub instrument_version: i32,
    pub original: SwemwbsTexts,
    pub loaded: Vec<LoadedTranslation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn swemwbs() -> InstrumentDefinition {
        serde_json::from_str(include_str!(
            "../../migrations/src/instruments/swemwbs_v1.json"
        ))
        .unwrap()
    }

    fn body(items: usize, labels: usize) -> serde_json::Value {
        serde_json::json!({
            "source": "Test source",
            "title": "Teitl",
            "instruction": "Cyfarwyddyd",
            "labels": (1..=labels).map(|i| format!("label {i}")).collect::<Vec<_>>(),
            "items": (1..=items).map(|i| format!("item {i}")).collect::<Vec<_>>(),
        })
    }

    #[test]
    fn a_translation_has_exactly_seven_items_and_five_labels_none_blank() {
        let ok: SwemwbsTranslation = serde_json::from_value(body(7, 5)).unwrap();
        assert_eq!(ok.items.as_slice()[6].as_str(), "item 7");
        let e = serde_json::from_value::<SwemwbsTranslation>(body(6, 5)).unwrap_err();
        assert!(e.to_string().contains("SWEMWBS has 7 items; got 6"), "{e}");
        let e = serde_json::from_value::<SwemwbsTranslation>(body(7, 6)).unwrap_err();
        assert!(e.to_string().contains("5 response labels"), "{e}");
        let mut blank = body(7, 5);
        blank["labels"][2] = "  ".into();
        assert!(serde_json::from_value::<SwemwbsTranslation>(blank).is_err());
        let mut extra = body(7, 5);
        extra["copyright"] = "x".into();
        assert!(serde_json::from_value::<SwemwbsTranslation>(extra).is_err());
    }

    #[test]
    fn only_welsh_takes_a_translation() {
        assert_eq!(translation_language("cy"), Ok(Language::Welsh));
        assert!(translation_language("en").is_err());
        assert!(translation_language("fr").is_err());
    }

    #[test]
    fn a_loaded_translation_adds_its_language_and_words_and_keeps_the_original() {
        let t: SwemwbsTranslation = serde_json::from_value(body(7, 5)).unwrap();
        let sw = swemwbs().with_translation(Language::Welsh, &SwemwbsTexts::from(&t));
        assert_eq!(sw.languages, ["en", "cy"]);
        assert!(sw.offers_language("cy"));
        assert_eq!(SwemwbsTexts::of(&sw, "cy"), SwemwbsTexts::from(&t));
        assert_eq!(
            SwemwbsTexts::of(&sw, "en"),
            SwemwbsTexts::of(&swemwbs(), "en")
        );
        assert_eq!(
            sw.check(&[Some(3); 7]).unwrap(),
            swemwbs().check(&[Some(3); 7]).unwrap()
        );
    }

    #[test]
    fn texts_that_do_not_fit_change_nothing() {
        let mut texts = SwemwbsTexts::of(&swemwbs(), "en");
        texts.items.pop();
        assert_eq!(
            swemwbs().with_translation(Language::Welsh, &texts),
            swemwbs()
        );
    }
}
