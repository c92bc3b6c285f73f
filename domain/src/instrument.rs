//! Instrument definitions: what is asked, in which words, on which scale. Versioned; a response
//! keeps the version it answered.

use crate::{fixed::Hundredths, swemwbs::SwemwbsForm};
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

crate::completion::wire_enum!(
    /// The instruments Soundings asks (DESIGN.md §3): their keys, as stored and on the wire.
    InstrumentKey {
        JobseekerSatisfaction = "jobseeker_satisfaction",
        EmployerSatisfaction = "employer_satisfaction",
        Swemwbs = "swemwbs",
    }
);

impl Audience {
    /// The satisfaction survey this audience answers: employers KPI C, jobseekers KPI D.
    pub fn satisfaction_instrument(self) -> InstrumentKey {
        match self {
            Audience::Employer => InstrumentKey::EmployerSatisfaction,
            Audience::Jobseeker => InstrumentKey::JobseekerSatisfaction,
        }
    }
}

impl InstrumentKey {
    /// Whose satisfaction this instrument measures; `None` for SWEMWBS.
    pub fn satisfaction_audience(self) -> Option<Audience> {
        match self {
            InstrumentKey::EmployerSatisfaction => Some(Audience::Employer),
            InstrumentKey::JobseekerSatisfaction => Some(Audience::Jobseeker),
            InstrumentKey::Swemwbs => None,
        }
    }
}

/// Answers that do not fit their instrument: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswersError {
    pub field: String,
    pub message: String,
}

/// What a response's answers come to under its instrument: the one scoring rule that the
/// server (API, sync, CSV import, demo) and the PWA all use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    /// The overall item's rating, which feeds KPI C or D (satisfaction surveys only).
    pub overall: Option<u8>,
    /// The form, for SWEMWBS only.
    pub swemwbs: Option<SwemwbsForm>,
    /// Every item answered.
    pub complete: bool,
}

impl Scored {
    /// SWEMWBS raw score (7–35), when the form is complete.
    pub fn swemwbs_raw(&self) -> Option<u8> {
        self.swemwbs.as_ref().and_then(SwemwbsForm::raw)
    }

    /// SWEMWBS metric score, when the form is complete.
    pub fn swemwbs_metric(&self) -> Option<Hundredths> {
        self.swemwbs.as_ref().and_then(SwemwbsForm::metric)
    }
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
    pub key: InstrumentKey,
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

    /// Checks answers against this instrument (one per item, each 1 to 5 or skipped) and
    /// scores them: the overall item for a satisfaction survey, the form for SWEMWBS.
    pub fn check(&self, answers: &[Option<u8>]) -> Result<Scored, AnswersError> {
        if answers.len() != self.items.len() {
            return Err(AnswersError {
                field: "answers".into(),
                message: format!(
                    "{} has {} items; got {} answers",
                    self.key,
                    self.items.len(),
                    answers.len()
                ),
            });
        }
        if let Some((i, v)) = answers
            .iter()
            .enumerate()
            .find_map(|(i, a)| a.filter(|v| !(1..=5).contains(v)).map(|v| (i, v)))
        {
            return Err(AnswersError {
                field: format!("answers[{i}]"),
                message: format!("a rating is 1 to 5; got {v}"),
            });
        }
        let complete = answers.iter().all(Option::is_some);
        Ok(match self.kind {
            InstrumentKind::Swemwbs => Scored {
                overall: None,
                swemwbs: Some(SwemwbsForm::parse(answers).map_err(|e| AnswersError {
                    field: "answers".into(),
                    message: e.0,
                })?),
                complete,
            },
            InstrumentKind::Satisfaction => Scored {
                overall: self
                    .overall_index()
                    .and_then(|i| answers.get(i).copied().flatten()),
                swemwbs: None,
                complete,
            },
        })
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
    fn a_satisfaction_survey_scores_its_overall_item_wherever_it_stands() {
        let mut jobseeker = seeds()[1].clone();
        let scored = jobseeker
            .check(&[Some(4), Some(2), None, Some(5), Some(1)])
            .unwrap();
        assert_eq!(scored.overall, Some(4));
        assert!(!scored.complete);
        assert_eq!(scored.swemwbs_raw(), None);
        // The overall item, not the first answer, is what counts.
        jobseeker.items.swap(0, 2);
        let scored = jobseeker
            .check(&[Some(4), Some(2), Some(3), Some(5), Some(1)])
            .unwrap();
        assert_eq!(scored.overall, Some(3));
        assert!(scored.complete);
        // A skipped overall item scores nothing.
        assert_eq!(
            jobseeker
                .check(&[Some(4), Some(2), None, Some(5), Some(1)])
                .unwrap()
                .overall,
            None
        );
    }

    #[test]
    fn swemwbs_scores_its_form_and_a_blank_leaves_it_unscored() {
        let sw = &seeds()[2];
        let scored = sw.check(&[Some(3); 7]).unwrap();
        assert_eq!(scored.overall, None);
        assert_eq!(scored.swemwbs_raw(), Some(21));
        assert_eq!(scored.swemwbs_metric(), swemwbs::metric_for_raw(21));
        assert!(scored.complete);
        let blank = sw
            .check(&[Some(3), None, Some(3), Some(3), Some(3), Some(3), Some(3)])
            .unwrap();
        assert_eq!(blank.swemwbs_raw(), None);
        assert_eq!(blank.swemwbs_metric(), None);
        assert!(!blank.complete);
    }

    #[test]
    fn answers_that_do_not_fit_name_the_field_at_fault() {
        let employer = &seeds()[0];
        let e = employer.check(&[Some(3); 4]).unwrap_err();
        assert_eq!(e.field, "answers");
        assert_eq!(
            e.message,
            "employer_satisfaction has 5 items; got 4 answers"
        );
        let e = employer
            .check(&[Some(3), Some(6), None, Some(0), Some(1)])
            .unwrap_err();
        assert_eq!(e.field, "answers[1]");
        assert_eq!(e.message, "a rating is 1 to 5; got 6");
        let e = seeds()[2].check(&[Some(0); 7]).unwrap_err();
        assert_eq!(e.field, "answers[0]");
    }

    #[test]
    fn each_audience_answers_its_own_satisfaction_survey() {
        for key in InstrumentKey::ALL {
            if let Some(audience) = key.satisfaction_audience() {
                assert_eq!(audience.satisfaction_instrument(), *key);
            }
        }
        for def in seeds() {
            let key = def.key;
            if def.kind == InstrumentKind::Satisfaction {
                assert_eq!(key.satisfaction_audience(), Some(def.audience));
            } else {
                assert_eq!(key, InstrumentKey::Swemwbs);
            }
        }
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
