//! What the app and the CLI show: readings with their freshness, the start-up snapshot, what a
//! bar refresh did.

use crate::market::{Freshness, MarketState};
use crate::model::RejectedReading;
use crate::sources::ReadingSource;
use crate::store::{SourceStatus, StoredHeadline};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One indicator as the UI shows it: the reading plus where and when it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadingView {
    /// The indicator, as the bar labels it.
    pub symbol: String,
    /// Its value.
    pub value: f64,
    /// Its change since the previous close.
    pub change: f64,
    /// That change in percent.
    pub change_pct: f64,
    /// When a source last showed this value (WIB).
    pub observed_at: DateTime<FixedOffset>,
    /// When this value first appeared (WIB).
    pub first_seen: DateTime<FixedOffset>,
    /// `kontan` or the fallback's name.
    pub source: ReadingSource,
    /// True when the value can no longer be trusted to be current.
    pub stale: bool,
    /// How current it is.
    pub freshness: Freshness,
}

/// What the app shows at start-up and after each update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Every indicator's latest reading.
    pub readings: Vec<ReadingView>,
    /// The newest headlines.
    pub headlines: Vec<StoredHeadline>,
    /// Every source's health.
    pub sources: Vec<SourceStatus>,
    /// Whether the exchange is trading.
    pub market_open: bool,
    /// What the exchange is doing (open, midday break, closed, a named holiday).
    pub market_state: MarketState,
    /// When the snapshot was taken (WIB).
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

/// The market strip: readings with their freshness, today's values per symbol (for the
/// sparklines), every source's health, and whether the exchange is trading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Market {
    /// Every indicator's latest reading.
    pub readings: Vec<ReadingView>,
    /// Today's values per symbol (since midnight WIB), oldest first.
    pub sparklines: BTreeMap<String, Vec<f64>>,
    /// Every source's health.
    pub sources: Vec<SourceStatus>,
    /// Whether the exchange is trading.
    pub market_open: bool,
    /// What the exchange is doing (open, midday break, closed, a named holiday).
    pub market_state: MarketState,
}

/// One point of an indicator's line today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// When the value was first seen (WIB).
    pub at: DateTime<FixedOffset>,
    /// The value.
    pub value: f64,
}

/// One indicator's own view: its latest reading, today's line, today's alerts about it and the
/// newest headlines about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorDetail {
    /// The indicator.
    pub symbol: String,
    /// Its latest reading, when there is one.
    pub reading: Option<ReadingView>,
    /// Today's values (since midnight WIB), oldest first.
    pub points: Vec<Point>,
    /// Today's alerts about it, newest first.
    pub alerts: Vec<crate::alerts::Alert>,
    /// What its news is about ("rupiah", "IHSG").
    pub topic: String,
    /// The newest headlines about it from the last `related_days` days, newest first.
    pub related: Vec<StoredHeadline>,
    /// How many days back `related` goes.
    pub related_days: i64,
}
