//! Start at login through tauri-plugin-autostart: an autostart desktop file on Linux, a Launch
//! Agent on macOS.

use tauri::{AppHandle, Builder, Manager, Runtime};

/// The builder with the autostart plugin, which starts Pantau hidden (`--hidden`).
pub fn with_start_at_login<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder.plugin(tauri_plugin_autostart::init(
        tauri_plugin_autostart::MacosLauncher::LaunchAgent,
        Some(vec![crate::args::HIDDEN]),
    ))
}

/// Turns the entry on or off (Task Manager's switch, `chosen_now`, is Windows' alone); an absent
/// plugin (tests on the mock runtime) is said as an error.
pub fn set_start_at_login<R: Runtime>(
    app: &AppHandle<R>,
    on: bool,
    _chosen_now: bool,
) -> Result<(), String> {
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
