//! Settings: watchlist, alert rules, intervals, channels, language, theme, start at login.

use crate::error::Result;
use crate::settings::AppSettings;
use crate::state::AppState;
use pantau_engine::alerts::config::AlertConfig;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};

/// Both halves of the settings view.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SettingsView {
    /// The app's own settings.
    pub app: AppSettings,
    /// The alert rules.
    pub alerts: AlertConfig,
}

/// The settings in force.
#[tauri::command(async)]
pub fn get_settings(state: State<'_, AppState>) -> SettingsView {
    SettingsView {
        app: state.settings(),
        alerts: state.alert_config(),
    }
}

/// Stores new settings; restarts the refresh loop when what it fetches changed.
#[tauri::command(async)]
pub fn set_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: SettingsView,
) -> Result<SettingsView> {
    let new_app = settings.app.sanitized();
    let restart = state.apply_settings(new_app.clone(), settings.alerts)?;
    apply_autostart(&app, new_app.start_at_login);
    if restart {
        crate::events::start_loop(&app)?;
    }
    crate::events::refresh_tray(&app);
    Ok(SettingsView {
        app: state.settings(),
        alerts: state.alert_config(),
    })
}

#[cfg(desktop)]
fn apply_autostart<R: Runtime>(app: &AppHandle<R>, on: bool) {
    use tauri::Manager;
    // Absent when the plugin is not registered (tests on the mock runtime).
    let Some(launcher) = app.try_state::<tauri_plugin_autostart::AutoLaunchManager>() else {
        return;
    };
    let result = if on {
        launcher.enable()
    } else {
        launcher.disable()
    };
    if let Err(e) = result {
        log::warn!("start at login not changed: {e}");
    }
}

#[cfg(not(desktop))]
fn apply_autostart<R: Runtime>(_app: &AppHandle<R>, _on: bool) {}
