//! Fetching a page for a source: back-off, the user's round gap, robots.txt, checked redirects,
//! and every failure recorded once with its back-off.

use super::{Engine, Patience, MAX_REDIRECTS};
use crate::error::{Error, Result};
use crate::fetch::{Fetched, ROBOTS_AGENT};
use crate::parse;
use crate::policy::{failure_delay, robots_body, round_gap_left};
use crate::sources::Source;
use crate::store::{Millis, Validators};
use crate::time::now_ms;
use url::Url;

/// A body as fetched, with its declared type.
pub(super) struct Body {
    pub bytes: Vec<u8>,
    pub media_type: Option<String>,
    pub validators: Validators,
}

impl Engine {
    /// Fetches a page for `source`, honouring back-off and robots.txt, following redirects
    /// only to kontan. `None` means 304. Failures are recorded by the caller, once.
    pub(super) async fn fetch_page(
        &self,
        source: &Source,
        url: &Url,
        patience: Patience,
    ) -> Result<Option<(String, Validators)>> {
        self.check_backoff(source, patience)?;
        let validators = self.store().validators(url.as_str())?;
        self.get_following(url, &validators, true).await
    }

    /// GETs `url`, following at most [`MAX_REDIRECTS`] redirects, each checked: only to kontan
    /// (or the origin), never to http; robots.txt (when `robots`) and the per-host limit apply
    /// to every hop. Validators go with the first request only. `None` means 304.
    pub(super) async fn get_following(
        &self,
        url: &Url,
        validators: &Validators,
        robots: bool,
    ) -> Result<Option<(String, Validators)>> {
        let got = self
            .get_following_capped(url, validators, robots, usize::MAX)
            .await?;
        Ok(got.map(|body| {
            let text = String::from_utf8(body.bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            (text, body.validators)
        }))
    }

    /// [`Engine::get_following`] for any body (an image), read up to `cap` bytes.
    pub(super) async fn get_following_capped(
        &self,
        url: &Url,
        validators: &Validators,
        robots: bool,
        cap: usize,
    ) -> Result<Option<Body>> {
        let mut at = url.clone();
        for hop in 0..=MAX_REDIRECTS {
            if robots {
                // Boxed: robots.txt is itself fetched through here (without the check).
                Box::pin(self.check_robots(&at)).await?;
            }
            self.check_host_wait(&at)?;
            let none = Validators::default();
            let sent = if hop == 0 { validators } else { &none };
            let fetched = self.fetcher.get(&at, sent, cap).await;
            if let Err(Error::RetryLater(secs)) = &fetched {
                self.record_host_wait(&at, *secs);
            }
            match fetched? {
                Fetched::Redirect(to) => at = self.fetcher.redirect_target(&at, &to)?,
                Fetched::NotModified => return Ok(None),
                Fetched::Modified {
                    body,
                    media_type,
                    validators,
                } => {
                    return Ok(Some(Body {
                        bytes: body,
                        media_type,
                        validators,
                    }))
                }
            }
        }
        Err(Error::Network(format!(
            "more than {MAX_REDIRECTS} redirects from {url}"
        )))
    }

    /// Refuses, without a request, any address on a host whose Retry-After has not run out.
    fn check_host_wait(&self, url: &Url) -> Result<()> {
        let Some(host) = url.host_str() else {
            return Ok(());
        };
        let now = now_ms();
        match self.store().host_wait(host, now)? {
            Some(until) => Err(Error::RetryLater(((until - now + 999) / 1000) as u64)),
            None => Ok(()),
        }
    }

    fn record_host_wait(&self, url: &Url, secs: u64) {
        let Some(host) = url.host_str() else {
            return;
        };
        let until = now_ms()
            .saturating_add(i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX / 2));
        if let Err(e) = self.store().set_host_wait(host, until) {
            tracing::warn!("could not record {host}'s wait: {e}");
        }
    }

    pub(super) fn check_backoff(&self, source: &Source, patience: Patience) -> Result<()> {
        let status = self.store().source_status(&source.key())?;
        let Some(next) = status.next_retry else {
            return Ok(());
        };
        let wait = next - now_ms();
        let binding = patience == Patience::Scheduled
            || status.error_kind.as_deref() == Some(Error::RetryLater(0).kind());
        if wait > 0 && binding {
            return Err(Error::BackingOff(((wait + 999) / 1000) as u64));
        }
        Ok(())
    }

    /// Refuses a round the user asked for moments after the last try of `source`.
    pub(super) fn check_round_gap(&self, source: &Source, patience: Patience) -> Result<()> {
        if patience != Patience::UserAsked {
            return Ok(());
        }
        let status = self.store().source_status(&source.key())?;
        match round_gap_left(status.last_attempt, now_ms()) {
            Some(since) => Err(Error::TooSoon(since)),
            None => Ok(()),
        }
    }

    /// Records a failure with its back-off and hands the error back. A run of our own back-off
    /// or a refused early round is no new failure.
    pub(super) fn failed(&self, source: &Source, e: Error) -> Error {
        if matches!(e, Error::BackingOff(_) | Error::TooSoon(_)) {
            return e;
        }
        let now = now_ms();
        let store = self.store();
        let failures = store
            .source_status(&source.key())
            .map(|s| s.failures + 1)
            .unwrap_or(1);
        let delay = failure_delay(&e, failures, self.config.error_floor());
        let next = now.saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX / 2));
        if let Err(store_err) =
            store.source_failed(&source.key(), e.kind(), &e.to_string(), now, Some(next))
        {
            tracing::warn!("could not record failure of {source}: {store_err}");
        }
        e
    }

    /// Records the outcome of a whole refresh of `source`: a failure once, with its back-off.
    pub(super) fn recorded<T>(&self, source: &Source, result: Result<T>) -> Result<T> {
        result.map_err(|e| self.failed(source, e))
    }

    pub(super) async fn check_robots(&self, url: &Url) -> Result<()> {
        const DAY: Millis = 86_400_000;
        let host = url.host_str().unwrap_or("").to_string();
        let cached = self.store().robots(&host)?;
        let body = match cached {
            Some((body, at)) if now_ms() - at < DAY => body,
            _ => {
                let robots_url = parse::page_url(&format!("https://{host}/robots.txt"))?;
                let fetched = self
                    .get_following(&robots_url, &Validators::default(), false)
                    .await
                    .map(|page| page.map(|(body, _)| body));
                let body = match robots_body(fetched) {
                    Ok(Some(body)) => body,
                    Ok(None) => cached.map(|c| c.0).unwrap_or_default(),
                    Err(e) => return Err(e),
                };
                self.store().set_robots(&host, &body, now_ms())?;
                body
            }
        };
        if body.trim().is_empty() {
            return Ok(());
        }
        match texting_robots::Robot::new(ROBOTS_AGENT, body.as_bytes()) {
            Ok(robot) if !robot.allowed(url.as_str()) => Err(Error::Disallowed(url.to_string())),
            _ => Ok(()),
        }
    }

    pub(super) fn ok(&self, source: &Source) -> Result<()> {
        self.store().source_ok(&source.key(), now_ms())
    }
}

/// Parses off the async runtime: a slow page never holds up other tasks, and the parse gets a
/// full thread of its own.
pub(super) async fn off_runtime<T: Send + 'static>(
    job: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => handle
            .spawn_blocking(job)
            .await
            .map_err(|e| Error::InvalidValue(format!("parser stopped: {e}")))?,
        Err(_) => job(),
    }
}
