//! Who the client is (the peer, or what our own proxies say it is) and the public-POST limit
//! applied to it.
pub mod limiters;

use std::net::IpAddr;

use actix_web::HttpRequest;

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

/// A client over its public-POST limit: retry after this many seconds. Each door answers it its
/// own way (`From` into `ApiError` and `PageError`), so a handler only writes `?`.
#[derive(Debug, Clone, Copy)]
pub struct TooManyRequests {
    pub retry_after: u64,
}

impl From<TooManyRequests> for crate::web::error::ApiError {
    fn from(e: TooManyRequests) -> Self {
        crate::web::error::ApiError::TooManyRequests {
            retry_after: e.retry_after,
        }
    }
}

impl From<TooManyRequests> for crate::web::error::PageError {
    fn from(e: TooManyRequests) -> Self {
        crate::web::error::PageError::TooManyRequests {
            retry_after: e.retry_after,
        }
    }
}

/// The public-POST rate limit for this request's client.
pub async fn check_public_limit(
    state: &crate::bootstrap::state::AppState,
    req: &HttpRequest,
) -> Result<(), TooManyRequests> {
    let Some(limiter) = &state.public_limiter else {
        return Ok(());
    };
    let Some(ip) = client_ip(req, &state.settings.trusted_proxies) else {
        return Ok(());
    };
    limiter
        .check(ip)
        .await
        .map_err(|retry_after| TooManyRequests { retry_after })
}
