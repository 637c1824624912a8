//! The engine: fetch, parse, check and cache kontan, one source at a time.
//!
//! Both the refresh loop and `pantau-cli` drive it. Every source records its status, so a
//! failure is always visible and the last good data stays, marked with its age.

use crate::config::EngineConfig;
use crate::error::{Error, Result};
use crate::fallback::{chart_url, parse_chart, FALLBACK_SYMBOLS};
use crate::fetch::{Fetched, Fetcher, ROBOTS_AGENT};
use crate::market::{freshness, Freshness};
use crate::model::{Article, RejectedReading};
use crate::parse::date::wib;
use crate::parse::{self, Page};
use crate::store::{Millis, SourceStatus, Store, StoredHeadline, Validators};
use backon::BackoffBuilder;
use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use url::Url;

/// Source names as they appear in statuses.
pub mod sources {
    /// The indicator bar on the www homepage.
    pub const BAR: &str = "kontan:bar";
    /// The homepage's headline rails.
    pub const HOME: &str = "kontan:home";
    /// The fallback quotes.
    pub const FALLBACK: &str = "yahoo";
    /// Article pages.
    pub const ARTICLE: &str = "kontan:article";

    /// A channel front page.
    pub fn channel(name: &str) -> String {
        format!("kontan:channel:{name}")
    }

    /// A channel's RSS feed.
    pub fn feed(name: &str) -> String {
        format!("kontan:rss:{name}")
    }
}

/// The homepage address.
pub fn home_url() -> Url {
    Url::parse("https://www.kontan.co.id/").expect("static url")
}

/// A channel front page address (`investasi` → `https://investasi.kontan.co.id/`).
pub fn channel_url(channel: &str) -> Result<Url> {
    parse::page_url(&format!(
        "https://{}.kontan.co.id/",
        channel.trim().to_ascii_lowercase()
    ))
}

/// A channel's RSS feed address.
pub fn feed_url(channel: &str) -> Result<Url> {
    parse::page_url(&format!(
        "https://{}.kontan.co.id/rss",
        channel.trim().to_ascii_lowercase()
    ))
}

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> Millis {
    Utc::now().timestamp_millis()
}

/// Milliseconds to a time in WIB.
pub fn to_wib(ms: Millis) -> DateTime<FixedOffset> {
    wib()
        .timestamp_millis_opt(ms)
        .single()
        .unwrap_or_else(|| wib().timestamp_opt(0, 0).unwrap())
}

/// One indicator as the UI shows it: the reading plus where and when it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadingView {
    pub symbol: String,
    pub value: f64,
    pub change: f64,
    pub change_pct: f64,
    /// When a source last showed this value (WIB).
    pub observed_at: DateTime<FixedOffset>,
    /// When this value first appeared (WIB).
    pub first_seen: DateTime<FixedOffset>,
    /// `kontan` or the fallback's name.
    pub source: String,
    /// True when the value can no longer be trusted to be current.
    pub stale: bool,
    pub freshness: Freshness,
}

/// What the app shows at start-up and after each update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub readings: Vec<ReadingView>,
    pub headlines: Vec<StoredHeadline>,
    pub sources: Vec<SourceStatus>,
    pub market_open: bool,
    pub taken_at: DateTime<FixedOffset>,
}

/// What a bar refresh did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BarOutcome {
    /// Symbols whose value changed.
    pub changed: Vec<String>,
    /// Readings the checks refused.
    pub rejected: Vec<RejectedReading>,
    /// The page had not changed (304).
    pub not_modified: bool,
    /// New headlines from the homepage rails.
    pub new_headlines: usize,
    /// The fallback source was used.
    pub used_fallback: bool,
    /// Why kontan's bar could not be used, when the fallback stood in.
    pub kontan_error: Option<String>,
}

