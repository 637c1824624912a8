//! Where Pantau does not install itself (Linux: the system's package manager does; macOS and the
//! rest: no release is made): no updater plugin, no installer to fetch or run.

use tauri::{AppHandle, Runtime};

/// No installer of this platform's is in a release's `latest.json`.
pub const INSTALLER_KEY: &str = "none";

/// Nothing to configure.
pub fn configure_updater<R: Runtime>(_context: &mut tauri::Context<R>, _url: &str, _pubkey: &str) {}

/// No updater plugin.
pub fn with_updater<R: Runtime>(builder: tauri::Builder<R>, _has_key: bool) -> tauri::Builder<R> {
    builder
}

/// No installer here.
pub async fn fetch_installer<R: Runtime>(
    _app: &AppHandle<R>,
    _release: serde_json::Value,
    _version: &str,
    _url: &str,
) -> Result<(), String> {
    Err("Pantau does not install itself here".into())
}

/// Never: there is no installer here.
pub fn installer_ready<R: Runtime>(_app: &AppHandle<R>, _version: &str) -> bool {
    false
}

/// Never: the system (or the user) installs Pantau here.
pub fn install_update<R: Runtime>(
    _app: &AppHandle<R>,
    _release: serde_json::Value,
    _version: &str,
    _before_exit: impl Fn() + Send + Sync + 'static,
) -> Result<(), String> {
    Err("Pantau does not install itself here: the system's updates do".into())
}
