//! The engine: fetch, parse, check and cache kontan, one source at a time.
//!
//! Both the refresh loop and `pantau-cli` drive it. Every source records its status, so a
//! failure is always visible and the last good data stays, marked with its age. By job:
//! [`fetching`] (back-off, robots.txt, redirects, failures), [`bar`] (the indicator bar and the
//! fallback), [`lists`] (channels and feeds), [`article`] (the reader and prefetch); the
//! decisions themselves are pure functions in [`crate::policy`].

mod article;
mod bar;
mod fetching;
mod image;
mod lists;

use crate::config::EngineConfig;
use crate::error::Result;
use crate::fetch::Fetcher;
use crate::market::{freshness, Freshness, Hours};
use crate::schedule::closed_market_delay;
use crate::sources::ReadingSource;
use crate::store::{Millis, Store};
use crate::sync::Locked;
use chrono::{TimeZone, Utc};
use std::sync::{Mutex, MutexGuard};

/// The most of today's alerts an indicator's view lists.
const DAY_ALERTS_SHOWN: usize = 500;
/// How far back an indicator's related news goes, in days: the news of a move is recent news.
pub const RELATED_DAYS: i64 = 3;

pub use crate::policy::{article_address, backoff_delay, failure_delay, USER_ROUND_GAP};
pub use crate::sources::{channel_url, feed_url, home_url};
use crate::time::{now_ms, to_wib};
pub use crate::view::{BarOutcome, IndicatorDetail, Market, Point, ReadingView, Snapshot};

/// Source names as they appear in statuses.
pub mod sources {
    pub use crate::sources::{channel, feed, ARTICLE, BAR, FALLBACK, HOME};
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
        self.store.locked()
    }

    /// The cache for reading only: never waits for a refresh's write transaction.
    pub fn reader(&self) -> MutexGuard<'_, Store> {
        match &self.reader {
            Some(r) => r.locked(),
            None => self.store(),
        }
    }

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
        let live = self.config.origin.is_live();
        Ok(latest
            .into_iter()
            .map(|r| {
                let failing = if r.source == ReadingSource::Kontan {
                    bar_failing
                } else {
                    fallback_failing
                };
                let confirmed = Utc
                    .timestamp_millis_opt(r.confirmed_at)
                    .single()
                    .unwrap_or(now_utc);
                // Stale means two scheduled refreshes missed while its market was open; the
                // loop polls slower while the exchange is closed (the midday break too).
                let expected =
                    closed_market_delay(&self.config.calendar, confirmed, interval, live);
                let hours = Hours::of(&r.reading.symbol);
                let fresh = freshness(
                    &self.config.calendar,
                    hours,
                    confirmed,
                    now_utc,
                    expected,
                    failing,
                );
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

    /// The market strip from the cache alone: readings, today's sparklines, source health.
    pub fn market(&self) -> Result<Market> {
        let now = now_ms();
        let readings = self.readings(now)?;
        let since = crate::time::start_of_day_wib(now);
        let store = self.reader();
        let mut sparklines = std::collections::BTreeMap::new();
        for r in &readings {
            let values = store
                .readings_since(&r.symbol, since)?
                .into_iter()
                .map(|s| s.reading.value)
                .collect();
            sparklines.insert(r.symbol.clone(), values);
        }
        Ok(Market {
            readings,
            sparklines,
            sources: store.all_source_status()?,
            market_open: self.config.calendar.is_open(crate::time::now()),
            market_state: self.config.calendar.state(crate::time::now()),
        })
    }

    /// One indicator's own view, from the cache alone: its reading, today's line, today's
    /// alerts about it and the `related` newest headlines about it from the last
    /// [`RELATED_DAYS`] days.
    pub fn indicator(&self, symbol: &str, related: usize) -> Result<IndicatorDetail> {
        let now = now_ms();
        let reading = self.readings(now)?.into_iter().find(|r| r.symbol == symbol);
        let since = crate::time::start_of_day_wib(now);
        let store = self.reader();
        let points = store
            .readings_since(symbol, since)?
            .into_iter()
            .map(|s| Point {
                at: to_wib(s.first_seen),
                value: s.reading.value,
            })
            .collect();
        let alerts = store.alerts_about(symbol, since, DAY_ALERTS_SHOWN)?;
        let topic = crate::topics::topic_of(symbol);
        Ok(IndicatorDetail {
            symbol: symbol.to_string(),
            reading,
            points,
            alerts,
            topic: topic.label.to_string(),
            related: store.headlines_about(
                topic.words,
                now - RELATED_DAYS * 24 * 3600 * 1000,
                related,
            )?,
            related_days: RELATED_DAYS,
        })
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
            market_open: self.config.calendar.is_open(crate::time::now()),
            market_state: self.config.calendar.state(crate::time::now()),
            taken_at: to_wib(now),
        })
    }

    /// Drops what retention says is too old.
    pub fn prune(&self) -> Result<usize> {
        self.store().prune(now_ms(), self.config.retention)
    }
}
