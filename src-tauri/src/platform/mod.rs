//! What differs between desktops, in one place. Everything else in the app is the same code on
//! Linux, Windows and macOS.

#[cfg(target_os = "windows")]
mod windows;

use crate::settings::TrayDisplay;
use tauri::{App, AppHandle, Runtime};

/// Linux: AppIndicator hosts that show labels (GNOME's extension, Unity, some panels) get the
/// label, every other host (KDE, XFCE) the icon.
#[cfg(not(any(target_os = "windows", target_os = "macos")))]
pub const DEFAULT_TRAY_DISPLAY: TrayDisplay = TrayDisplay::Both;
/// Windows trays have no titles: the icon carries the ticker.
#[cfg(target_os = "windows")]
pub const DEFAULT_TRAY_DISPLAY: TrayDisplay = TrayDisplay::Icon;
/// The macOS menu bar shows the title beside the icon, in the system font.
#[cfg(target_os = "macos")]
pub const DEFAULT_TRAY_DISPLAY: TrayDisplay = TrayDisplay::Label;

/// Settles the app into its platform at start.
pub fn setup<R: Runtime>(app: &mut App<R>) {
    // A tray app has no Dock icon and no menu bar of its own on macOS.
    #[cfg(target_os = "macos")]
    app.set_activation_policy(tauri::ActivationPolicy::Accessory);
    #[cfg(not(target_os = "macos"))]
    let _ = app;
}

/// Whether the popup's webview can be created here; where it cannot (Windows without the
/// WebView2 Runtime), the user has been told what to install.
pub fn can_show_popup<R: Runtime>(app: &AppHandle<R>) -> bool {
    #[cfg(target_os = "windows")]
    return windows::can_show_popup(app);
    #[cfg(not(target_os = "windows"))]
    {
        let _ = app;
        true
    }
}
