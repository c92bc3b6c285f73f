//! Typed calls to the Soundings server on the same origin. Every call returns a `Result`: being
//! offline is an expected outcome that the UI must show, never a silent `None`.

use std::time::Duration;

use gloo_net::http::Request;
use serde::Deserialize;

/// A phone on poor signal can leave a request hanging for minutes; past this we call the
/// server unreachable and let the person carry on offline.
const TIMEOUT: Duration = Duration::from_secs(8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
    #[error("the server answered with status {0}")]
    Status(u16),
    #[error("the server's answer could not be read: {0}")]
    Body(String),
    #[error("the server is not ready (it reported {0:?})")]
    NotReady(String),
}

/// Body of `GET /health/ready`.
#[derive(Debug, Deserialize)]
struct Readiness {
    status: String,
}

/// Asks whether the server is up and able to take records.
pub async fn health_ready() -> Result<(), ApiError> {
    let response = get("/health/ready").await?;
    let readiness: Readiness = response
        .json()
        .await
        .map_err(|e| ApiError::Body(e.to_string()))?;
    if readiness.status == "ready" {
        Ok(())
    } else {
        Err(ApiError::NotReady(readiness.status))
    }
}

/// A GET that gives up after `TIMEOUT` and treats any non-2xx answer as an error.
async fn get(url: &str) -> Result<gloo_net::http::Response, ApiError> {
    // AbortController rather than AbortSignal.timeout(): the latter is missing on older Safari,
    // and a missing JS function would throw straight through the wasm.
    let controller =
        web_sys::AbortController::new().map_err(|e| ApiError::Unreachable(format!("{e:?}")))?;
    let signal = controller.signal();
    leptos::prelude::set_timeout(move || controller.abort(), TIMEOUT);
    let response = Request::get(url)
        .abort_signal(Some(&signal))
        .send()
        .await
        .map_err(|e| ApiError::Unreachable(e.to_string()))?;
    if response.ok() {
        Ok(response)
    } else {
        Err(ApiError::Status(response.status()))
    }
}
