//! The optional equality questions on the new-client form (DESIGN §4a): date of birth, gender,
//! ethnicity, disability or primary need, living situation and urban or rural, each with
//! "prefer not to say"; left empty it is "not recorded".

use domain::records::{Area, Equality, Ethnicity, Gender, LivingSituation, PrimaryNeed};
use leptos::prelude::*;

use super::{Refusal, optional_date, refusal};
use crate::i18n::{StaffMessages, use_i18n};
use crate::staff::components::checked::{Input, Problem, Select};
use crate::staff::text::{options, trs};
use crate::staff::time::today;

#[derive(Debug, Clone, Copy)]
pub struct EqualityFields {
    born_on: RwSignal<String>,
    gender: RwSignal<String>,
    ethnicity: RwSignal<String>,
    disability: RwSignal<String>,
    living: RwSignal<String>,
    area: RwSignal<String>,
}

impl EqualityFields {
    pub fn new() -> EqualityFields {
        let empty = || RwSignal::new(String::new());
        EqualityFields {
            born_on: empty(),
            gender: empty(),
            ethnicity: empty(),
            disability: empty(),
            living: empty(),
            area: empty(),
        }
    }

    /// The answers given, checked by `Equality::check`.
    pub fn check(self, t: &'static StaffMessages) -> Result<Equality, Refusal> {
        let born_on = optional_date(&self.born_on.get_untracked())
            .map_err(|()| (t.staff_error_date.to_owned(), "born-on"))?;
        fn pick<T>(
            s: RwSignal<String>,
            parse: fn(&str) -> Result<T, domain::ParseError>,
        ) -> Option<T> {
            s.with_untracked(|v| parse(v).ok())
        }
        let e = Equality {
            born_on,
            gender: pick(self.gender, Gender::parse),
            ethnicity: pick(self.ethnicity, Ethnicity::parse),
            disability: pick(self.disability, PrimaryNeed::parse),
            living_situation: pick(self.living, LivingSituation::parse),
            area: pick(self.area, Area::parse),
        };
        e.check(today())
            .map_err(|e| refusal(t, &e, &[("equality.born_on", "born-on")]))?;
        Ok(e)
    }
}

fn keys<T: Copy>(all: &[T], key: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| key(*v)).collect()
}

#[component]
pub fn EqualityFieldset(fields: EqualityFields, problem: Problem) -> impl IntoView {
    let t = use_i18n().s();
    let choose = |keys: Vec<&'static str>| options(t, &keys);
    let blank = t.staff_not_recorded;
    view! {
        <h2>{trs(|t| t.staff_equality_title)}</h2>
        <p class="hint">{trs(|t| t.staff_equality_lead)}</p>
        <Input
            id="born-on"
            label=trs(|t| t.staff_born_on)
            hint=trs(|t| t.staff_optional)
            kind="date"
            value=fields.born_on
            problem
        />
        <Select
            id="gender"
            label=trs(|t| t.staff_gender)
            options=choose(keys(Gender::ALL, Gender::as_str))
            blank
            value=fields.gender
            problem
        />
        <Select
            id="ethnicity"
            label=trs(|t| t.staff_ethnicity)
            hint=trs(|t| t.staff_ethnicity_hint)
            options=choose(keys(Ethnicity::ALL, Ethnicity::as_str))
            blank
            value=fields.ethnicity
            problem
        />
        <Select
            id="disability"
            label=trs(|t| t.staff_disability)
            options=choose(keys(PrimaryNeed::ALL, PrimaryNeed::as_str))
            blank
            value=fields.disability
            problem
        />
        <Select
            id="living"
            label=trs(|t| t.staff_living)
            options=choose(keys(LivingSituation::ALL, LivingSituation::as_str))
            blank
            value=fields.living
            problem
        />
        <Select
            id="area"
            label=trs(|t| t.staff_area)
            options=choose(keys(Area::ALL, Area::as_str))
            blank
            value=fields.area
            problem
        />
    }
}
