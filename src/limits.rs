//! Abuse control kept in each process: a per-client limit on public POSTs (governor) and a
//! login throttle per account and per (account, address).
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// One IPv6 subscriber usually holds a whole /64, so that is what one key covers.
pub fn limit_key(ip: IpAddr) -> IpAddr {
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
            crate::meters::rate_limited("public");
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

/// Slows down password guessing without letting one address lock others out. Failures are
/// counted per account and per (account, address), never per address alone: an office behind
/// one NAT address keeps logging in while one of its accounts is being guessed at.
/// - (account, address): five free failures, then a wait of 30 s, 60 s, … capped at 15 min.
/// - account, from all addresses together: ten free failures, then the same waits, so guessing
///   from many addresses is slowed too (the account's owner waits with the attacker).
///
/// Counts are forgotten 15 min after the last failure, and a correct password clears both.
#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

const PAIR_FREE_FAILURES: u32 = 5;
const ACCOUNT_FREE_FAILURES: u32 = 10;
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);

fn keys(account: &str, addr: &str) -> [(String, u32); 2] {
    [
        (format!("account:{account}"), ACCOUNT_FREE_FAILURES),
        (format!("pair:{account}|{addr}"), PAIR_FREE_FAILURES),
    ]
}

impl LoginThrottle {
    /// `Err(seconds to wait)` when `account` may not be tried from `addr` yet.
    pub fn check(&self, account: &str, addr: &str) -> Result<(), u64> {
        self.check_at(account, addr, Instant::now())
            .inspect_err(|_| crate::meters::rate_limited("login"))
    }

    fn check_at(&self, account: &str, addr: &str, now: Instant) -> Result<(), u64> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let wait = keys(account, addr)
            .iter()
            .filter_map(|(k, free)| {
                map.get(k)
                    .and_then(|&(n, last)| wait_left(n, *free, last, now))
            })
            .max();
        wait.map_or(Ok(()), Err)
    }

    pub fn failed(&self, account: &str, addr: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (_, last)| now.duration_since(*last) < FORGET_AFTER);
        for (k, _) in keys(account, addr) {
            let e = map.entry(k).or_insert((0, now));
            e.0 += 1;
            e.1 = now;
        }
    }

    pub fn succeeded(&self, account: &str, addr: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (k, _) in keys(account, addr) {
            map.remove(&k);
        }
    }
}

/// Seconds still to wait after `count` failures, the last at `last`, when `free` cost nothing.
fn wait_left(count: u32, free: u32, last: Instant, now: Instant) -> Option<u64> {
    let elapsed = now.duration_since(last);
    if count < free || elapsed >= FORGET_AFTER {
        return None;
    }
    let exp = (count - free).min(5);
    let wait = Duration::from_secs(30 * (1 << exp)).min(FORGET_AFTER);
    (elapsed < wait).then(|| (wait - elapsed).as_secs().max(1))
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
    fn throttle_after_five_failures_from_one_address() {
        let t = LoginThrottle::default();
        for _ in 0..5 {
            assert!(t.check("a@b", "10.0.0.1").is_ok());
            t.failed("a@b", "10.0.0.1");
        }
        let wait = t.check("a@b", "10.0.0.1").unwrap_err();
        assert!((29..=30).contains(&wait));
        assert!(t.check("c@d", "10.0.0.1").is_ok(), "other accounts there");
        assert!(t.check("a@b", "10.0.0.2").is_ok(), "the owner elsewhere");
        let later = Instant::now() + Duration::from_secs(31);
        assert!(t.check_at("a@b", "10.0.0.1", later).is_ok());
        t.succeeded("a@b", "10.0.0.1");
        assert!(t.check("a@b", "10.0.0.1").is_ok());
    }

    #[test]
    fn guessing_from_many_addresses_slows_the_account() {
        let t = LoginThrottle::default();
        for i in 0..10 {
            let addr = format!("10.0.1.{i}");
            assert!(t.check("a@b", &addr).is_ok());
            t.failed("a@b", &addr);
        }
        assert!(t.check("a@b", "10.0.2.1").is_err());
        assert!(t.check("c@d", "10.0.2.1").is_ok());
    }
}
