//! Settings: JSON values under keys, every key named here.

use super::Store;
use crate::error::Result;
use rusqlite::{params, OptionalExtension};

/// Every settings key, in one place.
pub mod keys {
    /// The alert rules (`AlertConfig` as JSON).
    pub const ALERTS: &str = "alerts";
    /// The alert engine's memory (`AlertState` as JSON).
    pub const ALERT_STATE: &str = "alert_state";
    /// This install's place in every refresh interval (a fraction from 0 to 1).
    pub const SCHEDULE_OFFSET: &str = "schedule_offset";
    /// Word alerts' memory (`NewsState` as JSON).
    pub const NEWS_ALERT_STATE: &str = "news_alert_state";
    /// The desktop app's own settings.
    pub const APP: &str = "app";
    /// What the update check remembers (`update::UpdateMemory` as JSON).
    pub const UPDATE: &str = "update";
    /// The popup's size as the user left it (logical pixels, as JSON `[width, height]`).
    pub const POPUP_SIZE: &str = "popup_size";
    /// Pantau has said its tray icon sits in the taskbar's hidden overflow (said once: `true`).
    pub const TASKBAR_TOLD: &str = "taskbar_told";
}

impl Store {
    /// A setting read as `T`; `None` when it is missing or cannot be read as `T` (logged).
    pub fn get_json<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        let raw = match self.setting(key) {
            Ok(raw) => raw?,
            Err(e) => {
                tracing::warn!("setting {key} cannot be read: {e}");
                return None;
            }
        };
        serde_json::from_str(&raw)
            .map_err(|e| tracing::warn!("setting {key} is not what Pantau expects: {e}"))
            .ok()
    }

    /// Stores `value` as JSON under `key`.
    pub fn set_json<T: serde::Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let json = serde_json::to_string(value)
            .map_err(|e| crate::error::Error::Cache(format!("setting {key}: {e}")))?;
        self.set_setting(key, &json)
    }

    /// A setting's stored JSON value.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Stores a setting's JSON value.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}
