//! Abuse control: a per-client limit on public POSTs (governor) and a login throttle.
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// The client address: the peer, unless the peer is a configured proxy, in which case the
/// right-most address in `X-Forwarded-For` that is not itself a trusted proxy. A client can
/// prepend anything it likes to that header, so only what our own proxies appended counts.
pub fn client_ip(req: &HttpRequest, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for candidate in forwarded.iter().rev() {
        match candidate.parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return Some(ip),
            Err(_) => break,
        }
    }
    Some(peer)
}

/// One IPv6 subscriber usually holds a whole /64, so that is what one key covers.
fn limit_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
    }
}

pub struct PublicLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl PublicLimiter {
    /// `None` when `per_min` is 0: limiting is off.
    pub fn new(per_min: u32, burst: u32) -> Option<Self> {
        let per_min = NonZeroU32::new(per_min)?;
        let burst = NonZeroU32::new(burst.max(1)).expect("max(1) is non-zero");
        let period = Duration::from_secs(60) / per_min.get();
        let quota = Quota::with_period(period.max(Duration::from_nanos(1)))?.allow_burst(burst);
        Some(PublicLimiter {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
            clock: DefaultClock::default(),
        })
    }

    /// `Err(seconds to wait)` when this client is over its quota.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        self.limiter.check_key(&limit_key(ip)).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }

    /// Forget clients that are back to full quota, so the table does not grow without bound.
    pub fn housekeep(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// Slows down password guessing per account and per address: five free failures, then an
/// exponentially growing wait (30 s, 60 s, … capped at 15 min), forgotten 15 min after the last one.
#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

const FREE_FAILURES: u32 = 5;
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);

impl LoginThrottle {
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), u64> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let Some(&(count, last)) = map.get(key) else {
            return Ok(());
        };
        if count < FREE_FAILURES || now.duration_since(last) >= FORGET_AFTER {
            return Ok(());
        }
        let exp = (count - FREE_FAILURES).min(5);
        let wait = Duration::from_secs(30 * (1 << exp)).min(FORGET_AFTER);
        let elapsed = now.duration_since(last);
        if elapsed >= wait {
            Ok(())
        } else {
            Err((wait - elapsed).as_secs().max(1))
        }
    }

    pub fn failed(&self, key: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (_, last)| now.duration_since(*last) < FORGET_AFTER);
        let e = map.entry(key.to_string()).or_insert((0, now));
        e.0 += 1;
        e.1 = now;
    }

    pub fn succeeded(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_allows_burst_then_says_when() {
        let l = PublicLimiter::new(60, 3).unwrap();
        let ip: IpAddr = "10.1.2.3".parse().unwrap();
        for _ in 0..3 {
            assert!(l.check(ip).is_ok());
        }
        let wait = l.check(ip).unwrap_err();
        assert!(
            (1..=1).contains(&wait),
            "one token a second at 60/min, got {wait}"
        );
        assert!(
            l.check("10.1.2.4".parse().unwrap()).is_ok(),
            "other clients unaffected"
        );
        assert!(PublicLimiter::new(0, 10).is_none(), "0 turns limiting off");
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        assert_eq!(
            limit_key("2001:db8:1:2:aaaa::1".parse().unwrap()),
            limit_key("2001:db8:1:2:bbbb::9".parse().unwrap())
        );
    }

    #[test]
    fn throttle_after_five_failures() {
        let t = LoginThrottle::default();
        for _ in 0..5 {
            assert!(t.check("a@b").is_ok());
            t.failed("a@b");
        }
        let wait = t.check("a@b").unwrap_err();
        assert!((29..=30).contains(&wait));
        let later = Instant::now() + Duration::from_secs(31);
        assert!(t.check_at("a@b", later).is_ok());
        t.succeeded("a@b");
        assert!(t.check("a@b").is_ok());
    }
}
