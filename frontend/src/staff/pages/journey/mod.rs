//! The journey of an episode as a specialist records it (DESIGN §4a): a referral and the
//! decision on it, the start of support (with the vocational profile and hours worked before),
//! jobs and their ends, and the end of support. Like every field record each is saved to the
//! outbox with an id made here, so it works with no signal. A step dated before the one it
//! follows is refused beside its field by `domain::journey::check_journey` over what this device
//! knows, and nothing is saved.

pub mod equality;
mod frame;
pub mod job;
pub mod job_end;
pub mod new_referral;
pub mod profile;
pub mod referral;
pub mod save;
pub mod start;
pub mod support_end;

use chrono::NaiveDate;
use domain::Hundredths;
use domain::records::FieldError;

use crate::i18n::StaffMessages;
use crate::staff::text::order_message;

/// Why a form was refused: what to say, and the id of the control at fault.
pub type Refusal = (String, &'static str);

/// A date field's value: `None` when empty, `Err` when it is not a date.
pub fn optional_date(text: &str) -> Result<Option<NaiveDate>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| ())
}

/// An amount typed in (hours, pounds): `None` when empty, `Err` unless it is a number with at
/// most two decimals ("12", "12.5", "£11.44").
pub fn optional_amount(text: &str) -> Result<Option<Hundredths>, ()> {
    let text = text.trim().trim_start_matches('£').trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (whole, part) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && part.is_empty() || !digits(whole) || !digits(part) || part.len() > 2 {
        return Err(());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| ())?
    };
    let cents: i64 = format!("{part:0<2}").parse().map_err(|_| ())?;
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .map(|h| Some(Hundredths(h)))
        .ok_or(())
}

/// A domain check's refusal on this form: the message in the person's language, beside the
/// control `ids` names for its field (else the first one).
pub fn refusal(t: &'static StaffMessages, e: &FieldError, ids: &[(&str, &'static str)]) -> Refusal {
    let id = ids
        .iter()
        .find(|(field, _)| *field == e.field)
        .or(ids.first())
        .map_or("main", |(_, id)| id);
    (message(t, e), id)
}

fn message(t: &'static StaffMessages, e: &FieldError) -> String {
    let fixed = match e.field {
        "hours_before" => t.staff_error_hours_before,
        "hours_per_week" => t.staff_error_job_hours,
        "hourly_pay" => t.staff_error_pay,
        "not_accepted_reason" => t.staff_error_reason,
        "equality.born_on" => t.staff_error_born_on,
        "decided_on" if e.message.starts_with("say") => t.staff_error_date,
        "job_ended_on" => t.staff_error_job_end_order,
        "ended_on" if e.message.contains("job's") => t.staff_error_job_end_order,
        _ => return order_message(t, e, t.staff_error_out_of_order),
    };
    fixed.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_to_the_penny_and_nothing_else_is() {
        assert_eq!(optional_amount(" "), Ok(None));
        assert_eq!(optional_amount("12"), Ok(Some(Hundredths(1200))));
        assert_eq!(optional_amount("12.5"), Ok(Some(Hundredths(1250))));
        assert_eq!(optional_amount("£11.44"), Ok(Some(Hundredths(1144))));
        assert_eq!(optional_amount(".5"), Ok(Some(Hundredths(50))));
        for bad in ["1.234", "abc", "-3", "1,5", ".", "1.2.3"] {
            assert_eq!(optional_amount(bad), Err(()), "{bad}");
        }
    }

    #[test]
    fn dates_are_optional_but_must_be_dates() {
        assert_eq!(optional_date(""), Ok(None));
        assert!(optional_date("2026-02-30").is_err());
        assert_eq!(
            optional_date("2026-02-28"),
            Ok(NaiveDate::from_ymd_opt(2026, 2, 28))
        );
    }
}
