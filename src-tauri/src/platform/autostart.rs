//! Start at login through tauri-plugin-autostart: an autostart desktop file on Linux, a Launch
//! Agent on macOS.

use tauri::{AppHandle, Manager, Runtime};

/// Turns the entry on or off; absent plugin (tests on the mock runtime) is said as an error.
pub fn set<R: Runtime>(app: &AppHandle<R>, on: bool) -> Result<(), String> {
    let Some(launcher) = app.try_state::<tauri_plugin_autostart::AutoLaunchManager>() else {
        return Err("no autostart plugin".into());
    };
    if on {
        launcher.enable()
    } else {
        launcher.disable()
    }
    .map_err(|e| e.to_string())
}
