//! The client's address, for the login and short-code throttles and the audit trail.
//! `X-Forwarded-For` is believed only when it was handed to us by a proxy the operator named
//! (`SOUNDINGS_TRUSTED_PROXIES`); from anyone else it is ignored, since a client can write
//! whatever it likes there.

use crate::{config::ProxyNet, state::AppState};
use actix_web::{HttpRequest, web};
use std::net::IpAddr;

/// The client's address as text (empty if the transport gave none).
pub fn client_address(req: &HttpRequest) -> String {
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.config.trusted_proxies.0.as_slice())
        .unwrap_or_default();
    client_ip(req, trusted)
        .map(|ip| ip.to_string())
        .unwrap_or_default()
}

fn client_ip(req: &HttpRequest, trusted: &[ProxyNet]) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip().to_canonical();
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    Some(from_chain(peer, &forwarded, trusted))
}

/// Walks the chain from the right (the hop nearest us): while the hop is a trusted proxy, the
/// entry to its left is what that proxy saw. The first untrusted hop is the client; anything
/// further left was written by the client and is ignored. A malformed entry ends the walk at
/// the trusted proxy that passed it on.
fn from_chain(peer: IpAddr, forwarded: &str, trusted: &[ProxyNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    let mut client = peer;
    for hop in forwarded
        .rsplit(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
    {
        if !is_trusted(client) {
            break;
        }
        match parse_hop(hop) {
            Some(ip) => client = ip,
            None => break,
        }
    }
    client
}

/// An address as proxies write it: `192.0.2.1`, `2001:db8::1`, `192.0.2.1:4711`, `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    hop.parse::<std::net::SocketAddr>()
        .ok()
        .map(|a| a.ip().to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<ProxyNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }
    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_header_is_ignored_when_the_peer_is_not_a_trusted_proxy() {
        assert_eq!(
            from_chain(ip("198.51.100.9"), "203.0.113.1", &[]),
            ip("198.51.100.9")
        );
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(
            from_chain(ip("198.51.100.9"), "203.0.113.1", &trusted),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = nets(&["10.0.0.0/8", "192.0.2.7"]);
        // The client wrote "1.2.3.4" itself; the edge proxy appended what it saw.
        assert_eq!(
            from_chain(ip("10.0.0.2"), "1.2.3.4, 203.0.113.1, 192.0.2.7", &trusted),
            ip("203.0.113.1")
        );
        assert_eq!(
            from_chain(ip("10.0.0.2"), "[2001:db8::5]:443", &trusted),
            ip("2001:db8::5")
        );
        assert_eq!(from_chain(ip("10.0.0.2"), "", &trusted), ip("10.0.0.2"));
        // Every hop trusted: the leftmost is the best we know.
        assert_eq!(
            from_chain(ip("10.0.0.2"), "10.1.1.1", &trusted),
            ip("10.1.1.1")
        );
    }

    #[test]
    fn a_malformed_hop_stops_at_the_proxy_that_passed_it() {
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(
            from_chain(ip("10.0.0.2"), "203.0.113.1, unknown", &trusted),
            ip("10.0.0.2")
        );
    }
}
