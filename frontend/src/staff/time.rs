//! The device's clock (chrono's own is not wired to the browser's), and dates and times as the
//! staff app shows them.

use chrono::{DateTime, NaiveDate, Utc};
use wasm_bindgen::JsValue;

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// Today's date on this device (the organisation's zone is the device's in the field).
pub fn today() -> NaiveDate {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_default()
}

/// A time (milliseconds since the epoch) as the device shows dates and times.
pub fn time_of(ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    String::from(date.to_locale_string("en-GB", &JsValue::UNDEFINED))
}

/// [`time_of`] for a moment the server or the cache gave.
pub fn time_at(at: DateTime<Utc>) -> String {
    time_of(at.timestamp_millis() as f64)
}

/// A date as the forms and lists show it: day/month/year.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The date on this device's calendar of a moment the server gave.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    let moment = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    NaiveDate::from_ymd_opt(
        moment.get_full_year() as i32,
        moment.get_month() + 1,
        moment.get_date(),
    )
    .unwrap_or_else(|| at.date_naive())
}
