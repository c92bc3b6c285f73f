//! `ApiJson<T>`: a JSON body extractor whose refusals name the field at fault
//! (`items[2].rating`) and never reach a handler half-parsed.

use crate::error::ApiError;
use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use futures_util::{StreamExt, future::LocalBoxFuture};
use serde::de::DeserializeOwned;

/// Largest JSON body accepted; batches of offline records are the largest legitimate bodies.
pub const JSON_LIMIT: usize = 256 * 1024;

/// The parsed body, or why it could not be parsed. Extraction itself never fails: actix polls
/// a handler's extractors together and answers with the first error, so a bad body would
/// otherwise be reported (400) before the caller's identity was checked (401/403). Handlers
/// call [`ApiJson::into_inner`] once the identity extractors have run.
pub struct ApiJson<T>(Result<T, ApiError>);

impl<T> ApiJson<T> {
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                let mime = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move { Ok(ApiJson(read(is_json, declared_len, &mut payload).await)) })
    }
}

async fn read<T: DeserializeOwned>(
    is_json: bool,
    declared_len: Option<usize>,
    payload: &mut Payload,
) -> Result<T, ApiError> {
    {
        {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType {
                    expected: "application/json",
                });
            }
            if declared_len.is_some_and(|n| n > JSON_LIMIT) {
                return Err(ApiError::PayloadTooLarge { limit: JSON_LIMIT });
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| ApiError::MalformedBody(e.to_string()))?;
                if body.len() + chunk.len() > JSON_LIMIT {
                    return Err(ApiError::PayloadTooLarge { limit: JSON_LIMIT });
                }
                body.extend_from_slice(&chunk);
            }
            parse(&body)
        }
    }
}

/// Deserialises `bytes`, turning serde's error into one that names the field.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // serde reads a struct from a JSON array too (fields by position), so `[null, null]` would
    // pass as a PATCH with nothing in it. Every body this API takes is an object.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(ApiError::invalid("body", "the body must be a JSON object"));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let message = strip_position(&inner.to_string());
                let field = if path == "." {
                    backticked(&message).unwrap_or_else(|| "body".into())
                } else {
                    match backticked(&message) {
                        Some(name) if message.starts_with("missing field") => {
                            format!("{path}.{name}")
                        }
                        _ => path,
                    }
                };
                ApiError::invalid(field, message)
            }
            _ => ApiError::MalformedBody(strip_position(&inner.to_string())),
        }
    })
}

/// serde names missing and unknown fields in backticks: "missing field `email`".
fn backticked(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Query-string parameters, judged only when the handler asks (after the identity
/// extractors), for the same reason as [`ApiJson`].
pub struct ApiQuery<T>(Result<T, ApiError>);

impl<T> ApiQuery<T> {
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T: DeserializeOwned> FromRequest for ApiQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parsed = web::Query::<T>::from_query(req.query_string())
            .map(web::Query::into_inner)
            .map_err(|e| ApiError::invalid("query", e.to_string()));
        std::future::ready(Ok(ApiQuery(parsed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        rating: u8,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    #[serde(deny_unknown_fields)]
    struct Body {
        name: String,
        items: Vec<Item>,
    }

    fn field_of(json: &str) -> Option<String> {
        match parse::<Body>(json.as_bytes()) {
            Err(ApiError::InvalidField { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn a_missing_field_is_named() {
        assert_eq!(field_of(r#"{"items":[]}"#).as_deref(), Some("name"));
    }

    #[test]
    fn a_wrong_type_deep_inside_is_named_by_its_path() {
        assert_eq!(
            field_of(r#"{"name":"a","items":[{"rating":1},{"rating":"x"}]}"#).as_deref(),
            Some("items[1].rating")
        );
    }

    #[test]
    fn a_missing_field_deep_inside_is_named_by_its_path() {
        assert_eq!(
            field_of(r#"{"name":"a","items":[{}]}"#).as_deref(),
            Some("items[0].rating")
        );
    }

    #[test]
    fn an_unknown_field_is_named() {
        assert_eq!(
            field_of(r#"{"name":"a","items":[],"admin":true}"#).as_deref(),
            Some("admin")
        );
    }

    #[test]
    fn broken_json_is_malformed_not_a_field_error() {
        assert!(matches!(
            parse::<Body>(b"{\"name\":"),
            Err(ApiError::MalformedBody(_))
        ));
    }
}
