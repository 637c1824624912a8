//! The user's settings, kept in the cache's settings table so they survive restarts.

use pantau_engine::alerts::config::Language;
use pantau_engine::config::{clamp_seconds, Intervals, DEFAULT_CHANNELS, FLOORS};
use pantau_engine::sources::channel_name;
use pantau_engine::store::{keys, Store};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Light, dark, or follow the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    /// Follow the desktop.
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

pub use crate::platform::TrayDisplay;

/// Everything the settings view edits except the alert rules (stored under their own key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppSettings {
    /// Indicators shown in the tray ticker, in order.
    pub watchlist: Vec<String>,
    /// The UI's language (and the alerts', the tray's).
    pub language: Language,
    /// Light, dark, or the desktop's.
    pub theme: Theme,
    /// Start hidden in the tray at login.
    pub start_at_login: bool,
    /// Show alerts as desktop notifications.
    pub notifications: bool,
    /// Seconds between bar refreshes (floor 30 against kontan).
    pub bar_interval_secs: f64,
    /// Seconds between channel refreshes (floor 60 against kontan).
    pub list_interval_secs: f64,
    /// Followed channels.
    pub channels: Vec<String>,
    /// Keep the popup's webview alive while hidden (quicker to open, heavier in the tray).
    pub keep_popup_ready: bool,
    /// Hide the popup when another window takes the focus (never while its own dialog is open).
    pub hide_on_blur: bool,
    /// Where the tray shows the ticker.
    pub tray_display: TrayDisplay,
    /// The global shortcut that shows or hides the popup ("Ctrl+Alt+P"); none by default.
    pub global_shortcut: Option<String>,
    /// Check once a day whether a newer Pantau is released (a build with an update address).
    pub check_updates: bool,
}

impl Default for AppSettings {
    fn default() -> Self {
        let defaults = Intervals::default();
        AppSettings {
            watchlist: ["USD/IDR", "IDX", "EMAS", "LQ45"]
                .map(String::from)
                .to_vec(),
            language: Language::Id,
            theme: Theme::System,
            start_at_login: false,
            notifications: true,
            bar_interval_secs: defaults.bar.as_secs_f64(),
            list_interval_secs: defaults.channels.as_secs_f64(),
            channels: DEFAULT_CHANNELS.iter().map(|c| c.to_string()).collect(),
            keep_popup_ready: false,
            hide_on_blur: true,
            tray_display: TrayDisplay::default(),
            global_shortcut: None,
            check_updates: true,
        }
    }
}

/// The indicator bar's interval the settings allow, in seconds: from the engine's floor to an hour.
pub const BAR_INTERVAL_SECS: [f64; 2] = [FLOORS.bar.as_secs_f64(), 3600.0];
/// The channels' interval the settings allow, in seconds: from the engine's floor to six hours.
pub const LIST_INTERVAL_SECS: [f64; 2] = [FLOORS.channels.as_secs_f64(), 6.0 * 3600.0];

impl AppSettings {
    /// Reads the stored settings (defaults where missing or unreadable), checked as a save
    /// checks them: a cache edited by hand or by another program gets no say over hosts.
    pub fn load(store: &Store) -> AppSettings {
        let stored: AppSettings = store.get_json(keys::APP).unwrap_or_default();
        for bad in stored.channels.iter().filter(|c| channel_name(c).is_err()) {
            log::warn!("stored settings: channel {bad:?} dropped (not a kontan channel name)");
        }
        stored.sanitized()
    }

    /// Stores the settings.
    pub fn save(&self, store: &Store) -> pantau_engine::Result<()> {
        store.set_json(keys::APP, self)
    }

    /// Cleans what the UI sent: known bounds, no empty names.
    pub fn sanitized(mut self) -> AppSettings {
        self.watchlist.retain(|s| !s.trim().is_empty());
        let mut seen = std::collections::HashSet::new();
        self.watchlist.retain(|s| seen.insert(s.clone()));
        self.global_shortcut = self
            .global_shortcut
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        self.channels = self
            .channels
            .into_iter()
            .filter_map(|c| channel_name(&c).ok())
            .collect();
        // The one place the settings' intervals are bounded: the same range the UI learns from
        // `meta` (the engine keeps its floors against kontan whatever it is given).
        let defaults = AppSettings::default();
        let [bar_min, bar_max] = BAR_INTERVAL_SECS;
        self.bar_interval_secs = clamp_seconds(
            self.bar_interval_secs,
            bar_min,
            bar_max,
            Duration::from_secs_f64(defaults.bar_interval_secs),
        )
        .as_secs_f64();
        let [list_min, list_max] = LIST_INTERVAL_SECS;
        self.list_interval_secs = clamp_seconds(
            self.list_interval_secs,
            list_min,
            list_max,
            Duration::from_secs_f64(defaults.list_interval_secs),
        )
        .as_secs_f64();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_channel_that_is_no_kontan_name_is_dropped_on_load() {
        let store = Store::open_in_memory().unwrap();
        let mut stored = serde_json::to_value(AppSettings::default()).unwrap();
        stored["channels"] = serde_json::json!(["keuangan", "evil.example/", "Investasi", "a.b"]);
        store.set_json(keys::APP, &stored).unwrap();
        assert_eq!(
            AppSettings::load(&store).channels,
            ["keuangan", "investasi"]
        );
    }
}
