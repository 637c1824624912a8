//! Polite HTTP: one shared client, a truthful User-Agent, a size cap, conditional GETs and at
//! most two requests in flight per host.

use crate::error::{Error, Result};
use crate::origin::Origin;
use crate::store::Validators;
use reqwest::header::{
    HeaderMap, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RETRY_AFTER,
};
use reqwest::StatusCode;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;
use url::Url;

/// The User-Agent Pantau sends: its name, version and where to learn more.
pub const USER_AGENT: &str = concat!(
    "Pantau/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/pantau-app/pantau; desktop market widget)"
);

/// The product token robots.txt rules are matched against.
pub const ROBOTS_AGENT: &str = "Pantau";

/// Requests in flight per host, at most.
const PER_HOST: usize = 2;

/// Fetching limits.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    pub connect_timeout: Duration,
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
    /// Defaults, with `PANTAU_HTTP_TIMEOUT_SECS` overriding the total timeout.
    pub fn from_env() -> FetchConfig {
        let mut c = FetchConfig::default();
        if let Some(secs) = std::env::var("PANTAU_HTTP_TIMEOUT_SECS")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
        {
            c.timeout = Duration::from_secs_f64(secs.max(0.1));
        }
        c
    }
}

/// What a fetch brought back.
#[derive(Debug)]
pub enum Fetched {
    /// A new body, with the validators to send next time.
    Modified {
        body: String,
        validators: Validators,
    },
    /// 304: what we have is current.
    NotModified,
}

/// The shared HTTP client.
pub struct Fetcher {
    client: reqwest::Client,
    origin: Origin,
    config: FetchConfig,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Fetcher {
    /// Builds the client (rustls, gzip and brotli).
    pub fn new(origin: Origin, config: FetchConfig) -> Result<Fetcher> {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .gzip(true)
            .brotli(true)
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .map_err(|e| Error::Network(e.to_string()))?;
        Ok(Fetcher {
            client,
            origin,
            config,
            hosts: Mutex::new(HashMap::new()),
        })
    }

    /// The origin mapping in use.
    pub fn origin(&self) -> &Origin {
        &self.origin
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
    /// validators given. Never reads more than the size cap.
    pub async fn get(&self, url: &Url, validators: &Validators) -> Result<Fetched> {
        let gate = self.host_gate(url);
        let _permit = gate
            .acquire()
            .await
            .map_err(|_| Error::Network("fetcher closed".into()))?;
        let mut request = self.client.get(self.origin.map(url));
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
        if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
            let wait = retry_after(response.headers()).unwrap_or(Duration::from_secs(60));
            return Err(Error::RetryLater(wait.as_secs().max(1)));
        }
        if !status.is_success() {
            return Err(Error::HttpStatus(status.as_u16()));
        }
        if response
            .content_length()
            .is_some_and(|n| n as usize > self.config.max_body)
        {
            return Err(Error::TooLarge(self.config.max_body));
        }
        let validators = Validators {
            etag: header(response.headers(), ETAG),
            last_modified: header(response.headers(), LAST_MODIFIED),
        };
        let mut body: Vec<u8> = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(e))? {
            if body.len() + chunk.len() > self.config.max_body {
                return Err(Error::TooLarge(self.config.max_body));
            }
            body.extend_from_slice(&chunk);
        }
        let body = String::from_utf8(body)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok(Fetched::Modified { body, validators })
    }

    fn classify(&self, e: reqwest::Error) -> Error {
        if e.is_timeout() {
            Error::Timeout(self.config.timeout.as_secs().max(1))
        } else if e.is_body() || e.is_decode() {
            Error::Network(format!("response cut short: {}", source_chain(&e)))
        } else if e.is_connect() {
            Error::Network(format!("cannot connect: {}", source_chain(&e)))
        } else {
            Error::Network(source_chain(&e))
        }
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

/// `Retry-After` as seconds or an HTTP date, capped at 30 minutes.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let secs = match v.parse::<u64>() {
        Ok(s) => s,
        Err(_) => {
            let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
            (at.timestamp() - chrono::Utc::now().timestamp()).max(0) as u64
        }
    };
    Some(Duration::from_secs(secs.min(30 * 60)))
}
