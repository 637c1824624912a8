//! Pantau's engine: reads kontan.co.id into typed, checked data, keeps it in an
//! offline-first cache and refreshes it politely.
//!
//! No GUI dependency lives here; the desktop app and `pantau-cli` are thin shells over it.

pub mod alerts;
pub mod config;
pub mod engine;
pub mod error;
pub mod fallback;
pub mod fetch;
pub mod market;
pub mod model;
pub mod notify;
pub mod origin;
pub mod parse;
pub mod policy;
pub mod refresh;
pub mod sources;
pub mod store;
pub mod time;
pub mod view;

pub use config::EngineConfig;
pub use engine::{Engine, Patience, ReadingView, Snapshot};
pub use error::{Error, Result};
pub use model::{Article, Headline, Indicator, IndicatorBar, RejectedReading, RelatedLink};
pub use origin::Origin;
