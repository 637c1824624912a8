//! What differs between desktops, in one place. Everything else in the app is the same code on
//! Linux, Windows and macOS.

use tauri::{App, Runtime};

/// Settles the app into its platform at start.
pub fn setup<R: Runtime>(app: &mut App<R>) {
    // A tray app has no Dock icon and no menu bar of its own on macOS.
    #[cfg(target_os = "macos")]
    app.set_activation_policy(tauri::ActivationPolicy::Accessory);
    #[cfg(not(target_os = "macos"))]
    let _ = app;
}
