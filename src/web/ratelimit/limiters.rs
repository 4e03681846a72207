//! Abuse control: a per-client limit on public POSTs and a login throttle per account and per
//! (account, address). On SQLite (one node) both are kept in the process (governor, a map); on
//! PostgreSQL, where several nodes serve one database, both are counted in the database
//! (`store::rate_limits`), so two nodes accept what one would. Should the database not answer a
//! check, the process's own count decides, so a hiccup neither opens the door nor shuts it.
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use sea_orm::DatabaseConnection;

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
    /// PostgreSQL: the buckets every node shares, checked in batches, and the pool they are in.
    shared: Option<(crate::store::rate_limits::SharedBuckets, DatabaseConnection)>,
}

/// Whole seconds to wait, rounded up (at least 1).
fn whole_seconds(s: f64) -> u64 {
    (s.ceil() as u64).max(1)
}

impl PublicLimiter {
    /// `None` when `per_min` is 0: limiting is off. With `shared` (a PostgreSQL pool) the count
    /// is kept there for every node.
    pub fn new(per_min: u32, burst: u32, shared: Option<DatabaseConnection>) -> Option<Self> {
        let per_min = NonZeroU32::new(per_min)?;
        let burst = NonZeroU32::new(burst.max(1)).expect("max(1) is non-zero");
        let period = Duration::from_secs(60) / per_min.get();
        let quota = Quota::with_period(period.max(Duration::from_nanos(1)))?.allow_burst(burst);
        let emission = 60.0 / f64::from(per_min.get());
        Some(PublicLimiter {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
            clock: DefaultClock::default(),
            shared: shared.map(|db| {
                let buckets = crate::store::rate_limits::SharedBuckets::start(
                    db.clone(),
                    emission,
                    burst.get(),
                );
                (buckets, db)
            }),
        })
    }

    /// `Err(seconds to wait)` when this client is over its quota.
    pub async fn check(&self, ip: IpAddr) -> Result<(), u64> {
        let key = limit_key(ip);
        let verdict = match &self.shared {
            Some((buckets, _)) => match buckets.take(key.to_string()).await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(wait)) => Err(whole_seconds(wait)),
                // The database did not answer (logged by the batcher): count here meanwhile.
                Err(()) => self.check_local(key),
            },
            None => self.check_local(key),
        };
        verdict.inspect_err(|_| crate::meters::rate_limited("public"))
    }

    fn check_local(&self, key: IpAddr) -> Result<(), u64> {
        self.limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }

    /// Forget clients that are back to full quota, so the table does not grow without bound.
    pub async fn housekeep(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
        if let Some((_, db)) = &self.shared
            && let Err(e) = crate::store::rate_limits::purge_full(db).await
        {
            tracing::warn!(error = %e, "purging full rate buckets failed");
        }
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
    /// PostgreSQL: the failures every node shares.
    shared: Option<DatabaseConnection>,
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
    /// With `shared` (a PostgreSQL pool) failures are counted there for every node.
    pub fn new(shared: Option<DatabaseConnection>) -> Self {
        LoginThrottle {
            failures: Mutex::default(),
            shared,
        }
    }

    /// `Err(seconds to wait)` when `account` may not be tried from `addr` yet.
    pub async fn check(&self, account: &str, addr: &str) -> Result<(), u64> {
        let verdict = match &self.shared {
            Some(db) => {
                let keys = keys(account, addr);
                let names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
                match crate::store::rate_limits::failures(db, &names).await {
                    Ok(rows) => {
                        let wait = rows
                            .iter()
                            .filter_map(|(k, n, quiet)| {
                                let free = keys.iter().find(|(name, _)| name == k)?.1;
                                wait_left(*n, free, Duration::from_secs_f64(quiet.max(0.0)))
                            })
                            .max();
                        wait.map_or(Ok(()), Err)
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "shared login throttle unavailable; counting here");
                        self.check_at(account, addr, Instant::now())
                    }
                }
            }
            None => self.check_at(account, addr, Instant::now()),
        };
        verdict.inspect_err(|_| crate::meters::rate_limited("login"))
    }

    fn check_at(&self, account: &str, addr: &str, now: Instant) -> Result<(), u64> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let wait = keys(account, addr)
            .iter()
            .filter_map(|(k, free)| {
                map.get(k)
                    .and_then(|&(n, last)| wait_left(n, *free, now.duration_since(last)))
            })
            .max();
        wait.map_or(Ok(()), Err)
    }

    pub async fn failed(&self, account: &str, addr: &str) {
        if let Some(db) = &self.shared {
            let names: Vec<String> = keys(account, addr).into_iter().map(|(k, _)| k).collect();
            match crate::store::rate_limits::fail(db, &names, FORGET_AFTER.as_secs_f64()).await {
                Ok(()) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "shared login throttle unavailable; counting here")
                }
            }
        }
        self.failed_local(account, addr);
    }

    fn failed_local(&self, account: &str, addr: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (_, last)| now.duration_since(*last) < FORGET_AFTER);
        for (k, _) in keys(account, addr) {
            let e = map.entry(k).or_insert((0, now));
            e.0 += 1;
            e.1 = now;
        }
    }

    pub async fn succeeded(&self, account: &str, addr: &str) {
        if let Some(db) = &self.shared {
            let names: Vec<String> = keys(account, addr).into_iter().map(|(k, _)| k).collect();
            if let Err(e) = crate::store::rate_limits::clear(db, &names).await {
                tracing::warn!(error = %e, "clearing shared login failures failed");
            }
        }
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (k, _) in keys(account, addr) {
            map.remove(&k);
        }
    }

    /// Forgets failures quiet for 15 minutes (the database's; the map forgets on each failure).
    pub async fn housekeep(&self) {
        if let Some(db) = &self.shared
            && let Err(e) =
                crate::store::rate_limits::purge_failures(db, FORGET_AFTER.as_secs_f64()).await
        {
            tracing::warn!(error = %e, "purging old login failures failed");
        }
    }
}

