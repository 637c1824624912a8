//! Pantau's engine: reads kontan.co.id into typed, checked data, keeps it in an
//! offline-first cache and refreshes it politely.
//!
//! No GUI dependency lives here; the desktop app and `pantau-cli` are thin shells over it.
//!
//! The HTTP client, the fallback source and the engine's decisions are internal; what a shell
//! needs is re-exported here (and in the public modules below).

#![deny(clippy::unwrap_used)]

pub mod alerts;
pub mod config;
pub mod engine;
pub mod error;
mod fallback;
mod fetch;
pub mod market;
pub mod model;
pub mod notify;
pub mod origin;
pub mod parse;
mod policy;
pub mod refresh;
pub mod schedule;
pub mod sources;
pub mod store;
pub mod sync;
pub mod time;
pub mod topics;
pub mod update;
pub mod view;

/// The app's identifier (the bundle identifier in `tauri.conf.json`; Windows' app user model id).
pub const APP_ID: &str = "id.pantau.app";

/// Who the stand-in quotes for USD/IDR and the IDX composite come from while kontan's bar fails.
pub fn fallback_source_name() -> &'static str {
    fallback::SOURCE_NAME
}

pub use config::EngineConfig;
pub use engine::{Engine, Patience};
pub use error::{Error, Result};
pub use fetch::{user_agent, FetchConfig};
pub use model::{Article, Headline, Indicator, IndicatorBar, RejectedReading, RelatedLink};
pub use origin::Origin;
pub use refresh::{Event, RefreshHandle};
pub use sources::{ReadingSource, Source};
pub use store::{Recovery, Store};
pub use time::Millis;
pub use view::{BarOutcome, Market, ReadingView, Snapshot};
