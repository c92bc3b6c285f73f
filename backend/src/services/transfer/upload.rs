//! Reading an uploaded CSV file from a request: a CSV media type, at most [`IMPORT_LIMIT`]
//! bytes, UTF-8 text.

use crate::ApiError;
use actix_web::{HttpRequest, http::header, web};
use futures_util::StreamExt;

/// Largest CSV file accepted for import.
pub const IMPORT_LIMIT: usize = 20 * 1024 * 1024;

/// The media types a CSV file arrives as: `text/csv`, and what browsers and tools label such a
/// file with (`text/plain`, Windows' `application/vnd.ms-excel`, `application/csv`).
const CSV_TYPES: [&str; 4] = [
    "text/csv",
    "text/plain",
    "application/csv",
    "application/vnd.ms-excel",
];

/// The file's text, or why it was refused: another media type (415), over the limit (413,
/// judged from `Content-Length` before reading where it is given), not UTF-8 (400 `file`).
pub async fn read_file(req: &HttpRequest, mut payload: web::Payload) -> Result<String, ApiError> {
    let is_csv = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|ct| {
            let mime = ct.split(';').next().unwrap_or("").trim();
            CSV_TYPES.iter().any(|t| mime.eq_ignore_ascii_case(t))
        })
        .unwrap_or(false);
    if !is_csv {
        return Err(ApiError::UnsupportedMediaType {
            expected: "text/csv",
        });
    }
    let too_large = ApiError::PayloadTooLarge {
        limit: IMPORT_LIMIT,
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > IMPORT_LIMIT) {
        return Err(too_large);
    }
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::MalformedBody(e.to_string()))?;
        if body.len() + chunk.len() > IMPORT_LIMIT {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::invalid("file", "the file is not UTF-8 text"))
}
