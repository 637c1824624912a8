//! What the refresh loop reports, as typed events (the app forwards them; the CLI prints them).

use crate::alerts::Alert;
use crate::engine::{ReadingView, Snapshot};
use crate::model::RejectedReading;
use crate::store::StoredHeadline;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// What the loop reports.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The cache as it stood at start, before any network.
    Cached {
        /// Everything the cache held.
        snapshot: Snapshot,
    },
    /// New indicator values (or a confirmation that they still hold).
    IndicatorsUpdated {
        /// Every reading, with its freshness.
        readings: Vec<ReadingView>,
        /// The symbols whose value changed.
        changed: Vec<String>,
        /// Readings the checks refused, with the reason.
        rejected: Vec<RejectedReading>,
    },
    /// A headline source brought news.
    HeadlinesUpdated {
        /// The source that brought them.
        source: String,
        /// How many headlines were new.
        new: usize,
        /// The new headlines, newest first.
        headlines: Vec<StoredHeadline>,
    },
    /// Articles were fetched ahead for offline reading.
    ArticlesPrefetched {
        /// How many articles were fetched.
        count: usize,
    },
    /// A source's health changed or was re-confirmed.
    SourceStatus(SourceStatusEvent),
    /// An alert fired (shown as a notification when `shown`, always kept in the inbox).
    Alert {
        /// The alert, as the inbox keeps it.
        alert: Alert,
    },
}

/// A source's health, as the status line shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceStatusEvent {
    /// The source's name (`kontan:bar`, `kontan:channel:keuangan`, ...).
    pub source: String,
    /// Whether its last try worked.
    pub state: SourceState,
    /// When it last worked (WIB).
    pub last_ok: Option<DateTime<FixedOffset>>,
    /// Since when the data from this source has not been refreshed (on error).
    pub stale_since: Option<DateTime<FixedOffset>>,
    /// The error's stable kind, on error.
    pub error_kind: Option<String>,
    /// The error in words, on error.
    pub message: Option<String>,
    /// When it will be tried again (WIB), on error.
    pub next_retry: Option<DateTime<FixedOffset>>,
}

/// Whether a source's last try worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceState {
    /// The last try worked.
    Ok,
    /// The last try failed; the data from it is as old as `last_ok`.
    Error,
}
