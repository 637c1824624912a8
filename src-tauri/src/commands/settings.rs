//! Settings: watchlist, alert rules, intervals, channels, language, theme, start at login.

use crate::error::{Error, Result};
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
    /// Whether this desktop allows a global shortcut (only sent, never read back).
    #[cfg(desktop)]
    #[serde(default, skip_deserializing)]
    pub shortcut: Option<crate::shortcut::Support>,
    /// Whether a panel on this desktop shows tray icons (only sent, never read back).
    #[serde(default = "yes", skip_deserializing)]
    pub tray_host: bool,
}

fn yes() -> bool {
    true
}

impl SettingsView {
    fn of<R: Runtime>(app: &AppHandle<R>, state: &AppState) -> SettingsView {
        SettingsView {
            app: state.settings(),
            alerts: state.alert_config(),
            #[cfg(desktop)]
            shortcut: Some(crate::shortcut::support()),
            tray_host: !crate::platform::no_tray_host(app),
        }
    }
}

/// Refuses alert rules no one could mean (the UI says the same next to each field first).
fn check_rules(alerts: &AlertConfig) -> Result<()> {
    let invalid = |field: &str, symbol: &str, reason: &str| Error::InvalidSetting {
        field: field.to_string(),
        reason: format!("{symbol}: {reason}"),
    };
    for (symbol, rules) in &alerts.symbols {
        if let Some(day) = rules.day_move {
            if !(day.step_pct.is_finite() && day.step_pct > 0.0) {
                return Err(invalid("day_step", symbol, "the step must be above 0 %"));
            }
        }
        if let Some(fast) = rules.fast_move {
            if !(fast.threshold_pct.is_finite() && fast.threshold_pct > 0.0) {
                return Err(invalid(
                    "fast_threshold",
                    symbol,
                    "the move must be above 0 %",
                ));
            }
            if fast.window_minutes == 0 {
                return Err(invalid(
                    "fast_window",
                    symbol,
                    "the window must be at least a minute",
                ));
            }
        }
        if rules.levels.iter().any(|l| !(l.is_finite() && *l > 0.0)) {
            return Err(invalid("levels", symbol, "levels must be prices above 0"));
        }
    }
    Ok(())
}

/// The settings in force.
#[tauri::command(async)]
pub fn get_settings<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> SettingsView {
    SettingsView::of(&app, &state)
}

/// Stores new settings; restarts the refresh loop when what it fetches changed.
#[tauri::command(async)]
pub fn set_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: SettingsView,
) -> Result<SettingsView> {
    let new_app = settings.app.sanitized();
    let mut alerts = settings.alerts;
    check_rules(&alerts)?;
    // Words as matching reads them: tidied, each once, no control characters, a bounded list.
    alerts.words = pantau_engine::alerts::words::add_words(&[], &alerts.words);
    alerts.quiet_hours = alerts.quiet_hours.filter(|(from, to)| from != to);
    // The shortcut first: one the desktop refuses is said next to its field, nothing is saved.
    #[cfg(desktop)]
    if new_app.global_shortcut != state.settings().global_shortcut {
        crate::shortcut::apply(&app, new_app.global_shortcut.as_deref())?;
    }
    let restart = state.apply_settings(new_app.clone(), alerts)?;
    crate::platform::apply_start_at_login(&app, new_app.start_at_login);
    if restart {
        crate::events::start_loop(&app)?;
    }
    crate::tray::request_update(&app);
    Ok(SettingsView::of(&app, &state))
}
