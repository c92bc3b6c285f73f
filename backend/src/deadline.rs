//! A deadline for reading a request's body. Without one, a client that declares a body and
//! then sends a byte every few seconds holds its connection (and a file descriptor) for as long
//! as it likes; twenty thousand of them starve the server (issue 20). The body must arrive
//! within a base time plus what its declared length takes at a slow mobile rate; past that the
//! read fails, the request is refused, and the connection is closed.

use actix_web::{
    Error, HttpMessage,
    body::MessageBody,
    dev::{Payload, ServiceRequest, ServiceResponse},
    error::PayloadError,
    http::header,
    middleware::Next,
    web::Bytes,
};
use futures_util::Stream;
use std::{
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};
use tokio::time::{Instant, Sleep};

/// The slowest rate a body is waited for at: 16 KiB/s, a poor 3G link.
const MIN_BYTES_PER_SECOND: u64 = 16 * 1024;

/// How long a body of `declared` bytes (when the client said) may take to arrive.
pub fn allowance(base: Duration, declared: Option<u64>) -> Duration {
    base + Duration::from_secs(declared.unwrap_or(0) / MIN_BYTES_PER_SECOND)
}

/// Middleware: the request's body, cut off at its deadline (`base` from the configuration).
pub async fn body_deadline(
    base: Duration,
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let deadline = Instant::now() + allowance(base, declared);
    let body = Deadline {
        inner: req.take_payload(),
        deadline: Box::pin(tokio::time::sleep_until(deadline)),
        over: false,
    };
    req.set_payload(Payload::Stream {
        payload: Box::pin(body),
    });
    next.call(req).await
}

struct Deadline {
    inner: Payload,
    deadline: Pin<Box<Sleep>>,
    over: bool,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.over {
            return Poll::Ready(None);
        }
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            self.over = true;
            tracing::info!("request body too slow; refused");
            return Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the request body did not arrive in time",
            )))));
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_allowed_its_base_time_and_what_its_length_takes_at_a_slow_rate() {
        let base = Duration::from_secs(10);
        assert_eq!(allowance(base, None), base);
        assert_eq!(allowance(base, Some(200_000)), Duration::from_secs(22));
        assert_eq!(
            allowance(base, Some(20 * 1024 * 1024)),
            Duration::from_secs(10 + 1280)
        );
    }
}
