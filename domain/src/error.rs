//! The one JSON body every refused request gets, so clients can point at the field at fault.

use serde::{Deserialize, Serialize};

/// Machine-readable reason for a refusal; the `message` says it for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidField,
    MalformedBody,
    UnsupportedMediaType,
    PayloadTooLarge,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    /// The invitation (or link) had expired.
    Expired,
    TooManyRequests,
    /// The database was too busy to answer in time: nothing was written; send it again
    /// after `Retry-After` seconds.
    Busy,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorCode,
    /// The request field at fault, as a dotted path (`items[2].rating`), where one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
    /// For a file import: every row refused, so the whole file can be fixed in one go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<RowError>>,
}

/// One refused row of an imported file (rows count from 1 after the header line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowError {
    pub row: usize,
    pub field: String,
    pub message: String,
}
