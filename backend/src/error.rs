//! The one error type of the HTTP boundary. Client errors carry a JSON body naming the field at
//! fault; anything unexpected is logged with its cause chain and answered as a bare 500.

use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use domain::{ErrorBody, ErrorCode};

pub type Result<T, E = ApiError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{field}: {message}")]
    InvalidField { field: String, message: String },
    #[error("malformed request body: {0}")]
    MalformedBody(String),
    #[error("expected Content-Type: {expected}")]
    UnsupportedMediaType { expected: &'static str },
    #[error("request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    NotFound(&'static str),
    #[error("this route does not take that method")]
    MethodNotAllowed,
    #[error("{message}")]
    Conflict {
        field: Option<String>,
        message: String,
    },
    #[error("{0}")]
    Expired(&'static str),
    #[error("{} rows of the file were refused; nothing was imported", .0.len())]
    InvalidRows(Vec<domain::RowError>),
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("the service is busy and did not save this; please send it again in a moment")]
    Busy,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::InvalidField {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Conflict {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    fn code(&self) -> ErrorCode {
        match self {
            ApiError::InvalidField { .. } => ErrorCode::InvalidField,
            ApiError::MalformedBody(_) => ErrorCode::MalformedBody,
            ApiError::UnsupportedMediaType { .. } => ErrorCode::UnsupportedMediaType,
            ApiError::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            ApiError::Unauthorized(_) => ErrorCode::Unauthorized,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::Conflict { .. } => ErrorCode::Conflict,
            ApiError::Expired(_) => ErrorCode::Expired,
            ApiError::InvalidRows(_) => ErrorCode::InvalidField,
            ApiError::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            ApiError::Busy => ErrorCode::Busy,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn body(&self) -> ErrorBody {
        if self.is_busy() && !matches!(self, ApiError::Busy) {
            return ApiError::Busy.body();
        }
        let field = match self {
            ApiError::InvalidField { field, .. } => Some(field.clone()),
            ApiError::InvalidRows(rows) => {
                rows.first().map(|r| format!("row {}: {}", r.row, r.field))
            }
            ApiError::Conflict { field, .. } => field.clone(),
            ApiError::UnsupportedMediaType { .. } => Some("content_type".to_owned()),
            _ => None,
        };
        let message = match self {
            ApiError::InvalidField { message, .. } => message.clone(),
            // Internal details stay in the log; the client learns only that it was us.
            ApiError::Internal(_) => "something went wrong on our side; it has been logged".into(),
            other => other.to_string(),
        };
        ErrorBody {
            error: self.code(),
            field,
            message,
            rows: match self {
                ApiError::InvalidRows(rows) => Some(rows.clone()),
                _ => None,
            },
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        if crate::db::is_busy(&e) {
            return ApiError::Busy;
        }
        ApiError::Internal(anyhow::Error::new(e).context("database error"))
    }
}

impl From<crate::auth::NoLoginTurn> for ApiError {
    fn from(_: crate::auth::NoLoginTurn) -> Self {
        ApiError::Busy
    }
}

impl From<crate::db::NoTurn> for ApiError {
    fn from(_: crate::db::NoTurn) -> Self {
        ApiError::Busy
    }
}

impl ApiError {
    /// A database that did not answer in time (`db::is_busy`), wherever in the cause chain it
    /// sits (a report's `anyhow` error too), is `Busy`: 503, nothing written, send it again.
    /// Not a fault of ours (500).
    fn is_busy(&self) -> bool {
        match self {
            ApiError::Busy => true,
            ApiError::Internal(e) => e.chain().any(|c| {
                c.downcast_ref::<sea_orm::DbErr>()
                    .is_some_and(crate::db::is_busy)
            }),
            _ => false,
        }
    }
}

/// Seconds a client is asked to wait before sending again a request refused as `Busy`.
const BUSY_RETRY_AFTER_SECS: u64 = 2;

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        if self.is_busy() {
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        match self {
            ApiError::InvalidField { .. } | ApiError::MalformedBody(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Expired(_) => StatusCode::GONE,
            ApiError::InvalidRows(_) => StatusCode::BAD_REQUEST,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.is_busy() {
            tracing::warn!("the database did not answer in time; answered 503 busy");
            return HttpResponse::ServiceUnavailable()
                .insert_header(("Retry-After", BUSY_RETRY_AFTER_SECS.to_string()))
                .json(ApiError::Busy.body());
        }
        if let ApiError::Internal(e) = self {
            tracing::error!(error = format!("{e:#}"), "request failed");
        }
        let mut res = HttpResponse::build(self.status_code());
        match self {
            ApiError::Unauthorized(_) => {
                res.insert_header(("WWW-Authenticate", "Bearer"));
            }
            ApiError::TooManyRequests { retry_after_secs } => {
                res.insert_header(("Retry-After", retry_after_secs.to_string()));
            }
            _ => {}
        }
        res.json(self.body())
    }
}
