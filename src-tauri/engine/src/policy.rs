//! The engine's decisions, as small pure functions: how long to wait after a failure, when a
//! user's round is too soon, what a robots.txt answer means, which addresses may be fetched.

use crate::error::{Error, Result};
use crate::parse;
use crate::sources::home_url;
use crate::store::Millis;
use backon::BackoffBuilder;
use std::time::Duration;
use url::Url;

/// The least time between two refresh rounds a user asks for (CLI calls, "Perbarui sekarang").
pub const USER_ROUND_GAP: Duration = Duration::from_secs(10);

/// The cleaned address of an article a user asked for; refused unless it is on kontan.
pub fn article_address(url: &str) -> Result<Url> {
    let parsed = parse::urls::normalize(url, &home_url())
        .ok_or_else(|| Error::InvalidUrl(url.to_string()))?;
    if !parsed.host_str().is_some_and(parse::urls::is_kontan_host) {
        return Err(Error::NotKontan(parsed.to_string()));
    }
    Ok(parse::urls::without_page(&parsed))
}

/// A robots.txt answer per RFC 9309: a body is the rules; 4xx means no rules (everything is
/// allowed); 5xx, 429 and an unreachable server mean "disallow for now" (the error stands).
/// `Ok(None)`, a 304, keeps what is cached.
pub(crate) fn robots_body(fetched: Result<Option<String>>) -> Result<Option<String>> {
    match fetched {
        Err(Error::HttpStatus(code)) if (400..500).contains(&code) => Ok(Some(String::new())),
        other => other,
    }
}

/// Seconds since the last try when a user's round comes too soon after it.
pub(crate) fn round_gap_left(last_attempt: Option<Millis>, now: Millis) -> Option<u64> {
    let since = now - last_attempt?;
    let gap = USER_ROUND_GAP.as_millis() as i64;
    (since >= 0 && since < gap).then_some((since / 1000) as u64)
}

/// How long a source waits after a failure: the latest of the server's Retry-After, the error
/// back-off for this many failures in a row, and the source's floor. A server can only make
/// Pantau wait longer, never shorter.
pub fn failure_delay(e: &Error, failures: u32, floor: Duration) -> Duration {
    let server = match e {
        Error::RetryLater(secs) => Duration::from_secs(*secs),
        _ => Duration::ZERO,
    };
    server.max(backoff_delay(failures)).max(floor)
}

/// The delay before trying a failing source again: exponential from 15 s, jittered, at most 10 min.
pub fn backoff_delay(failures: u32) -> Duration {
    let mut delays = backon::ExponentialBuilder::default()
        .with_min_delay(Duration::from_secs(15))
        .with_max_delay(Duration::from_secs(600))
        .with_factor(2.0)
        .with_jitter()
        .without_max_times()
        .build();
    delays
        .nth(failures.saturating_sub(1) as usize)
        .unwrap_or(Duration::from_secs(600))
}

/// True when kontan's bar has failed often enough in a row for the fallback source to stand in.
pub fn fallback_due(bar_failures: u32, fallback_after: u32) -> bool {
    bar_failures >= fallback_after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_can_only_lengthen_the_wait() {
        let floor = Duration::from_secs(30);
        for failures in 1..8 {
            let backoff_min = Duration::from_secs(15 * 2u64.pow(failures - 1).min(40));
            let zero = failure_delay(&Error::RetryLater(0), failures, floor);
            assert!(zero >= floor && zero >= backoff_min.min(Duration::from_secs(600)));
            let long = failure_delay(&Error::RetryLater(1200), failures, floor);
            assert_eq!(long, Duration::from_secs(1200));
        }
        assert!(
            failure_delay(&Error::HttpStatus(500), 1, Duration::ZERO) >= Duration::from_secs(15)
        );
        assert!(
            failure_delay(&Error::Cache("disk full".into()), 1, Duration::ZERO)
                >= Duration::from_secs(15),
            "a failed write backs off like any failure"
        );
        assert!(
            failure_delay(&Error::HttpStatus(500), 40, Duration::ZERO) <= Duration::from_secs(1200)
        );
    }

    #[test]
    fn a_users_round_waits_ten_seconds_after_the_last() {
        assert_eq!(round_gap_left(Some(1_000), 4_500), Some(3));
        assert_eq!(round_gap_left(Some(1_000), 11_000), None);
        assert_eq!(round_gap_left(None, 11_000), None);
        assert_eq!(
            round_gap_left(Some(20_000), 11_000),
            None,
            "a clock that went back"
        );
    }

    #[test]
    fn robots_statuses_follow_rfc_9309() {
        assert_eq!(
            robots_body(Err(Error::HttpStatus(403))).unwrap(),
            Some(String::new()),
            "4xx: no rules"
        );
        assert_eq!(
            robots_body(Err(Error::HttpStatus(404))).unwrap(),
            Some(String::new())
        );
        assert!(
            robots_body(Err(Error::HttpStatus(500))).is_err(),
            "5xx: disallow for now"
        );
        assert!(robots_body(Err(Error::RetryLater(30))).is_err());
        assert!(robots_body(Err(Error::Network("refused".into()))).is_err());
    }

    #[test]
    fn the_fallback_stands_in_after_three_failures() {
        assert!(!fallback_due(2, 3));
        assert!(fallback_due(3, 3));
        assert!(fallback_due(9, 3));
    }

    #[test]
    fn articles_only_on_kontan() {
        assert!(matches!(
            article_address("https://evil.example/news/x"),
            Err(Error::NotKontan(_))
        ));
        assert_eq!(
            article_address("http://investasi.kontan.co.id/news/a-b?page=2&utm_source=x")
                .unwrap()
                .as_str(),
            "https://investasi.kontan.co.id/news/a-b"
        );
    }
}