/// Seconds still to wait after `count` failures, the last `elapsed` ago, when `free` cost nothing.
fn wait_left(count: u32, free: u32, elapsed: Duration) -> Option<u64> {
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
        let l = PublicLimiter::new(60, 3, None).unwrap();
        let ip: IpAddr = "10.1.2.3".parse().unwrap();
        for _ in 0..3 {
            assert!(l.check_local(ip).is_ok());
        }
        let wait = l.check_local(ip).unwrap_err();
        assert!(
            (1..=1).contains(&wait),
            "one token a second at 60/min, got {wait}"
        );
        assert!(
            l.check_local("10.1.2.4".parse().unwrap()).is_ok(),
            "other clients unaffected"
        );
        assert!(
            PublicLimiter::new(0, 10, None).is_none(),
            "0 turns limiting off"
        );
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
        let now = Instant::now();
        for _ in 0..5 {
            assert!(t.check_at("a@b", "10.0.0.1", now).is_ok());
            t.failed_local("a@b", "10.0.0.1");
        }
        let wait = t.check_at("a@b", "10.0.0.1", Instant::now()).unwrap_err();
        assert!((29..=30).contains(&wait));
        assert!(
            t.check_at("c@d", "10.0.0.1", Instant::now()).is_ok(),
            "other accounts there"
        );
        assert!(
            t.check_at("a@b", "10.0.0.2", Instant::now()).is_ok(),
            "the owner elsewhere"
        );
        let later = Instant::now() + Duration::from_secs(31);
        assert!(t.check_at("a@b", "10.0.0.1", later).is_ok());
    }

    #[test]
    fn guessing_from_many_addresses_slows_the_account() {
        let t = LoginThrottle::default();
        for i in 0..10 {
            let addr = format!("10.0.1.{i}");
            assert!(t.check_at("a@b", &addr, Instant::now()).is_ok());
            t.failed_local("a@b", &addr);
        }
        assert!(t.check_at("a@b", "10.0.2.1", Instant::now()).is_err());
        assert!(t.check_at("c@d", "10.0.2.1", Instant::now()).is_ok());
    }
}
