//! A cap on the requests one client address has in flight at once (issue 20). Thousands of
//! connections from one address that each declare a body and then trickle it would otherwise
//! hold a file descriptor each until their body deadline (`deadline`), and enough of them
//! leave nothing for anyone else. Past the cap a request is refused at once with 429 and its
//! connection closed, before any of its body is read; everyone else's requests carry on.
//!
//! The address is the one the throttles use (`client_addr`): the peer, or what a trusted proxy
//! says. Behind a proxy that is not named in `SOUNDINGS_TRUSTED_PROXIES` every client shares
//! the proxy's address, so the cap (default 256) is set well above what a whole office of
//! phones sends at once; an operator can raise it or set 0 for none.

use crate::{ApiError, client_addr};
use actix_web::{
    Error, ResponseError,
    body::{EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

/// Seconds a refused client is asked to wait.
const RETRY_AFTER_SECS: u64 = 1;

/// How many requests each address has in flight, shared by every worker.
#[derive(Clone, Debug)]
pub struct InFlight {
    cap: usize,
    counts: Arc<Mutex<HashMap<String, usize>>>,
}

impl InFlight {
    /// `cap` requests at once per address; 0 for no cap.
    pub fn new(cap: usize) -> Self {
        InFlight {
            cap,
            counts: Arc::default(),
        }
    }

    /// A place for one more request from `address`, held until the guard is dropped; `None`
    /// when the address already has `cap` in flight.
    pub fn enter(&self, address: String) -> Option<Entered> {
        if self.cap == 0 {
            return Some(Entered(None));
        }
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let count = counts.entry(address.clone()).or_insert(0);
        if *count >= self.cap {
            return None;
        }
        *count += 1;
        Some(Entered(Some((self.clone(), address))))
    }

    fn leave(&self, address: &str) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = counts.get_mut(address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(address);
            }
        }
    }

    /// Addresses with a request in flight (for tests: the map does not grow without bound).
    pub fn addresses(&self) -> usize {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// One request's place; gives it back when dropped, however the request ends.
pub struct Entered(Option<(InFlight, String)>);

impl Drop for Entered {
    fn drop(&mut self) {
        if let Some((in_flight, address)) = &self.0 {
            in_flight.leave(address);
        }
    }
}

/// Middleware: refuses a request from an address that already has `cap` in flight.
pub async fn cap_per_address(
    in_flight: InFlight,
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let address = client_addr::client_address(req.request());
    let Some(_entered) = in_flight.enter(address) else {
        tracing::warn!("too many requests in flight from one address; refused");
        let mut res = ApiError::TooManyRequests {
            retry_after_secs: RETRY_AFTER_SECS,
        }
        .error_response();
        // Closed rather than kept alive: the body it declared is never read.
        res.head_mut()
            .set_connection_type(actix_web::http::ConnectionType::Close);
        return Ok(req.into_response(res).map_into_right_body());
    };
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_cap_places_and_each_given_back_is_free_again() {
        let in_flight = InFlight::new(2);
        let a = in_flight.enter("192.0.2.1".into());
        let b = in_flight.enter("192.0.2.1".into());
        assert!(a.is_some() && b.is_some());
        assert!(in_flight.enter("192.0.2.1".into()).is_none());
        // Another address is not affected.
        assert!(in_flight.enter("192.0.2.2".into()).is_some());
        drop(a);
        assert!(in_flight.enter("192.0.2.1".into()).is_some());
    }

    #[test]
    fn addresses_with_nothing_in_flight_are_forgotten() {
        let in_flight = InFlight::new(4);
        let held: Vec<_> = (0..50)
            .filter_map(|i| in_flight.enter(format!("198.51.100.{i}")))
            .collect();
        assert_eq!(in_flight.addresses(), 50);
        drop(held);
        assert_eq!(in_flight.addresses(), 0);
    }

    #[test]
    fn no_cap_when_set_to_zero() {
        let in_flight = InFlight::new(0);
        let held: Vec<_> = (0..1000)
            .filter_map(|_| in_flight.enter("192.0.2.1".into()))
            .collect();
        assert_eq!(held.len(), 1000);
        assert_eq!(in_flight.addresses(), 0);
    }
}
