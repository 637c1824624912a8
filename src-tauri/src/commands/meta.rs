//! The facts the UI needs from Rust, in one answer, so none of them is written twice: event
//! names, which error kinds mean "kontan changed its layout", the source ids the status line
//! looks at, the channels on offer, the interval floors and the indicator symbols.

use crate::events::ENGINE_EVENT;
use crate::window::NAVIGATE_EVENT;
use pantau_engine::config::{FLOORS, KNOWN_CHANNELS};
use pantau_engine::engine::sources;
use pantau_engine::error::LAYOUT_CHANGE_KINDS;
use pantau_engine::parse::indicators::KNOWN_SYMBOLS;
use pantau_engine::sources::ReadingSource;
use serde::Serialize;

/// Event names the UI listens to.
#[derive(Debug, Serialize)]
pub struct EventNames {
    pub engine: &'static str,
    pub navigate: &'static str,
}

/// Source ids the UI reads statuses of.
#[derive(Debug, Serialize)]
pub struct SourceIds {
    /// Readings from kontan's own bar carry this source; any other is a stand-in.
    pub kontan_readings: &'static str,
    pub bar: &'static str,
    pub home: &'static str,
    pub fallback: &'static str,
}

/// The least interval the settings may ask for, in seconds.
#[derive(Debug, Serialize)]
pub struct Floors {
    pub bar_secs: f64,
    pub list_secs: f64,
}

/// Everything above, with the app's version.
#[derive(Debug, Serialize)]
pub struct Meta {
    pub version: &'static str,
    pub events: EventNames,
    pub layout_error_kinds: &'static [&'static str],
    pub sources: SourceIds,
    pub channels: &'static [&'static str],
    pub floors: Floors,
    pub symbols: &'static [&'static str],
}

/// The facts the UI would otherwise repeat.
pub fn meta_facts() -> Meta {
    Meta {
        version: env!("CARGO_PKG_VERSION"),
        events: EventNames {
            engine: ENGINE_EVENT,
            navigate: NAVIGATE_EVENT,
        },
        layout_error_kinds: LAYOUT_CHANGE_KINDS,
        sources: SourceIds {
            kontan_readings: ReadingSource::Kontan.as_str(),
            bar: sources::BAR,
            home: sources::HOME,
            fallback: sources::FALLBACK,
        },
        channels: KNOWN_CHANNELS,
        floors: Floors {
            bar_secs: FLOORS.bar.as_secs_f64(),
            list_secs: FLOORS.channels.as_secs_f64(),
        },
        symbols: KNOWN_SYMBOLS,
    }
}

/// The facts the UI needs from Rust (asked once at start).
#[tauri::command(async)]
pub fn meta() -> Meta {
    meta_facts()
}
