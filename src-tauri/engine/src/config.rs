//! What the engine fetches, how often, and how long it keeps things.

use crate::fetch::FetchConfig;
use crate::market::MarketCalendar;
use crate::origin::Origin;
use crate::store::Retention;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// Refresh intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Intervals {
    /// The www homepage: indicator bar plus TERBARU/Terpopuler.
    #[serde(with = "secs")]
    pub bar: Duration,
    /// Each followed channel page.
    #[serde(with = "secs")]
    pub channels: Duration,
    /// RSS feeds.
    #[serde(with = "secs")]
    pub feeds: Duration,
    /// Prefetching the newest unread articles.
    #[serde(with = "secs")]
    pub prefetch: Duration,
}

impl Default for Intervals {
    fn default() -> Self {
        Intervals {
            bar: Duration::from_secs(60),
            channels: Duration::from_secs(300),
            feeds: Duration::from_secs(900),
            prefetch: Duration::from_secs(300),
        }
    }
}

/// The fastest any setting may make us talk to kontan.
pub const FLOORS: Intervals = Intervals {
    bar: Duration::from_secs(30),
    channels: Duration::from_secs(60),
    feeds: Duration::from_secs(60),
    prefetch: Duration::from_secs(60),
};

/// `PANTAU_TIME_SCALE` (1 to 1000; 1 when unset or not a number).
fn time_scale() -> f64 {
    static SCALE: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *SCALE.get_or_init(|| {
        std::env::var("PANTAU_TIME_SCALE")
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|s| (1.0..=1000.0).contains(s))
            .unwrap_or(1.0)
    })
}

/// While the market is closed every interval is this many times longer.
pub const CLOSED_MARKET_SLOWDOWN: u32 = 5;

impl Intervals {
    /// The intervals with the floors applied (only when talking to the real site). Against a
    /// local origin, `PANTAU_TIME_SCALE=N` runs them N times faster (./scripts/measure-load
    /// lives an hour in minutes that way).
    pub fn with_floors(self, live: bool) -> Intervals {
        if !live {
            let scale = time_scale();
            return Intervals {
                bar: self.bar.div_f64(scale),
                channels: self.channels.div_f64(scale),
                feeds: self.feeds.div_f64(scale),
                prefetch: self.prefetch.div_f64(scale),
            };
        }
        Intervals {
            bar: self.bar.max(FLOORS.bar),
            channels: self.channels.max(FLOORS.channels),
            feeds: self.feeds.max(FLOORS.feeds),
            prefetch: self.prefetch.max(FLOORS.prefetch),
        }
    }
}

/// The channels followed out of the box.
pub const DEFAULT_CHANNELS: &[&str] = &[
    "keuangan",
    "investasi",
    "nasional",
    "internasional",
    "industri",
];

/// Channels the settings offer (any other kontan subdomain can be followed too).
pub const KNOWN_CHANNELS: &[&str] = &[
    "keuangan",
    "investasi",
    "nasional",
    "internasional",
    "industri",
    "peluangusaha",
    "personalfinance",
    "english",
];

/// Everything the engine needs to run.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// The cache file.
    pub db_path: PathBuf,
    /// Where kontan requests go.
    pub origin: Origin,
    /// Timeouts and the body cap.
    pub fetch: FetchConfig,
    /// How often each source is refreshed.
    pub intervals: Intervals,
    /// Followed channels (subdomains of kontan.co.id).
    pub channels: Vec<String>,
    /// Channels whose RSS feed is read as a second headline source.
    pub feeds: Vec<String>,
    /// How many of the newest unread articles to keep ready for offline reading.
    pub prefetch_count: usize,
    /// Consecutive bar failures before the fallback source is asked.
    pub fallback_after: u32,
    /// When the exchange trades.
    pub calendar: MarketCalendar,
    /// How long the cache keeps things.
    pub retention: Retention,
}

impl EngineConfig {
    /// Defaults for a cache at `db_path`.
    pub fn new(db_path: PathBuf, origin: Origin) -> EngineConfig {
        EngineConfig {
            db_path,
            origin,
            fetch: FetchConfig::from_env().unwrap_or_else(|e| {
                tracing::warn!("{e}; using the default timeout");
                FetchConfig::default()
            }),
            intervals: Intervals::default(),
            channels: DEFAULT_CHANNELS.iter().map(|c| c.to_string()).collect(),
            feeds: vec!["investasi".to_string()],
            prefetch_count: 5,
            fallback_after: 3,
            calendar: MarketCalendar::from_env(),
            retention: Retention::default(),
        }
    }

    /// The channels read through their RSS feeds: every followed channel, then any other feed.
    pub fn feed_channels(&self) -> Vec<String> {
        let mut feeds = self.channels.clone();
        feeds.extend(
            self.feeds
                .iter()
                .filter(|f| !self.channels.contains(f))
                .cloned(),
        );
        feeds
    }

    /// Scheduled requests to kontan per hour at these settings with the popup closed (the
    /// homepage for the bar, each followed channel's feed), while the market is open and while
    /// closed. Articles fetched ahead for saved or alerted stories come on top, a few a day.
    pub fn requests_per_hour(&self) -> (f64, f64) {
        let i = self.intervals.with_floors(self.origin.is_live());
        let per_hour = |d: Duration| 3600.0 / d.as_secs_f64();
        let open = per_hour(i.bar) + self.feed_channels().len() as f64 * per_hour(i.feeds);
        (open, open / f64::from(CLOSED_MARKET_SLOWDOWN))
    }

    /// The shortest wait after an error on a source: its interval floor against the real site.
    pub fn error_floor(&self) -> Duration {
        if self.origin.is_live() {
            FLOORS.bar
        } else {
            Duration::ZERO
        }
    }
}

pub use crate::time::{clamp_seconds, parse_seconds, seconds_in_range, MAX_INTERVAL_SECS};

mod secs {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let v = f64::deserialize(d)?;
        Ok(crate::time::clamp_seconds(
            v,
            0.0,
            crate::time::MAX_INTERVAL_SECS,
            Duration::from_secs(60),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_from_people_are_checked_and_stored_ones_clamped() {
        for bad in ["inf", "-1", "NaN", "1e300", "abc", ""] {
            let e = parse_seconds(bad, "--bar-interval", 1.0, MAX_INTERVAL_SECS).unwrap_err();
            assert!(e.to_string().contains("--bar-interval"), "{e}");
        }
        assert_eq!(
            parse_seconds("30", "x", 1.0, 60.0).unwrap(),
            Duration::from_secs(30)
        );
        let d = Duration::from_secs(60);
        assert_eq!(clamp_seconds(f64::INFINITY, 30.0, 600.0, d), d);
        assert_eq!(clamp_seconds(f64::NAN, 30.0, 600.0, d), d);
        assert_eq!(clamp_seconds(-5.0, 30.0, 600.0, d), Duration::from_secs(30));
        assert_eq!(
            clamp_seconds(1e300, 30.0, 600.0, d),
            Duration::from_secs(600)
        );
        let parsed: Intervals =
            serde_json::from_str(r#"{"bar":1e308,"channels":-1,"feeds":60,"prefetch":60}"#)
                .unwrap();
        assert_eq!(parsed.bar, Duration::from_secs(86_400));
        assert_eq!(parsed.channels, Duration::ZERO);
    }
}
