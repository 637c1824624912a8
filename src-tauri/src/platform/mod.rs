//! What differs between desktops, in one place. Everything else in the app is the same code on
//! Linux, Windows and macOS.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "windows")]
mod windows;
#[cfg(target_os = "windows")]
mod windows_close;

#[cfg(target_os = "windows")]
pub use windows_close::close_installed;

use pantau_engine::alerts::config::Language;
use serde::{Deserialize, Serialize};
use tauri::{App, Runtime};

/// Where the tray shows the ticker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrayDisplay {
    /// In the tray item's label (Linux AppIndicator hosts that show labels, macOS menu bar).
    Label,
    /// Drawn into the icon (every desktop).
    Icon,
    /// Both.
    Both,
}

impl TrayDisplay {
    /// Whether the label carries the ticker.
    pub fn shows_label(self) -> bool {
        matches!(self, TrayDisplay::Label | TrayDisplay::Both)
    }

    /// Whether the icon carries the ticker.
    pub fn shows_icon(self) -> bool {
        matches!(self, TrayDisplay::Icon | TrayDisplay::Both)
    }
}

impl Default for TrayDisplay {
    /// What reads best on this platform.
    fn default() -> Self {
        DEFAULT_TRAY_DISPLAY
    }
}

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

/// Windows: a left click on the tray icon opens the popup and a right click the menu, as
/// Windows tray apps do. Elsewhere the menu opens on any click (AppIndicator hosts send no
/// clicks; the macOS menu bar shows menus).
pub const LEFT_CLICK_OPENS_POPUP: bool = cfg!(target_os = "windows");

/// Settles the app into its platform at start.
pub fn setup<R: Runtime>(app: &mut App<R>) {
    // A tray app has no Dock icon and no menu bar of its own on macOS.
    #[cfg(target_os = "macos")]
    app.set_activation_policy(tauri::ActivationPolicy::Accessory);
    #[cfg(not(target_os = "macos"))]
    let _ = app;
}

/// Whether the popup's webview can be created here; where it cannot (Windows without the
/// WebView2 Runtime), the user has been told in `language` what to install.
pub fn can_show_popup(language: Language) -> bool {
    #[cfg(target_os = "windows")]
    return windows::can_show_popup(language);
    #[cfg(not(target_os = "windows"))]
    {
        let _ = language;
        true
    }
}

/// Writes (or removes) the start-at-login entry, as the user just chose in the settings: the
/// per-user Run value on Windows (clearing a "disabled" Task Manager left), a Launch Agent on
/// macOS, an autostart desktop file on Linux. Says in the log whether it changed.
pub fn apply_start_at_login<R: Runtime>(app: &tauri::AppHandle<R>, on: bool) {
    write_start_at_login(app, on, true);
}

/// At start, when the settings say "start at login", makes sure the entry is there and names
/// this program (a reinstall after an uninstall, which removes it, brings it back). A switch the
/// user turned off in Task Manager stays off.
pub fn keep_start_at_login<R: Runtime>(app: &tauri::AppHandle<R>, on: bool) {
    if on {
        write_start_at_login(app, true, false);
    }
}

fn write_start_at_login<R: Runtime>(app: &tauri::AppHandle<R>, on: bool, chosen_now: bool) {
    #[cfg(target_os = "windows")]
    let result = {
        let _ = app;
        windows::set_start_at_login(on, chosen_now).map_err(|e| e.to_string())
    };
    #[cfg(not(target_os = "windows"))]
    let result = {
        use tauri::Manager;
        let _ = chosen_now;
        // Absent when the plugin is not registered (tests on the mock runtime).
        let Some(launcher) = app.try_state::<tauri_plugin_autostart::AutoLaunchManager>() else {
            log::info!("start at login not changed: no autostart plugin");
            return;
        };
        if on {
            launcher.enable()
        } else {
            launcher.disable()
        }
        .map_err(|e| e.to_string())
    };
    match result {
        Ok(()) => log::info!("start at login {}", if on { "on" } else { "off" }),
        Err(e) => log::warn!("start at login not changed: {e}"),
    }
}

/// Follows the machine's sleep and the screen lock where the desktop says them (Linux: logind and
/// the session's screen saver): `resumed` runs after each wake-up, `screen_locked` with each lock
/// (`true`) and unlock. Elsewhere the timers carry on as they are.
pub fn watch_sleep_and_lock(
    resumed: impl Fn() + Send + 'static,
    screen_locked: impl Fn(bool) + Send + 'static,
) {
    #[cfg(target_os = "linux")]
    linux::watch_sleep_and_lock(resumed, screen_locked);
    #[cfg(not(target_os = "linux"))]
    let _ = (resumed, screen_locked);
}

/// No panel on this desktop shows tray icons (GNOME Shell without the AppIndicator extension).
static NO_TRAY_HOST: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Looks, at start, whether this desktop shows tray icons (Windows and macOS always do). At login
/// the panel may come up after Pantau, so it looks three times over six seconds before it
/// decides there is none; then `without_tray` runs once.
pub fn find_tray_host<R: Runtime>(
    app: &tauri::AppHandle<R>,
    without_tray: impl FnOnce(&tauri::AppHandle<R>) + Send + 'static,
) {
    #[cfg(target_os = "linux")]
    {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            for attempt in 0..3 {
                // Only a bus that says "no host" counts: a slow or failing one changes nothing.
                if linux::tray_host_present().await != Some(false) {
                    return;
                }
                if attempt < 2 {
                    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
                }
            }
            log::info!("no tray host on this desktop: the popup is a normal window");
            NO_TRAY_HOST.store(true, std::sync::atomic::Ordering::Relaxed);
            without_tray(&app);
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (app, without_tray);
}

/// True where nobody would see a tray icon: the popup is then a normal window with a taskbar
/// entry, which closing minimises.
pub fn no_tray_host() -> bool {
    NO_TRAY_HOST.load(std::sync::atomic::Ordering::Relaxed)
}
