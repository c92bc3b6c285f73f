//! Instrument definitions: what is asked, in which words, on which scale. Versioned; a response
//! keeps the version it answered.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Text by language code (`en`, `cy`).
pub type Texts = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InstrumentKind {
    Satisfaction,
    Swemwbs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Employer,
    Jobseeker,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scale {
    /// Five labels, for 1 to 5.
    pub labels: Vec<Texts>,
    pub easy_read_labels: Option<Vec<Texts>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    pub key: String,
    /// The overall-satisfaction item, which feeds KPI C or D.
    pub overall: bool,
    pub text: Texts,
    pub easy_read: Option<Texts>,
    /// Name of the picture shown beside the Easy Read sentence.
    pub picture: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstrumentDefinition {
    pub key: String,
    pub version: i32,
    pub kind: InstrumentKind,
    pub audience: Audience,
    /// `C`, `D` or none.
    pub kpi: Option<String>,
    /// Languages this instrument may be shown in (SWEMWBS: only official translations).
    pub languages: Vec<String>,
    pub title: Texts,
    pub instruction: Texts,
    pub easy_read_instruction: Option<Texts>,
    pub scale: Scale,
    pub items: Vec<Item>,
    pub comment_prompt: Option<Texts>,
    pub easy_read_comment_prompt: Option<Texts>,
    pub copyright: Option<String>,
}

impl InstrumentDefinition {
    pub fn has_easy_read(&self) -> bool {
        self.items.iter().all(|i| i.easy_read.is_some())
    }

    /// Position of the overall item, if this instrument has one.
    pub fn overall_index(&self) -> Option<usize> {
        self.items.iter().position(|i| i.overall)
    }

    pub fn offers_language(&self, language: &str) -> bool {
        self.languages.iter().any(|l| l == language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::swemwbs;

    fn load(json: &str) -> InstrumentDefinition {
        serde_json::from_str(json).unwrap()
    }

    fn seeds() -> [InstrumentDefinition; 3] {
        [
            load(include_str!(
                "../../migrations/src/instruments/employer_satisfaction_v1.json"
            )),
            load(include_str!(
                "../../migrations/src/instruments/jobseeker_satisfaction_v1.json"
            )),
            load(include_str!(
                "../../migrations/src/instruments/swemwbs_v1.json"
            )),
        ]
    }

    #[test]
    fn the_seeded_swemwbs_keeps_its_exact_wording_order_and_labels() {
        let sw = &seeds()[2];
        assert_eq!(sw.kind, InstrumentKind::Swemwbs);
        let items: Vec<&str> = sw.items.iter().map(|i| i.text["en"].as_str()).collect();
        assert_eq!(items, swemwbs::ITEMS);
        let labels: Vec<&str> = sw.scale.labels.iter().map(|l| l["en"].as_str()).collect();
        assert_eq!(labels, swemwbs::RESPONSES);
        assert_eq!(sw.instruction["en"], swemwbs::INSTRUCTION);
        assert_eq!(sw.copyright.as_deref(), Some(swemwbs::COPYRIGHT));
        // Never machine-translated, never pictures in place of words.
        assert_eq!(sw.languages, ["en"]);
        assert!(
            sw.items
                .iter()
                .all(|i| i.picture.is_none() && i.easy_read.is_none())
        );
    }

    #[test]
    fn the_satisfaction_surveys_are_complete_in_english_and_welsh_with_easy_read() {
        for def in &seeds()[..2] {
            assert_eq!(def.kind, InstrumentKind::Satisfaction);
            assert_eq!(def.overall_index(), Some(0));
            assert!(def.has_easy_read());
            assert_eq!(def.scale.labels.len(), 5);
            for lang in ["en", "cy"] {
                assert!(def.offers_language(lang));
                for item in &def.items {
                    assert!(item.text.contains_key(lang), "{} {}", item.key, lang);
                    assert!(item.easy_read.as_ref().unwrap().contains_key(lang));
                    assert!(item.picture.is_some());
                }
                for label in def
                    .scale
                    .labels
                    .iter()
                    .chain(def.scale.easy_read_labels.iter().flatten())
                {
                    assert!(label.contains_key(lang));
                }
                assert!(def.title.contains_key(lang));
                assert!(def.comment_prompt.as_ref().unwrap().contains_key(lang));
            }
        }
        assert_eq!(seeds()[0].kpi.as_deref(), Some("C"));
        assert_eq!(seeds()[1].kpi.as_deref(), Some("D"));
    }

    #[test]
    fn easy_read_sentences_are_short() {
        for def in &seeds()[..2] {
            for item in &def.items {
                for text in item.easy_read.as_ref().unwrap().values() {
                    let words = text.split_whitespace().count();
                    assert!(words <= 15, "{text:?} has {words} words");
                }
            }
        }
    }
}
