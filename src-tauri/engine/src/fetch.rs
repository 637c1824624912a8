//! Polite HTTP: one shared client, a truthful User-Agent, a size cap, conditional GETs and at
//! most two requests in flight per host.

use crate::error::{Error, Result};
use crate::origin::Origin;
use crate::store::Validators;
use reqwest::header::{
    HeaderMap, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LOCATION,
    RETRY_AFTER,
};
use reqwest::StatusCode;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;
use url::Url;

/// The User-Agent Pantau sends: its name, version and what it is, plus the project's home when
/// the build names one (`PANTAU_CONTACT=https://… cargo build`); no address is ever made up.
pub fn user_agent() -> String {
    let version = env!("CARGO_PKG_VERSION");
    match option_env!("PANTAU_CONTACT").filter(|c| !c.trim().is_empty()) {
        Some(contact) => format!(
            "Pantau/{version} (+{}; desktop market widget)",
            contact.trim()
        ),
        None => format!("Pantau/{version} (desktop market widget)"),
    }
}

/// The product token robots.txt rules are matched against.
pub const ROBOTS_AGENT: &str = "Pantau";

/// Requests in flight per host, at most.
const PER_HOST: usize = 2;

/// Fetching limits.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Longest wait for a connection.
    pub connect_timeout: Duration,
    /// Longest wait for a whole answer.
    pub timeout: Duration,
    /// Bodies larger than this are refused.
    pub max_body: usize,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(15),
            max_body: 5 * 1024 * 1024,
        }
    }
}

impl FetchConfig {
    /// Defaults, with `PANTAU_HTTP_TIMEOUT_SECS` overriding the total timeout; a value that is
    /// not a number of seconds from 0.1 to 600 is refused.
    pub fn from_env() -> Result<FetchConfig> {
        let mut c = FetchConfig::default();
        if let Ok(raw) = std::env::var("PANTAU_HTTP_TIMEOUT_SECS") {
            c.timeout = crate::time::parse_seconds(&raw, "PANTAU_HTTP_TIMEOUT_SECS", 0.1, 600.0)?;
        }
        Ok(c)
    }
}

/// What a fetch brought back.
#[derive(Debug)]
pub enum Fetched {
    /// A new body, with the validators to send next time.
    Modified {
        /// The body as sent.
        body: Vec<u8>,
        /// Its `Content-Type`, if any.
        media_type: Option<String>,
        /// What to send with the next request for it.
        validators: Validators,
    },
    /// 304: what we have is current.
    NotModified,
    /// A redirect to this address (as the server gave it; not yet checked or followed).
    Redirect(Url),
}