/// Whether a stored back-off stops this call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patience {
    /// The refresh loop and background prefetch: wait out every back-off.
    Scheduled,
    /// A user asked (CLI, "Perbarui sekarang", opening an article): only a server's explicit
    /// Retry-After stops us, and a refresh round runs at most once per [`USER_ROUND_GAP`].
    UserAsked,
}

/// The least time between two refresh rounds a user asks for (CLI calls, "Perbarui sekarang").
pub const USER_ROUND_GAP: Duration = Duration::from_secs(10);

/// Redirect hops followed, at most.
const MAX_REDIRECTS: usize = 5;

/// The engine.
pub struct Engine {
    config: EngineConfig,
    fetcher: Fetcher,
    store: Mutex<Store>,
    /// A second connection for reads, so views never wait for a refresh's writes (WAL lets
    /// readers run beside the writer). `None` for an in-memory cache, which has one connection.
    reader: Option<Mutex<Store>>,
}

impl Engine {
    /// Opens the cache and builds the HTTP client.
    pub fn open(config: EngineConfig) -> Result<Engine> {
        let store = Store::open(&config.db_path)?;
        Engine::with_store(config, store)
    }

    /// Builds the engine over a cache that is already open.
    pub fn with_store(config: EngineConfig, store: Store) -> Result<Engine> {
        let fetcher = Fetcher::new(config.origin.clone(), config.fetch.clone())?;
        let reader = match store.reopen() {
            Ok(r) => r.map(Mutex::new),
            Err(e) => {
                tracing::warn!("no separate read connection: {e}");
                None
            }
        };
        Ok(Engine {
            config,
            fetcher,
            store: Mutex::new(store),
            reader,
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// The configuration, to adjust before the loop starts.
    pub fn config_mut(&mut self) -> &mut EngineConfig {
        &mut self.config
    }

    /// The cache (held briefly; never across an await).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cache for reading only: never waits for a refresh's write transaction.
    pub fn reader(&self) -> MutexGuard<'_, Store> {
        match &self.reader {
            Some(r) => r.lock().unwrap_or_else(|p| p.into_inner()),
            None => self.store(),
        }
    }

    // ---- reading the cache ----

    /// The latest readings with their freshness.
    pub fn readings(&self, now: Millis) -> Result<Vec<ReadingView>> {
        let store = self.reader();
        let latest = store.latest_readings()?;
        let now_utc = Utc
            .timestamp_millis_opt(now)
            .single()
            .unwrap_or_else(Utc::now);
        let bar_failing = store.source_status(sources::BAR)?.failures > 0;
        let fallback_failing = store.source_status(sources::FALLBACK)?.failures > 0;
        drop(store);
        let interval = self.config.intervals.bar;
        Ok(latest
            .into_iter()
            .map(|r| {
                let failing = if r.source == "kontan" {
                    bar_failing
                } else {
                    fallback_failing
                };
                let confirmed = Utc
                    .timestamp_millis_opt(r.confirmed_at)
                    .single()
                    .unwrap_or(now_utc);
                let fresh = freshness(&self.config.calendar, confirmed, now_utc, interval, failing);
                ReadingView {
                    symbol: r.reading.symbol,
                    value: r.reading.value,
                    change: r.reading.change,
                    change_pct: r.reading.change_pct,
                    observed_at: to_wib(r.confirmed_at),
                    first_seen: to_wib(r.first_seen),
                    source: r.source,
                    stale: fresh == Freshness::Stale,
                    freshness: fresh,
                }
            })
            .collect())
    }

    /// Everything the app shows, from the cache alone (no network).
    pub fn snapshot(&self, headline_limit: usize) -> Result<Snapshot> {
        let now = now_ms();
        let readings = self.readings(now)?;
        let store = self.reader();
        Ok(Snapshot {
            readings,
            headlines: store.latest_headlines(None, headline_limit)?,
            sources: store.all_source_status()?,
            market_open: self.config.calendar.is_open(Utc::now()),
            taken_at: to_wib(now),
        })
    }

    // ---- fetching ----

    /// Fetches a page for `source`, honouring back-off and robots.txt, following redirects
    /// only to kontan. `None` means 304. Failures are recorded by the caller, once.
    async fn fetch_page(
        &self,
        source: &str,
        url: &Url,
        patience: Patience,
    ) -> Result<Option<(String, Validators)>> {
        self.check_backoff(source, patience)?;
        let validators = self.store().validators(url.as_str())?;
        match self.get_following(url, &validators, true).await? {
            Fetched::NotModified => Ok(None),
            Fetched::Modified { body, validators } => Ok(Some((body, validators))),
            Fetched::Redirect(to) => Err(Error::RedirectRefused(to.to_string())),
        }
    }

    /// GETs `url`, following at most [`MAX_REDIRECTS`] redirects, each checked: only to kontan
    /// (or the origin), never to http; robots.txt (when `robots`) and the per-host limit apply
    /// to every hop. Validators go with the first request only.
    async fn get_following(
        &self,
        url: &Url,
        validators: &Validators,
        robots: bool,
    ) -> Result<Fetched> {
        let mut at = url.clone();
        for hop in 0..=MAX_REDIRECTS {
            if robots {
                // Boxed: robots.txt is itself fetched through here (without the check).
                Box::pin(self.check_robots(&at)).await?;
            }
            let none = Validators::default();
            let sent = if hop == 0 { validators } else { &none };
            match self.fetcher.get(&at, sent).await? {
                Fetched::Redirect(to) => at = self.fetcher.redirect_target(&at, &to)?,
                done => return Ok(done),
            }
        }
        Err(Error::Network(format!(
            "more than {MAX_REDIRECTS} redirects from {url}"
        )))
    }

    fn check_backoff(&self, source: &str, patience: Patience) -> Result<()> {
        let status = self.store().source_status(source)?;
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
    fn check_round_gap(&self, source: &str, patience: Patience) -> Result<()> {
        if patience != Patience::UserAsked {
            return Ok(());
        }
        let status = self.store().source_status(source)?;
        match round_gap_left(status.last_attempt, now_ms()) {
            Some(since) => Err(Error::TooSoon(since)),
            None => Ok(()),
        }
    }

    /// Records a failure with its back-off and hands the error back. A run of our own back-off
    /// or a refused early round is no new failure.
    fn failed(&self, source: &str, e: Error) -> Error {
        if matches!(e, Error::BackingOff(_) | Error::TooSoon(_)) {
            return e;
        }
        let now = now_ms();
        let store = self.store();
        let failures = store
            .source_status(source)
            .map(|s| s.failures + 1)
            .unwrap_or(1);
        let delay = failure_delay(&e, failures, self.config.error_floor());
        let next = now.saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX / 2));
        if let Err(store_err) =
            store.source_failed(source, e.kind(), &e.to_string(), now, Some(next))
        {
            tracing::warn!("could not record failure of {source}: {store_err}");
        }
        e
    }

    /// Records the outcome of a whole refresh of `source`: a failure once, with its back-off.
    fn recorded<T>(&self, source: &str, result: Result<T>) -> Result<T> {
        result.map_err(|e| self.failed(source, e))
    }

    async fn check_robots(&self, url: &Url) -> Result<()> {
        const DAY: Millis = 86_400_000;
        let host = url.host_str().unwrap_or("").to_string();
        let cached = self.store().robots(&host)?;
        let body = match cached {
            Some((body, at)) if now_ms() - at < DAY => body,
            _ => {
                let robots_url = parse::page_url(&format!("https://{host}/robots.txt"))?;
                let fetched = self
                    .get_following(&robots_url, &Validators::default(), false)
                    .await;
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

    fn ok(&self, source: &str) -> Result<()> {
        self.store().source_ok(source, now_ms())
    }

    // ---- sources ----

    /// Refreshes the indicator bar (and the homepage rails it comes with). After
    /// `fallback_after` consecutive failures the fallback source fills in USD/IDR and IDX.
    pub async fn refresh_bar(&self, patience: Patience) -> Result<BarOutcome> {
        self.check_round_gap(sources::BAR, patience)?;
        let home = self.refresh_home(patience).await;
        let result = match home {
            Ok(outcome) => Ok(outcome),
            Err(e) => {
                // The rails share the page: their status follows the bar's.
                if !matches!(e, Error::BackingOff(_)) {
                    let _ = self.failed(sources::HOME, Error::Network(format!("homepage: {e}")));
                }
                Err(self.failed(sources::BAR, e))
            }
        };
        let e = match result {
            Ok(outcome) => return Ok(outcome),
            Err(e) => e,
        };
        let failures = self.store().source_status(sources::BAR)?.failures;
        if failures >= self.config.fallback_after {
            match self.refresh_fallback(patience).await {
                Ok(changed) => {
                    tracing::info!("kontan bar failing ({e}); fallback source used");
                    // The fallback's rows are now the latest: when kontan comes back, read
                    // its page whole (not a 304) so its readings take over again.
                    self.store().clear_validators(home_url().as_str())?;
                    return Ok(BarOutcome {
                        changed,
                        used_fallback: true,
                        kontan_error: Some(e.to_string()),
                        ..Default::default()
                    });
                }
                Err(fe) => tracing::warn!("fallback source failed too: {fe}"),
            }
        }
        Err(e)
    }

    /// Reads the homepage's bar and rails. Failures of the bar are the caller's to record;
    /// failures of the rails alone are recorded here (the bar can still be good).
    async fn refresh_home(&self, patience: Patience) -> Result<BarOutcome> {
        let url = home_url();
        let fetched = self.fetch_page(sources::BAR, &url, patience).await?;
        let now = now_ms();
        let Some((body, validators)) = fetched else {
            self.store().confirm_readings("kontan", now)?;
            self.ok(sources::BAR)?;
            self.ok(sources::HOME)?;
            return Ok(BarOutcome {
                not_modified: true,
                ..Default::default()
            });
        };
        let page_url = url.clone();
        let (headlines, bar) = off_runtime(move || {
            let page = Page::parse(&body, page_url)?;
            Ok((page.headlines(), page.indicators()))
        })
        .await?;
        let mut outcome = BarOutcome::default();
        let rails_read = match headlines {
            Ok(h) => {
                outcome.new_headlines = self.store().upsert_headlines(&h, sources::HOME, now)?;
                self.ok(sources::HOME)?;
                true
            }
            Err(e) => {
                let _ = self.failed(sources::HOME, e);
                false
            }
        };
        let bar = bar?;
        outcome.changed = self.store().record_readings(&bar.readings, "kontan", now)?;
        outcome.rejected = bar.rejected;
        // Remember the page only when all of it was read, so a half-read page is fetched again.
        if rails_read {
            self.store()
                .set_validators(url.as_str(), &validators, now)?;
        }
        self.ok(sources::BAR)?;
        Ok(outcome)
    }

    /// Asks the fallback source for USD/IDR and IDX; returns the symbols that changed.
    pub async fn refresh_fallback(&self, patience: Patience) -> Result<Vec<String>> {
        let result = self.read_fallback(patience).await;
        self.recorded(sources::FALLBACK, result)
    }

    async fn read_fallback(&self, patience: Patience) -> Result<Vec<String>> {
        self.check_backoff(sources::FALLBACK, patience)?;
        let mut readings = Vec::new();
        for (yahoo, ours) in FALLBACK_SYMBOLS {
            let url = chart_url(yahoo);
            let body = match self
                .get_following(&url, &Validators::default(), false)
                .await?
            {
                Fetched::Modified { body, .. } => body,
                Fetched::NotModified => continue,
                Fetched::Redirect(to) => return Err(Error::RedirectRefused(to.to_string())),
            };
            readings.push(parse_chart(&body, ours)?);
        }
        let changed = self
            .store()
            .record_readings(&readings, sources::FALLBACK, now_ms())?;
        self.ok(sources::FALLBACK)?;
        Ok(changed)
    }

    /// Refreshes a followed channel's front page; returns how many headlines were new.
    pub async fn refresh_channel(&self, channel: &str, patience: Patience) -> Result<usize> {
        let url = channel_url(channel)?;
        self.refresh_list(&sources::channel(channel), &url, patience)
            .await
    }

    /// Refreshes a channel's RSS feed; returns how many headlines were new.
    pub async fn refresh_feed(&self, channel: &str, patience: Patience) -> Result<usize> {
        let url = feed_url(channel)?;
        self.refresh_list(&sources::feed(channel), &url, patience)
            .await
    }

    async fn refresh_list(&self, source: &str, url: &Url, patience: Patience) -> Result<usize> {
        self.check_round_gap(source, patience)?;
        let result = self.read_list(source, url, patience).await;
        self.recorded(source, result)
    }

    async fn read_list(&self, source: &str, url: &Url, patience: Patience) -> Result<usize> {
        let Some((body, validators)) = self.fetch_page(source, url, patience).await? else {
            self.ok(source)?;
            return Ok(0);
        };
        let page_url = url.clone();
        let headlines = off_runtime(move || parse::parse_headlines(&body, &page_url)).await?;
        let now = now_ms();
        let new = self.store().upsert_headlines(&headlines, source, now)?;
        self.store()
            .set_validators(url.as_str(), &validators, now)?;
        self.ok(source)?;
        Ok(new)
    }

    /// An article, whole (multi-page stories joined). From the cache unless `refresh`;
    /// when the network fails, the cached copy is returned if there is one. Only kontan
    /// addresses are fetched.
    pub async fn article(&self, url: &str, refresh: bool) -> Result<(Article, Millis)> {
        self.article_with(url, refresh, Patience::UserAsked).await
    }

    async fn article_with(
        &self,
        url: &str,
        refresh: bool,
        patience: Patience,
    ) -> Result<(Article, Millis)> {
        let asked = article_address(url)?;
        let cached = self.store().article(asked.as_str())?;
        if let (Some(c), false) = (&cached, refresh) {
            return Ok(c.clone());
        }
        let mut fetched = self.fetch_article(&asked, patience).await;
        if matches!(fetched, Ok(None)) && cached.is_none() {
            // "Not modified", yet nothing is cached under this address: forget what we told
            // the server and ask for the whole page again.
            let mut all = asked.clone();
            all.query_pairs_mut().append_pair("page", "all");
            self.store().clear_validators(all.as_str())?;
            fetched = self.fetch_article(&asked, patience).await;
        }
        match self.recorded(sources::ARTICLE, fetched) {
            Ok(Some(article)) => {
                let now = now_ms();
                self.store().put_article(&article, asked.as_str(), now)?;
                Ok((article, now))
            }
            Ok(None) => cached.ok_or_else(|| {
                Error::NothingCached("the server said the article had not changed".into())
            }),
            Err(e) => cached.ok_or(e),
        }
    }

    /// Fetches `url?page=all`; if that cannot be read, follows the pager page by page.
    async fn fetch_article(&self, url: &Url, patience: Patience) -> Result<Option<Article>> {
        let mut all = url.clone();
        all.query_pairs_mut().append_pair("page", "all");
        match self.fetch_page(sources::ARTICLE, &all, patience).await? {
            None => return Ok(None),
            Some((body, validators)) => {
                let page_url = all.clone();
                match off_runtime(move || parse::parse_article(&body, &page_url)).await {
                    Ok(article) => {
                        self.store()
                            .set_validators(all.as_str(), &validators, now_ms())?;
                        self.ok(sources::ARTICLE)?;
                        return Ok(Some(article));
                    }
                    Err(e @ Error::TooDeep(_)) => return Err(e),
                    Err(e) => tracing::info!("{all}: {e}; following the pager instead"),
                }
            }
        }
        let mut next = Some(url.clone());
        let mut joined: Option<Article> = None;
        let mut related_seen: HashSet<String> = HashSet::new();
        for _ in 0..20 {
            let Some(page_url) = next.take() else { break };
            let body = match self
                .fetch_page(sources::ARTICLE, &page_url, patience)
                .await?
            {
                Some((body, _)) => body,
                None => {
                    self.store().clear_validators(page_url.as_str())?;
                    match self
                        .fetch_page(sources::ARTICLE, &page_url, patience)
                        .await?
                    {
                        Some((body, _)) => body,
                        None => break,
                    }
                }
            };
            let parse_url = page_url.clone();
            let page = off_runtime(move || parse::parse_article(&body, &parse_url)).await?;
            next = page
                .next_page_url
                .as_deref()
                .and_then(|u| Url::parse(u).ok());
            joined = Some(match joined {
                None => {
                    related_seen.extend(page.related.iter().map(|r| r.url.clone()));
                    page
                }
                Some(mut a) => {
                    a.paragraphs.extend(page.paragraphs);
                    for r in page.related {
                        if related_seen.insert(r.url.clone()) {
                            a.related.push(r);
                        }
                    }
                    a
                }
            });
        }
        let mut article = joined.ok_or(Error::MissingPart("body"))?;
        article.next_page_url = None;
        self.ok(sources::ARTICLE)?;
        Ok(Some(article))
    }

    /// Fetches the newest unread articles not yet cached, so the reader works offline. Runs on
    /// the schedule's patience: every back-off holds.
    pub async fn prefetch_articles(&self) -> Result<usize> {
        let candidates: Vec<String> = {
            let store = self.reader();
            store
                .latest_headlines(None, 50)?
                .into_iter()
                .filter(|h| !h.read)
                .map(|h| h.headline.url)
                .filter(|u| !store.has_article(u).unwrap_or(true))
                .take(self.config.prefetch_count)
                .collect()
        };
        let mut fetched = 0;
        for url in candidates {
            match self.article_with(&url, false, Patience::Scheduled).await {
                Ok(_) => fetched += 1,
                Err(e @ (Error::RetryLater(_) | Error::BackingOff(_))) => return Err(e),
                Err(e) => tracing::info!("prefetch {url}: {e}"),
            }
        }
        Ok(fetched)
    }

    /// Drops what retention says is too old.
    pub fn prune(&self) -> Result<usize> {
        self.store().prune(now_ms(), self.config.retention)
    }
}

/// The cleaned address of an article a user asked for; refused unless it is on kontan.
pub fn article_address(url: &str) -> Result<Url> {
    let parsed = parse::urls::normalize(url, &home_url())
        .ok_or_else(|| Error::InvalidUrl(url.to_string()))?;
    if !parsed.host_str().is_some_and(parse::urls::is_kontan_host) {
        return Err(Error::NotKontan(parsed.to_string()));
    }
    Ok(parse::urls::without_page(&parsed))
}

/// Parses off the async runtime: a slow page never holds up other tasks, and the parse gets a
/// full thread of its own.
async fn off_runtime<T: Send + 'static>(
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

/// A robots.txt answer per RFC 9309: a body is the rules; 4xx means no rules (everything is
/// allowed); 5xx, 429 and an unreachable server mean "disallow for now" (the error stands).
/// `None` is a 304 (keep what is cached).
fn robots_body(fetched: Result<Fetched>) -> Result<Option<String>> {
    match fetched {
        Ok(Fetched::Modified { body, .. }) => Ok(Some(body)),
        Ok(Fetched::NotModified) => Ok(None),
        Ok(Fetched::Redirect(to)) => Err(Error::RedirectRefused(to.to_string())),
        Err(Error::HttpStatus(code)) if (400..500).contains(&code) => Ok(Some(String::new())),
        Err(e) => Err(e),
    }
}

/// Seconds since the last try when a user's round comes too soon after it.
fn round_gap_left(last_attempt: Option<Millis>, now: Millis) -> Option<u64> {
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
