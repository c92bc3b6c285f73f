//! Values parsed once at the edge: holding one proves it is valid.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

fn err(msg: impl Into<String>) -> ParseError {
    ParseError(msg.into())
}

/// A staff member's role inside their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Manager,
    Specialist,
    /// Read-only, outside the service: sees the published reports of the organisations that
    /// share with them and their headline trend, never personal data (DESIGN §7).
    Commissioner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Specialist => "specialist",
            Role::Commissioner => "commissioner",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ParseError> {
        match s {
            "admin" => Ok(Role::Admin),
            "manager" => Ok(Role::Manager),
            "specialist" => Ok(Role::Specialist),
            "commissioner" => Ok(Role::Commissioner),
            other => Err(err(format!(
                "unknown role {other:?}: expected admin, manager, specialist or commissioner"
            ))),
        }
    }
}

impl Role {
    /// Whether this is a member of the service's own staff (not a commissioner outside it).
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Commissioner)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A phone number people can call for help: digits with spaces, hyphens or brackets between
/// them, an optional leading `+`, starting and ending with a digit (`116 123`, `0800 123 4567`,
/// `+44 29 2000 0000`). Exactly the schema's pattern, so the document and the server agree.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(value_type = String, min_length = 3, max_length = 21, pattern = r"^\+?[0-9][0-9 ()-]{1,18}[0-9]$")
)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let digits = raw.strip_prefix('+').unwrap_or(raw);
        let chars: Vec<char> = digits.chars().collect();
        let (Some(first), Some(last)) = (chars.first(), chars.last()) else {
            return Err(err("phone is empty"));
        };
        if !(3..=20).contains(&chars.len()) {
            return Err(err("phone must be 3 to 20 digits and separators"));
        }
        if !first.is_ascii_digit() || !last.is_ascii_digit() {
            return Err(err(
                "phone must start and end with a digit (after an optional +)",
            ));
        }
        if !chars
            .iter()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-'))
        {
            return Err(err(
                "phone may hold only digits, spaces, hyphens and brackets, after an optional +",
            ));
        }
        Ok(PhoneNumber(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For a `tel:` link: the `+` and digits only.
    pub fn dialable(&self) -> String {
        self.0
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PhoneNumber::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(v: PhoneNumber) -> Self {
        v.0
    }
}

/// An email address, trimmed and lower-cased so one person has one login.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = "email"))]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// An email address as it is compared: trimmed and lower case. Every address is stored so,
/// and an unsubscribe follows it across records.
pub fn normalised_address(raw: &str) -> String {
    raw.trim().to_lowercase()
}

impl Email {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let s = normalised_address(raw);
        if s.is_empty() {
            return Err(err("email is empty"));
        }
        if s.len() > 254 {
            return Err(err("email is longer than 254 characters"));
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(err("email has no @"));
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty()
            || !domain_ok
            || domain.contains('@')
            || s.chars().any(char::is_whitespace)
        {
            return Err(err("email is not a valid address"));
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A display name for a person or a team: 1–100 characters after trimming, no control characters.
/// (The schema's pattern says the same: not blank, no control characters.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, min_length = 1, max_length = 100, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"))]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(err("name is empty"));
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(err(format!(
                "name is longer than {} characters",
                Self::MAX_CHARS
            )));
        }
        if s.chars().any(char::is_control) {
            return Err(err("name contains control characters"));
        }
        Ok(Name(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Name {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Name::parse(&value)
    }
}

impl From<Name> for String {
    fn from(value: Name) -> Self {
        value.0
    }
}

/// A new password: long enough to resist guessing, short enough not to be a hashing DoS.
/// Its Debug never shows the secret.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, min_length = 12, max_length = 256))]
#[serde(try_from = "String")]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let n = raw.chars().count();
        if n < Self::MIN_CHARS {
            return Err(err(format!(
                "password must be at least {} characters",
                Self::MIN_CHARS
            )));
        }
        if n > Self::MAX_CHARS {
            return Err(err(format!(
                "password must be at most {} characters",
                Self::MAX_CHARS
            )));
        }
        Ok(Password(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Password {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Password::parse(&value)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_number_is_digits_with_separators_between_them() {
        for good in [
            "116 123",
            "0800 123 4567",
            "+44 29 2000 0000",
            "029-2000-0000",
            "0800 (123) 4",
        ] {
            assert_eq!(PhoneNumber::parse(good).unwrap().as_str(), good);
        }
        assert_eq!(
            PhoneNumber::parse("+44 29 2000 0000").unwrap().dialable(),
            "+442920000000"
        );
        for bad in [
            "",
            "+",
            "12",
            " 116 123",
            "116 123 ",
            "(029) 2000",
            "116+123",
            "ring 116",
            "0800 123 4567 890 12 3",
            "123\n456",
        ] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad:?} accepted");
        }
        // The schema's pattern, checked by hand: 3 to 20 characters after the optional +.
        assert!(PhoneNumber::parse(&"1".repeat(20)).is_ok());
        assert!(PhoneNumber::parse(&format!("+{}", "1".repeat(20))).is_ok());
        assert!(PhoneNumber::parse(&"1".repeat(21)).is_err());
    }

    #[test]
    fn email_is_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Ann.Smith@Example.ORG ").unwrap().as_str(),
            "ann.smith@example.org"
        );
    }

    #[test]
    fn email_without_at_or_dot_in_domain_is_refused() {
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "a b@example.org",
            "a@@b.org",
            "a@b..org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn name_is_trimmed_and_bounded() {
        assert_eq!(Name::parse("  North team ").unwrap().as_str(), "North team");
        assert!(Name::parse("   ").is_err());
        assert!(Name::parse(&"x".repeat(101)).is_err());
        assert!(Name::parse(&"x".repeat(100)).is_ok());
        assert!(Name::parse("tab\there").is_err());
    }

    #[test]
    fn password_length_is_bounded_and_debug_hides_it() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"p".repeat(257)).is_err());
        let p = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }

    #[test]
    fn role_round_trips_through_its_name() {
        for r in [Role::Admin, Role::Manager, Role::Specialist] {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
        assert!(Role::parse("owner").is_err());
    }

    #[test]
    fn a_bad_email_in_json_is_a_deserialisation_error() {
        let r: Result<Email, _> = serde_json::from_str("\"nope\"");
        assert!(r.is_err());
    }
}

/// An answer on a 1–5 scale (satisfaction items, SWEMWBS items).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = u8, minimum = 1, maximum = 5))]
#[serde(try_from = "u8", into = "u8")]
pub struct Rating(u8);

impl Rating {
    pub fn new(v: u8) -> Result<Self, ParseError> {
        if (1..=5).contains(&v) {
            Ok(Rating(v))
        } else {
            Err(err(format!("a rating is 1 to 5; got {v}")))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Rating {
    type Error = ParseError;
    fn try_from(v: u8) -> Result<Self, Self::Error> {
        Rating::new(v)
    }
}

impl From<Rating> for u8 {
    fn from(r: Rating) -> Self {
        r.0
    }
}

#[cfg(test)]
mod rating_tests {
    use super::*;

    #[test]
    fn ratings_are_one_to_five() {
        for v in 1..=5 {
            assert_eq!(Rating::new(v).unwrap().get(), v);
        }
        assert!(Rating::new(0).is_err());
        assert!(Rating::new(6).is_err());
        assert!(serde_json::from_str::<Rating>("6").is_err());
        assert!(serde_json::from_str::<Rating>("0").is_err());
        assert!(serde_json::from_str::<Rating>("-1").is_err());
        assert_eq!(serde_json::from_str::<Rating>("4").unwrap().get(), 4);
    }
}
