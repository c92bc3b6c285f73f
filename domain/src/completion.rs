//! How a response was completed, in separate fields (DESIGN.md §3): answers read aloud or
//! given by someone else can be biased, so every figure can be split by these.

use serde::{Deserialize, Serialize};

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        // Written by hand: the derive cannot see renames made through a macro, and the wire
        // names are what clients must send.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Result<Self, crate::ParseError> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(crate::ParseError(format!(
                        "unknown {} {other:?}; expected one of: {}",
                        stringify!($name).to_lowercase(),
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }
    };
}
pub(crate) use wire_enum;

wire_enum!(
    /// Who answered: the person themselves, or someone answering for them.
    Respondent { SelfReport = "self", Proxy = "proxy" }
);

wire_enum!(
    /// What help the person had while answering.
    Support { None = "none", ReadAloud = "read_aloud", StaffAssisted = "staff_assisted" }
);

wire_enum!(
    /// Whose device, or paper, carried the answers.
    Channel { OwnDevice = "own_device", StaffDevice = "staff_device", PaperTranscribed = "paper_transcribed" }
);

wire_enum!(
    /// Which form of the questions was shown.
    Format { Standard = "standard", EasyRead = "easy_read" }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_fields_use_their_documented_names() {
        assert_eq!(
            serde_json::to_string(&Respondent::SelfReport).unwrap(),
            "\"self\""
        );
        assert_eq!(Support::parse("read_aloud").unwrap(), Support::ReadAloud);
        assert_eq!(Channel::PaperTranscribed.as_str(), "paper_transcribed");
        assert!(Format::parse("pictures").is_err());
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()).unwrap(), *c);
        }
    }
}
