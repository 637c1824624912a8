//! Pantau's engine: reads kontan.co.id into typed, checked data.
//!
//! No GUI dependency lives here; the desktop app and `pantau-cli` are thin shells over it.

pub mod error;
pub mod model;
pub mod parse;

pub use error::{Error, Result};
pub use model::{Article, Headline, Indicator, IndicatorBar, RejectedReading, RelatedLink};
