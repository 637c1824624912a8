//! The facts the UI needs from Rust, in one answer, so none of them is written twice: event
//! names, which error kinds mean "kontan changed its layout", the source ids the status line
//! looks at, the channels on offer, the intervals the settings allow, the alert rules a new
//! indicator starts with, when an age is said in hours or days, how many decimals a change gets,
//! and the indicator symbols.

use crate::events::ENGINE_EVENT;
use crate::i18n::{AGE_DAYS_FROM_HOURS, AGE_HOURS_FROM_MINUTES};
use crate::settings::{BAR_INTERVAL_SECS, LIST_INTERVAL_SECS};
use crate::window::{NAVIGATE_EVENT, SHOWN_EVENT};
use pantau_engine::alerts::config::SymbolRules;
use pantau_engine::alerts::Rule;
use pantau_engine::config::KNOWN_CHANNELS;
use pantau_engine::engine::sources;
use pantau_engine::error::LAYOUT_CHANGE_KINDS;
use pantau_engine::parse::indicators::KNOWN_SYMBOLS;
use pantau_engine::parse::number::WHOLE_CHANGE_FROM;
use pantau_engine::sources::ReadingSource;
use serde::Serialize;

/// Event names the UI listens to.
#[derive(Debug, Serialize)]
pub struct EventNames {
    /// Every engine event, tagged by `event`.
    pub engine: &'static str,
    /// A view the popup should show.
    pub navigate: &'static str,
    /// The popup was shown again (it was only hidden).
    pub shown: &'static str,
    /// The update status changed (a check began or ended, a newer release is known).
    pub update: &'static str,
    /// Where the tray icon is changed (Windows 11's overflow).
    pub taskbar: &'static str,
}

/// Source ids the UI reads statuses of.
#[derive(Debug, Serialize)]
pub struct SourceIds {
    /// Readings from kontan's own bar carry this source; any other is a stand-in.
    pub kontan_readings: &'static str,
    /// The indicator bar's status.
    pub bar: &'static str,
    /// The homepage rails' status.
    pub home: &'static str,
    /// The fallback quotes' status (and their reading source).
    pub fallback: &'static str,
}

/// The intervals the settings may ask for, in seconds, as `[least, most]`.
#[derive(Debug, Serialize)]
pub struct IntervalRanges {
    /// For the indicator bar.
    pub bar_secs: [f64; 2],
    /// For channels and feeds.
    pub list_secs: [f64; 2],
}

/// When an age ("5 mnt lalu") is said in larger units.
#[derive(Debug, Serialize)]
pub struct Ages {
    /// From this many minutes, in hours.
    pub hours_from_minutes: i64,
    /// From this many hours, in days.
    pub days_from_hours: i64,
}

/// How numbers are shown.
#[derive(Debug, Serialize)]
pub struct Numbers {
    /// A whole change this large or larger is shown without decimals.
    pub whole_change_from: f64,
}

/// What the About section says.
#[derive(Debug, Serialize)]
pub struct About {
    /// The app's version (the workspace's, the one place it is written).
    pub version: &'static str,
    /// The license.
    pub license: &'static str,
    /// Where indicators, headlines and articles come from.
    pub kontan: &'static str,
    /// Where stand-in quotes come from while kontan's bar fails.
    pub fallback: &'static str,
}

/// The rule names of word alerts.
#[derive(Debug, Serialize)]
pub struct WordRules {
    /// One story.
    pub word: &'static str,
    /// A summary of several (its click opens the inbox's news).
    pub summary: &'static str,
}

/// Everything above, with the app's version.
#[derive(Debug, Serialize)]
pub struct Meta {
    /// The app's version.
    pub version: &'static str,
    /// The About section.
    pub about: About,
    /// Event names.
    pub events: EventNames,
    /// Error kinds that mean "kontan changed its layout".
    pub layout_error_kinds: &'static [&'static str],
    /// Source ids.
    pub sources: SourceIds,
    /// The rules of word alerts (a story, a summary of several), as alerts name them.
    pub word_rules: WordRules,
    /// Channels the settings offer.
    pub channels: &'static [&'static str],
    /// The intervals the settings allow.
    pub intervals: IntervalRanges,
    /// The alert rules an indicator starts with when the user turns its alerts on.
    pub default_rules: SymbolRules,
    /// When ages are said in hours or days.
    pub ages: Ages,
    /// How numbers are shown.
    pub numbers: Numbers,
    /// The indicator symbols, in the bar's order.
    pub symbols: &'static [&'static str],
    /// The phrase tables `{en, id}` (ui/strings.json), shared with the tray.
    pub strings: &'static serde_json::Value,
}

/// The facts the UI would otherwise repeat.
pub fn meta_facts() -> Meta {
    Meta {
        version: env!("CARGO_PKG_VERSION"),
        about: About {
            version: env!("CARGO_PKG_VERSION"),
            license: env!("CARGO_PKG_LICENSE"),
            kontan: "kontan.co.id",
            fallback: pantau_engine::fallback_source_name(),
        },
        events: EventNames {
            engine: ENGINE_EVENT,
            navigate: NAVIGATE_EVENT,
            shown: SHOWN_EVENT,
            update: crate::updates::UPDATE_EVENT,
            taskbar: crate::taskbar::TASKBAR_EVENT,
        },
        layout_error_kinds: LAYOUT_CHANGE_KINDS,
        word_rules: WordRules {
            word: Rule::Word.as_str(),
            summary: Rule::WordSummary.as_str(),
        },
        sources: SourceIds {
            kontan_readings: ReadingSource::Kontan.as_str(),
            bar: sources::BAR,
            home: sources::HOME,
            fallback: sources::FALLBACK,
        },
        channels: KNOWN_CHANNELS,
        intervals: IntervalRanges {
            bar_secs: BAR_INTERVAL_SECS,
            list_secs: LIST_INTERVAL_SECS,
        },
        default_rules: SymbolRules::default(),
        ages: Ages {
            hours_from_minutes: AGE_HOURS_FROM_MINUTES,
            days_from_hours: AGE_DAYS_FROM_HOURS,
        },
        numbers: Numbers {
            whole_change_from: WHOLE_CHANGE_FROM,
        },
        symbols: KNOWN_SYMBOLS,
        strings: crate::i18n::tables(),
    }
}

/// The facts the UI needs from Rust (asked once at start).
#[tauri::command(async)]
pub fn meta() -> Meta {
    meta_facts()
}

/// The longest UI error message logged.
const UI_ERROR_MAX_CHARS: usize = 2000;

/// An error the page did not handle, written to the app's log (a bug report finds it there).
#[tauri::command]
pub fn ui_error(message: String) {
    let message: String = message.chars().take(UI_ERROR_MAX_CHARS).collect();
    log::error!(target: "pantau::ui", "{message}");
}
