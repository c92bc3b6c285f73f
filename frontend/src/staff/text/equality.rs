//! The words for equality answers and the groups of an equality split (DESIGN §4a), by their
//! wire values: the same words on the new-client form and on the dashboard.

use crate::i18n::StaffMessages;

/// A group's name in the person's language (`None` for a key this app does not know).
pub fn group_label(t: &'static StaffMessages, key: &str) -> Option<&'static str> {
    Some(match key {
        "woman" => t.staff_gender_woman,
        "man" => t.staff_gender_man,
        "non_binary" => t.staff_gender_non_binary,
        "asian" => t.staff_ethnicity_asian,
        "black" => t.staff_ethnicity_black,
        "mixed" => t.staff_ethnicity_mixed,
        "white" => t.staff_ethnicity_white,
        "learning_disability" => t.staff_need_learning_disability,
        "autism" => t.staff_need_autism,
        "mental_health" => t.staff_need_mental_health,
        "physical" => t.staff_need_physical,
        "sensory" => t.staff_need_sensory,
        "long_term_condition" => t.staff_need_long_term,
        "none" => t.staff_need_none,
        "with_family" => t.staff_living_family,
        "independently" => t.staff_living_independently,
        "supported_living" => t.staff_living_supported,
        "residential_care" => t.staff_living_residential,
        "urban" => t.staff_area_urban,
        "rural" => t.staff_area_rural,
        "under_18" => t.staff_age_under_18,
        "18_24" => "18–24",
        "25_34" => "25–34",
        "35_49" => "35–49",
        "50_64" => "50–64",
        "65_and_over" => t.staff_age_65_over,
        "above" => t.staff_pay_above,
        "at" => t.staff_pay_at,
        "below" => t.staff_pay_below,
        "not_known" => t.staff_pay_not_known,
        "other" => t.staff_answer_other,
        "prefer_not_to_say" => t.staff_prefer_not_to_say,
        "not_recorded" => t.staff_not_recorded,
        _ => return None,
    })
}

/// `(wire value, words)` for each of `keys`, for a choice on a form.
pub fn options(t: &'static StaffMessages, keys: &[&str]) -> Vec<(String, String)> {
    keys.iter()
        .map(|k| ((*k).to_owned(), group_label(t, k).unwrap_or(k).to_owned()))
        .collect()
}
