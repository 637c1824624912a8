//! Alert rules and their numbers. Every number can be changed; USD/IDR is watched by default.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The language notifications are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Bahasa Indonesia (the default).
    #[default]
    Id,
    /// English.
    En,
}

/// `day_move`: the move since the previous close reaches a tier (step, 2×step, ...).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DayMove {
    /// The tier step in percent (0.5 → tiers 0.5%, 1.0%, 1.5%, ...).
    pub step_pct: f64,
}

/// `fast_move`: within a rolling window of our own readings, a move from the window's
/// opposite extreme of at least `threshold_pct`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FastMove {
    /// Minutes of our own readings the window looks back over.
    pub window_minutes: u32,
    /// The move, in percent, from the window's opposite extreme that fires.
    pub threshold_pct: f64,
}

/// The rules for one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SymbolRules {
    /// Tiers of the change since the previous close; `None` turns the rule off.
    pub day_move: Option<DayMove>,
    /// Fast moves within a rolling window; `None` turns the rule off.
    pub fast_move: Option<FastMove>,
    /// Price levels; each fires when crossed, then re-arms after a retreat of `rearm_pct`.
    pub levels: Vec<f64>,
    /// How far (percent) the value must go back past a level, on the side it came from, to re-arm it.
    pub rearm_pct: f64,
}

impl Default for SymbolRules {
    fn default() -> Self {
        SymbolRules {
            day_move: Some(DayMove { step_pct: 0.5 }),
            fast_move: Some(FastMove {
                window_minutes: 60,
                threshold_pct: 0.3,
            }),
            levels: Vec::new(),
            rearm_pct: 0.1,
        }
    }
}

/// All alert settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlertConfig {
    /// The language alerts are worded in.
    pub language: Language,
    /// Market alerts on or off.
    pub enabled: bool,
    /// Word alerts on or off.
    pub word_alerts: bool,
    /// The words and phrases a new headline is matched against ("BI Rate", "BBCA").
    pub words: Vec<String>,
    /// Rupiah (USD/IDR) alerts are shown even during quiet hours.
    pub rupiah_through_quiet: bool,
    /// At most one notification per indicator per this many minutes.
    pub min_gap_minutes: u32,
    /// Quiet hours in WIB (from, to); alerts wait in the inbox and are summed up after.
    pub quiet_hours: Option<(NaiveTime, NaiveTime)>,
    /// Rules per indicator (by the bar's label).
    pub symbols: BTreeMap<String, SymbolRules>,
}

impl Default for AlertConfig {
    fn default() -> Self {
        let mut symbols = BTreeMap::new();
        symbols.insert("USD/IDR".to_string(), SymbolRules::default());
        AlertConfig {
            language: Language::Id,
            enabled: true,
            word_alerts: true,
            words: Vec::new(),
            rupiah_through_quiet: false,
            min_gap_minutes: 5,
            quiet_hours: None,
            symbols,
        }
    }
}

impl AlertConfig {
    /// Adds a price level for a symbol, enabling default rules for it if needed.
    pub fn add_level(&mut self, symbol: &str, level: f64) {
        self.symbols
            .entry(symbol.to_string())
            .or_default()
            .levels
            .push(level);
    }
}
