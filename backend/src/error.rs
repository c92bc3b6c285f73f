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
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn body(&self) -> ErrorBody {
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
        ApiError::Internal(anyhow::Error::new(e).context("database error"))
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
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
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
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