/// The shared HTTP client.
pub struct Fetcher {
    client: reqwest::Client,
    origin: Origin,
    config: FetchConfig,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Fetcher {
    /// Builds the client (rustls, gzip and brotli). Against the live site it speaks https only;
    /// only a local origin (`--origin`, the fixture site) may be plain http.
    pub fn new(origin: Origin, config: FetchConfig) -> Result<Fetcher> {
        let client = reqwest::Client::builder()
            .https_only(origin.url().is_none())
            .user_agent(user_agent())
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .gzip(true)
            .brotli(true)
            // Redirects are followed by the engine, one checked hop at a time.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Request {
                context: format!("the HTTP client cannot start: {e}"),
                source: e,
            })?;
        Ok(Fetcher {
            client,
            origin,
            config,
            hosts: Mutex::new(HashMap::new()),
        })
    }

    /// The kontan address a redirect from `from` to `to` leads to, or why it is refused: only
    /// https kontan addresses (or `from`'s own host, for the fallback source) are followed, and
    /// with an origin set, only addresses on that origin.
    pub fn redirect_target(&self, from: &Url, to: &Url) -> Result<Url> {
        let refused = || Error::RedirectRefused(to.to_string());
        let target = self.origin.unmap(to).ok_or_else(refused)?;
        if target.scheme() != "https" {
            return Err(refused());
        }
        let host = target.host_str().unwrap_or("");
        if !(crate::parse::urls::is_kontan_host(host) || Some(host) == from.host_str()) {
            return Err(refused());
        }
        Ok(target)
    }

    fn host_gate(&self, url: &Url) -> Arc<Semaphore> {
        let host = url.host_str().unwrap_or("").to_string();
        self.hosts
            .lock()
            .expect("host gates")
            .entry(host)
            .or_insert_with(|| Arc::new(Semaphore::new(PER_HOST)))
            .clone()
    }

    /// GETs `url` (its kontan address; the origin mapping is applied here), sending the
    /// validators given. Never reads more than `cap` bytes, nor more than the configured cap.
    pub async fn get(&self, url: &Url, validators: &Validators, cap: usize) -> Result<Fetched> {
        let cap = cap.min(self.config.max_body);
        let gate = self.host_gate(url);
        let _permit = gate
            .acquire()
            .await
            .map_err(|_| Error::Network("fetcher closed".into()))?;
        let sent_to = self.origin.map(url);
        let mut request = self.client.get(sent_to.clone());
        if let Some(etag) = &validators.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            request = request.header(IF_MODIFIED_SINCE, lm);
        }
        let mut response = request.send().await.map_err(|e| self.classify(e))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if status.is_redirection() {
            let location =
                header(response.headers(), LOCATION).ok_or(Error::HttpStatus(status.as_u16()))?;
            let to = sent_to
                .join(&location)
                .map_err(|_| Error::RedirectRefused(location.clone()))?;
            return Ok(Fetched::Redirect(to));
        }
        if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
            // The server's wait; the engine makes it the least of the waits, never the most.
            let wait = retry_after(response.headers(), chrono::Utc::now())
                .unwrap_or(Duration::from_secs(60));
            return Err(Error::RetryLater(wait.as_secs()));
        }
        if !status.is_success() {
            return Err(Error::HttpStatus(status.as_u16()));
        }
        if response.content_length().is_some_and(|n| n as usize > cap) {
            return Err(Error::TooLarge(cap));
        }
        let validators = Validators {
            etag: header(response.headers(), ETAG),
            last_modified: header(response.headers(), LAST_MODIFIED),
        };
        let mut body: Vec<u8> = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(e))? {
            if body.len() + chunk.len() > cap {
                return Err(Error::TooLarge(cap));
            }
            body.extend_from_slice(&chunk);
        }
        let media_type = header(response.headers(), CONTENT_TYPE);
        Ok(Fetched::Modified {
            body,
            media_type,
            validators,
        })
    }

    fn classify(&self, e: reqwest::Error) -> Error {
        if e.is_timeout() {
            return Error::Timeout(self.config.timeout.as_secs().max(1));
        }
        let context = if e.is_body() || e.is_decode() {
            format!("response cut short: {}", source_chain(&e))
        } else if e.is_connect() {
            format!("cannot connect: {}", source_chain(&e))
        } else {
            source_chain(&e)
        };
        Error::Request { context, source: e }
    }
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !msg.contains(&text) {
            msg.push_str(": ");
            msg.push_str(&text);
        }
        cur = s.source();
    }
    msg
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `Retry-After` as seconds or an HTTP date (a date already past is no wait), capped at
/// 30 minutes.
fn retry_after(headers: &HeaderMap, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let secs = match v.parse::<u64>() {
        Ok(s) => s,
        Err(_) => {
            let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
            u64::try_from(at.timestamp().saturating_sub(now.timestamp())).unwrap_or(0)
        }
    };
    Some(Duration::from_secs(secs.min(30 * 60)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn with_retry_after(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(v).unwrap());
        h
    }

    #[tokio::test]
    async fn the_live_site_is_spoken_to_over_https_only() {
        // A local listener answers plain http; the live client must not send it a request.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let fetcher = Fetcher::new(Origin::live(), FetchConfig::default()).unwrap();
        let got = fetcher.get(&url, &Validators::default(), usize::MAX).await;
        assert!(got.is_err(), "{got:?}");
        listener.set_nonblocking(true).unwrap();
        assert!(listener.accept().is_err(), "no connection was made");
    }

    #[test]
    fn retry_after_seconds_dates_and_past_dates() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-26T10:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(
            retry_after(&with_retry_after("0"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            retry_after(&with_retry_after("Thu, 26 Nov 2026 10:01:00 GMT"), now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_after(&with_retry_after("Thu, 26 Nov 2026 09:00:00 GMT"), now),
            Some(Duration::ZERO),
            "a date already past asks for no wait"
        );
        assert_eq!(
            retry_after(&with_retry_after("99999999999999999999"), now),
            None
        );
        assert_eq!(
            retry_after(&with_retry_after("86400"), now),
            Some(Duration::from_secs(1800))
        );
    }

    #[test]
    fn redirects_stay_on_https_kontan_or_the_origin() {
        let live = Fetcher::new(Origin::live(), FetchConfig::default()).unwrap();
        let home = Url::parse("https://www.kontan.co.id/").unwrap();
        let ok = Url::parse("https://investasi.kontan.co.id/x").unwrap();
        assert_eq!(live.redirect_target(&home, &ok).unwrap(), ok);
        for bad in [
            "https://evil.example/",
            "http://www.kontan.co.id/",
            "https://kontan.co.id.evil.example/",
        ] {
            let e = live
                .redirect_target(&home, &Url::parse(bad).unwrap())
                .unwrap_err();
            assert!(e.to_string().contains(bad.trim_end_matches('/')), "{e}");
        }
        let local = Fetcher::new(
            Origin::parse("http://127.0.0.1:8080").unwrap(),
            FetchConfig::default(),
        )
        .unwrap();
        assert_eq!(
            local
                .redirect_target(
                    &home,
                    &Url::parse("http://127.0.0.1:8080/investasi.kontan.co.id/x").unwrap()
                )
                .unwrap(),
            ok
        );
        assert!(local
            .redirect_target(
                &home,
                &Url::parse("https://investasi.kontan.co.id/x").unwrap()
            )
            .is_err());
        assert!(local
            .redirect_target(
                &home,
                &Url::parse("http://127.0.0.1:8080/evil.example/").unwrap()
            )
            .is_err());
    }
}
