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
    /// The refresh loop: wait out every back-off.
    Scheduled,
    /// A user asked (CLI, "Perbarui sekarang"): only a server's explicit Retry-After stops us.
    UserAsked,
}

/// The engine.
pub struct Engine {
    config: EngineConfig,
    fetcher: Fetcher,
    store: Mutex<Store>,
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
        Ok(Engine {
            config,
            fetcher,
            store: Mutex::new(store),
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

    // ---- reading the cache ----

    /// The latest readings with their freshness.
    pub fn readings(&self, now: Millis) -> Result<Vec<ReadingView>> {
        let store = self.store();
        let latest = store.latest_readings()?;
        let now_utc = Utc
            .timestamp_millis_opt(now)
            .single()
            .unwrap_or_else(Utc::now);
        let bar_failing = store.source_status(sources::BAR)?.failures > 0;
        let fallback_failing = store.source_status(sources::FALLBACK)?.failures > 0;
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
        let store = self.store();
        Ok(Snapshot {
            readings,
            headlines: store.latest_headlines(None, headline_limit)?,
            sources: store.all_source_status()?,
            market_open: self.config.calendar.is_open(Utc::now()),
            taken_at: to_wib(now),
        })
    }

    // ---- fetching ----

    /// Fetches a page for `source`, honouring back-off and robots.txt. `None` means 304.
    async fn fetch_page(
        &self,
        source: &str,
        url: &Url,
        patience: Patience,
    ) -> Result<Option<(String, Validators)>> {
        self.check_backoff(source, patience)?;
        self.check_robots(url)
            .await
            .map_err(|e| self.failed(source, e))?;
        let validators = self.store().validators(url.as_str())?;
        match self.fetcher.get(url, &validators).await {
            Ok(Fetched::NotModified) => Ok(None),
            Ok(Fetched::Modified { body, validators }) => Ok(Some((body, validators))),
            Err(e) => Err(self.failed(source, e)),
        }
    }

    fn check_backoff(&self, source: &str, patience: Patience) -> Result<()> {
        let status = self.store().source_status(source)?;
        let Some(next) = status.next_retry else {
            return Ok(());
        };
        let wait = next - now_ms();
        let binding =
            patience == Patience::Scheduled || status.error_kind.as_deref() == Some("retry_later");
        if wait > 0 && binding {
            return Err(Error::RetryLater(((wait + 999) / 1000) as u64));
        }
        Ok(())
    }

    /// Records a failure with its back-off and hands the error back.
    fn failed(&self, source: &str, e: Error) -> Error {
        let now = now_ms();
        let store = self.store();
        let failures = store
            .source_status(source)
            .map(|s| s.failures + 1)
            .unwrap_or(1);
        let delay = match &e {
            Error::RetryLater(secs) => Duration::from_secs(*secs),
            _ => backoff_delay(failures),
        };
        let next = now + delay.as_millis() as i64;
        if let Err(store_err) =
            store.source_failed(source, e.kind(), &e.to_string(), now, Some(next))
        {
            tracing::warn!("could not record failure of {source}: {store_err}");
        }
        e
    }

    async fn check_robots(&self, url: &Url) -> Result<()> {
        const DAY: Millis = 86_400_000;
        let host = url.host_str().unwrap_or("").to_string();
        let cached = self.store().robots(&host)?;
        let body = match cached {
            Some((body, at)) if now_ms() - at < DAY => body,
            _ => {
                let robots_url = parse::page_url(&format!("https://{host}/robots.txt"))?;
                let body = match self.fetcher.get(&robots_url, &Validators::default()).await {
                    Ok(Fetched::Modified { body, .. }) => body,
                    Ok(Fetched::NotModified) => cached.map(|c| c.0).unwrap_or_default(),
                    // No robots.txt (404) means no restriction; an unreachable one is retried later.
                    Err(Error::HttpStatus(404 | 410)) => String::new(),
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
        match self.refresh_home(patience).await {
            Ok(outcome) => Ok(outcome),
            Err(e) => {
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
        }
    }

    async fn refresh_home(&self, patience: Patience) -> Result<BarOutcome> {
        let url = home_url();
        let fetched = match self.fetch_page(sources::BAR, &url, patience).await {
            Ok(f) => f,
            Err(e) => {
                // The rails share the page: their status follows the bar's.
                let _ = self.failed(sources::HOME, Error::Network(format!("homepage: {e}")));
                return Err(e);
            }
        };
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
        let page = Page::parse(&body, url.clone());
        let mut outcome = BarOutcome::default();
        let headlines = page.headlines();
        let bar = page.indicators();
        drop(page);
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
        let bar = bar.map_err(|e| self.failed(sources::BAR, e))?;
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
        self.check_backoff(sources::FALLBACK, patience)?;
        let mut readings = Vec::new();
        for (yahoo, ours) in FALLBACK_SYMBOLS {
            let url = chart_url(yahoo);
            let body = match self.fetcher.get(&url, &Validators::default()).await {
                Ok(Fetched::Modified { body, .. }) => body,
                Ok(Fetched::NotModified) => continue,
                Err(e) => return Err(self.failed(sources::FALLBACK, e)),
            };
            readings.push(parse_chart(&body, ours).map_err(|e| self.failed(sources::FALLBACK, e))?);
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
        let Some((body, validators)) = self.fetch_page(source, url, patience).await? else {
            self.ok(source)?;
            return Ok(0);
        };
        let headlines = parse::parse_headlines(&body, url).map_err(|e| self.failed(source, e))?;
        let now = now_ms();
        let new = self.store().upsert_headlines(&headlines, source, now)?;
        self.store()
            .set_validators(url.as_str(), &validators, now)?;
        self.ok(source)?;
        Ok(new)
    }

    /// An article, whole (multi-page stories joined). From the cache unless `refresh`;
    /// when the network fails, the cached copy is returned if there is one.
    pub async fn article(&self, url: &str, refresh: bool) -> Result<(Article, Millis)> {
        let url = parse::urls::normalize(url, &home_url())
            .ok_or_else(|| Error::InvalidUrl(url.to_string()))?;
        let url = parse::urls::without_page(&url);
        let cached = self.store().article(url.as_str())?;
        if let (Some(c), false) = (&cached, refresh) {
            return Ok(c.clone());
        }
        match self.fetch_article(&url).await {
            Ok(Some(article)) => {
                let now = now_ms();
                self.store().put_article(&article, now)?;
                self.store().set_read(article.url.as_str(), false).ok();
                Ok((article, now))
            }
            Ok(None) => cached.ok_or_else(|| {
                Error::Cache("server said not modified but nothing is cached".into())
            }),
            Err(e) => cached.ok_or(e),
        }
    }

    /// Fetches `url?page=all`; if that cannot be read, follows the pager page by page.
    async fn fetch_article(&self, url: &Url) -> Result<Option<Article>> {
        let mut all = url.clone();
        all.query_pairs_mut().append_pair("page", "all");
        match self
            .fetch_page(sources::ARTICLE, &all, Patience::UserAsked)
            .await?
        {
            None => return Ok(None),
            Some((body, validators)) => match parse::parse_article(&body, &all) {
                Ok(article) => {
                    self.store()
                        .set_validators(all.as_str(), &validators, now_ms())?;
                    self.ok(sources::ARTICLE)?;
                    return Ok(Some(article));
                }
                Err(e) => tracing::info!("{all}: {e}; following the pager instead"),
            },
        }
        let mut next = Some(url.clone());
        let mut joined: Option<Article> = None;
        for _ in 0..20 {
            let Some(page_url) = next.take() else { break };
            let body = match self
                .fetch_page(sources::ARTICLE, &page_url, Patience::UserAsked)
                .await?
            {
                Some((body, _)) => body,
                None => {
                    self.store().clear_validators(page_url.as_str())?;
                    match self
                        .fetch_page(sources::ARTICLE, &page_url, Patience::UserAsked)
                        .await?
                    {
                        Some((body, _)) => body,
                        None => break,
                    }
                }
            };
            let page = parse::parse_article(&body, &page_url)
                .map_err(|e| self.failed(sources::ARTICLE, e))?;
            next = page
                .next_page_url
                .as_deref()
                .and_then(|u| Url::parse(u).ok());
            joined = Some(match joined {
                None => page,
                Some(mut a) => {
                    a.paragraphs.extend(page.paragraphs);
                    for r in page.related {
                        if !a.related.contains(&r) {
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

    /// Fetches the newest unread articles not yet cached, so the reader works offline.
    pub async fn prefetch_articles(&self) -> Result<usize> {
        let candidates: Vec<String> = {
            let store = self.store();
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
            match self.article(&url, false).await {
                Ok(_) => fetched += 1,
                Err(e @ Error::RetryLater(_)) => return Err(e),
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
