//! The client's address behind reverse proxies.
//!
//! Per-IP budgets need the address of the client, not of the load balancer
//! in front of the nodes: behind a proxy every request comes from the
//! proxy's address, so without this every client would share one budget.
//! `X-Forwarded-For` is only believed when the socket peer is a configured
//! trusted proxy (`--trusted-proxy`); then the client is the right-most
//! address in the header that is not itself a trusted proxy (each proxy
//! appends the address it saw, so entries left of the last untrusted one
//! may be forged by the client and are ignored).

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;

/// An address range: an address and a prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    addr: IpAddr,
    prefix: u8,
}

/// Why a trusted-proxy entry was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeError(String);

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an IP address or CIDR range (e.g. 10.0.0.0/8, ::1)",
            self.0
        )
    }
}

impl std::error::Error for RangeError {}

impl FromStr for IpRange {
    type Err = RangeError;

    fn from_str(s: &str) -> Result<IpRange, RangeError> {
        let bad = || RangeError(s.to_owned());
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
            None => max,
        };
        Ok(IpRange { addr, prefix })
    }
}

impl IpRange {
    /// Whether `ip` lies in the range (IPv4-mapped IPv6 addresses count as
    /// IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (canonical(self.addr), ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpRange>);

impl TrustedProxies {
    /// Parses entries like `10.0.0.0/8`, `192.0.2.10`, `::1`.
    ///
    /// # Errors
    ///
    /// The first entry that is not an address or CIDR range.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<TrustedProxies, RangeError> {
        entries
            .iter()
            .map(|e| e.as_ref())
            .filter(|e| !e.trim().is_empty())
            .map(str::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    /// Whether no proxy is trusted (the default: the socket peer is the
    /// client).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|r| r.contains(ip))
    }

    /// The client's address for a request from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        // Right to left over every X-Forwarded-For header line.
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for hop in hops.iter().rev() {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip;
                    if !self.trusts(ip) {
                        break;
                    }
                }
                // An entry that is no address ends what can be believed.
                Err(_) => break,
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn ranges_contain_what_they_should() {
        let r: IpRange = "10.0.0.0/8".parse().unwrap();
        assert!(r.contains(ip("10.255.1.2")));
        assert!(r.contains(ip("::ffff:10.1.2.3")));
        assert!(!r.contains(ip("11.0.0.1")));
        let one: IpRange = "192.0.2.10".parse().unwrap();
        assert!(one.contains(ip("192.0.2.10")) && !one.contains(ip("192.0.2.11")));
        let v6: IpRange = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains(ip("2001:db8:1::5")) && !v6.contains(ip("2001:db9::1")));
        let all: IpRange = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.9")) && !all.contains(ip("::2")));
        for bad in ["10.0.0.0/33", "::1/129", "example.com", "10.0.0/8", ""] {
            assert!(bad.parse::<IpRange>().is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_peers() {
        let t = TrustedProxies::parse(&["127.0.0.1", "10.0.0.0/8"]).unwrap();
        let h = xff(&["198.51.100.7"]);
        // An untrusted peer cannot pick its own address.
        assert_eq!(t.client(ip("203.0.113.5"), &h), ip("203.0.113.5"));
        assert_eq!(t.client(ip("127.0.0.1"), &h), ip("198.51.100.7"));
        // No header: the proxy itself.
        assert_eq!(
            t.client(ip("127.0.0.1"), &HeaderMap::new()),
            ip("127.0.0.1")
        );
        // The right-most untrusted hop; what the client wrote left of it is ignored.
        let chain = xff(&["1.2.3.4, 198.51.100.7, 10.0.0.2"]);
        assert_eq!(t.client(ip("10.0.0.1"), &chain), ip("198.51.100.7"));
        // Several header lines read as one list.
        let lines = xff(&["1.2.3.4", "198.51.100.8"]);
        assert_eq!(t.client(ip("10.0.0.1"), &lines), ip("198.51.100.8"));
        // Garbage ends the trust at the last good hop.
        let junk = xff(&["198.51.100.7, not-an-ip"]);
        assert_eq!(t.client(ip("10.0.0.1"), &junk), ip("10.0.0.1"));
        // Nobody trusted: the peer, whatever the header says.
        let none = TrustedProxies::default();
        assert!(none.is_empty());
        assert_eq!(none.client(ip("127.0.0.1"), &h), ip("127.0.0.1"));
    }
}
