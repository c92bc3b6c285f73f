//! Property tests: the parsers take any input without panicking, and accept exactly what the
//! rules allow.

use crate::fixed::{Hundredths, round_div};
use crate::period::Period;
use crate::records::Reference;
use crate::swemwbs::SwemwbsForm;
use crate::values::{Email, Name, Rating};
use proptest::prelude::*;

proptest! {
    #[test]
    fn text_parsers_never_panic_and_what_they_accept_is_clean(s in ".{0,300}") {
        if let Ok(e) = Email::parse(&s) {
            prop_assert_eq!(e.as_str(), e.as_str().trim().to_lowercase());
            prop_assert!(e.as_str().contains('@'));
            prop_assert_eq!(Email::parse(e.as_str()).ok(), Some(e.clone()));
        }
        if let Ok(n) = Name::parse(&s) {
            prop_assert!(!n.as_str().is_empty() && n.as_str().chars().count() <= 100);
        }
        if let Ok(r) = Reference::parse(&s) {
            prop_assert_eq!(r.as_str(), r.as_str().trim());
        }
    }

    #[test]
    fn a_swemwbs_form_is_accepted_exactly_when_it_has_seven_items_of_one_to_five(
        items in proptest::collection::vec(proptest::option::of(0u8..=9), 0..12)
    ) {
        let valid = items.len() == 7 && items.iter().flatten().all(|v| (1..=5).contains(v));
        match SwemwbsForm::parse(&items) {
            Ok(form) => {
                prop_assert!(valid);
                let complete = items.iter().all(Option::is_some);
                prop_assert_eq!(form.metric().is_some(), complete);
                if let Some(raw) = form.raw() {
                    prop_assert!((7..=35).contains(&raw));
                }
            }
            Err(_) => prop_assert!(!valid),
        }
    }

    #[test]
    fn ratings_are_exactly_one_to_five(v in any::<u8>()) {
        prop_assert_eq!(Rating::new(v).is_ok(), (1..=5).contains(&v));
    }

    #[test]
    fn division_rounds_to_the_nearest_with_halves_away_from_zero(
        n in -1_000_000_000i128..1_000_000_000, d in 1i128..100_000
    ) {
        let q = i128::from(round_div(n, d).unwrap());
        // |n - q·d| is at most half of d...
        prop_assert!(2 * (n - q * d).abs() <= d);
        // ...and on an exact half, q is the one further from zero.
        if 2 * (n - q * d).abs() == d {
            prop_assert!(q.abs() * d > n.abs());
        }
        prop_assert_eq!(round_div(-n, d).map(|x| -x), round_div(n, d));
    }

    #[test]
    fn a_mean_of_ratings_lies_between_one_and_five(ratings in proptest::collection::vec(1i64..=5, 1..500)) {
        let mean = Hundredths::ratio(ratings.iter().sum(), ratings.len() as i64).unwrap();
        prop_assert!((100..=500).contains(&mean.0));
    }

    #[test]
    fn months_and_quarters_never_panic_and_hold_their_ends(y in -5000i32..5000, m in 0u32..15, q in 0u32..6) {
        if let Ok(p) = Period::month(y, m) {
            prop_assert!(p.contains(p.first) && p.contains(p.last));
            prop_assert_eq!(p.months().len(), 1);
        }
        if let Ok(p) = Period::financial_quarter(y, q) {
            prop_assert_eq!(p.months().len(), 3);
        }
    }
}
