//! Typed calls to the Soundings server on the same origin. Every call returns a `Result`: being
//! offline is an expected outcome that the UI must show, never a silent `None`.

use std::time::Duration;

use domain::ErrorBody;
use domain::feedback::{
    OpenResults, OwnWellbeing, PublicAction, ResultsLink, ResultsSession, Unsubscribe, Unsubscribed,
};
use domain::records::{ExchangeRequest, ExchangeResponse, PublicResults};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A phone on poor signal can leave a request hanging for minutes; past this we call the
/// server unreachable and let the person carry on offline.
const TIMEOUT: Duration = Duration::from_secs(8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
    #[error("the server answered with status {0}")]
    Status(u16),
    #[error("the server refused the request ({status}): {}", body.message)]
    Refused { status: u16, body: ErrorBody },
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

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status(status) | ApiError::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Opens an invitation with the token from its link or the short code typed in. A link's
/// invitation may already be opening: `boot.js` asks while the app downloads, and that answer
/// is taken (once) instead of asking again.
pub async fn open_invitation(request: &ExchangeRequest) -> Result<ExchangeResponse, ApiError> {
    let response = match request.token.as_deref().and_then(early_open) {
        Some(early) => {
            answered(
                JsFuture::from(early)
                    .await
                    .and_then(|r| r.dyn_into())
                    .map(|r: web_sys::Response| Response::from(r))
                    .map_err(|e| format!("{e:?}")),
            )
            .await?
        }
        None => send(Request::post("/api/invitations/open"), Some(request)).await?,
    };
    read(response).await
}

/// The request `boot.js` made for this link's token, taken so it is used once.
fn early_open(token: &str) -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let key = wasm_bindgen::JsValue::from_str("soundingsEarlyOpen");
    let early = js_sys::Reflect::get(&window, &key).ok()?;
    let same = js_sys::Reflect::get(&early, &"token".into())
        .ok()?
        .as_string()
        .is_some_and(|t| t == token.trim());
    if !same {
        return None;
    }
    js_sys::Reflect::delete_property(&window, &key).ok()?;
    js_sys::Reflect::get(&early, &"response".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Opens a results link (`#r=`): a token for the reader's results only.
pub async fn open_results(token: &str) -> Result<ResultsSession, ApiError> {
    let body = OpenResults {
        token: token.to_owned(),
    };
    read(send(Request::post("/api/results/open"), Some(&body)).await?).await
}

/// Stops emails to the person whose unsubscribe link this is (`#u=`).
pub async fn unsubscribe(token: &str) -> Result<Unsubscribed, ApiError> {
    let body = Unsubscribe {
        token: token.to_owned(),
    };
    read(send(Request::post("/api/unsubscribe"), Some(&body)).await?).await
}

/// A GET with a results or survey token.
async fn get_with<T: DeserializeOwned>(url: &str, token: &str) -> Result<T, ApiError> {
    let builder = Request::get(url).header("authorization", &bearer(token));
    read(send::<()>(builder, None).await?).await
}

/// A results link for the person who just answered (their survey token), to see their results
/// straight away.
pub async fn survey_results_link(access_token: &str) -> Result<ResultsLink, ApiError> {
    let builder =
        Request::post("/api/survey/results-link").header("authorization", &bearer(access_token));
    read(send(builder, Some(&serde_json::json!({}))).await?).await
}

pub async fn results_service(token: &str) -> Result<PublicResults, ApiError> {
    get_with("/api/results/service", token).await
}

pub async fn results_actions(token: &str) -> Result<Vec<PublicAction>, ApiError> {
    get_with("/api/results/actions", token).await
}

pub async fn results_wellbeing(token: &str) -> Result<Vec<OwnWellbeing>, ApiError> {
    get_with("/api/results/wellbeing", token).await
}

/// How people like the reader rated the service in the last closed quarter.
pub async fn survey_results(access_token: &str) -> Result<PublicResults, ApiError> {
    get_with("/api/survey/results", access_token).await
}

pub(crate) fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

pub(crate) async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response
        .json()
        .await
        .map_err(|e| ApiError::Body(e.to_string()))
}

/// Whether the server answers at all: what the app asks, with no signal, to notice the signal
/// is back (the answer itself reports it through [`send`]).
pub(crate) async fn probe() -> Result<(), ApiError> {
    get("/health/live").await.map(|_| ())
}

/// A GET that gives up after `TIMEOUT` and treats any non-2xx answer as an error.
async fn get(url: &str) -> Result<Response, ApiError> {
    send::<()>(Request::get(url), None).await
}

/// Sends a request that gives up after `TIMEOUT`; a non-2xx answer is an error carrying the
/// server's JSON refusal when it sent one.
pub(crate) async fn send<B: Serialize>(
    builder: RequestBuilder,
    body: Option<&B>,
) -> Result<Response, ApiError> {
    // AbortController rather than AbortSignal.timeout(): the latter is missing on older Safari,
    // and a missing JS function would throw straight through the wasm.
    let controller =
        web_sys::AbortController::new().map_err(|e| ApiError::Unreachable(format!("{e:?}")))?;
    let signal = controller.signal();
    leptos::prelude::set_timeout(move || controller.abort(), TIMEOUT);
    let builder = builder.abort_signal(Some(&signal));
    let sent = match body {
        Some(body) => {
            builder
                .json(body)
                .map_err(|e| ApiError::Body(e.to_string()))?
                .send()
                .await
        }
        None => builder.send().await,
    };
    answered(sent.map_err(|e| e.to_string())).await
}

/// What a sent request came to: the response when 2xx, else the server's refusal (with its
/// JSON body when it sent one), or unreachable; the app's signal state follows.
async fn answered(sent: Result<Response, String>) -> Result<Response, ApiError> {
    let response = match sent {
        Ok(response) => {
            crate::offline::sync::server_reached();
            response
        }
        Err(error) => {
            crate::offline::sync::server_unreachable();
            return Err(ApiError::Unreachable(error));
        }
    };
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ApiError::Refused { status, body }),
        Err(_) => Err(ApiError::Status(status)),
    }
}
