//! What differs between desktops, in one place: one small API, implemented once for each OS
//! (`linux.rs`, `windows.rs`, `macos.rs`, and `other.rs` for any other target) and called by the
//! rest of the app without a `cfg`. Platform code reports through the callbacks it is given and
//! imports nothing of the app's above it. Everything else in the app is the same code everywhere.

#[cfg_attr(target_os = "linux", path = "linux.rs")]
#[cfg_attr(target_os = "windows", path = "windows.rs")]
#[cfg_attr(target_os = "macos", path = "macos.rs")]
#[cfg_attr(
    not(any(target_os = "linux", target_os = "windows", target_os = "macos")),
    path = "other.rs"
)]
mod os;

/// Start at login through tauri-plugin-autostart (Linux's autostart file, macOS's Launch Agent).
#[cfg(not(target_os = "windows"))]
mod autostart;
/// Linux: the tray label's width, measured in the panel's font.
#[cfg(target_os = "linux")]
mod linux_label_width;
/// Linux: the tray icon's files, in a folder of the user's alone.
#[cfg(target_os = "linux")]
mod linux_tray_icons;
/// What a platform with nothing special of its own does.
#[cfg(not(target_os = "linux"))]
mod plain;
/// What every Unix desktop shares (SIGTERM).
#[cfg(unix)]
mod unix;
/// Windows: closing the running Pantau for the installer.
#[cfg(target_os = "windows")]
mod windows_close;
/// Windows: the taskbar's tray (the size it shows icons at, Windows 11's overflow).
#[cfg(target_os = "windows")]
mod windows_taskbar;
/// Windows: text as Win32 takes it, paths as Windows compares them.
#[cfg(target_os = "windows")]
mod windows_text;

#[cfg(target_os = "windows")]
mod windows_update;

#[cfg(not(target_os = "windows"))]
mod no_installer;
/// Where no Windows taskbar holds the tray: nothing to size for, no overflow.
#[cfg(not(target_os = "windows"))]
mod no_taskbar;

pub use os::{
    configure_updater, end_idle_webkit_helpers, every_seconds, fetch_installer,
    global_shortcut_refused, install_update, installer_ready, on_display_change, on_terminate,
    page_out_idle_files, prepare_process, promote_tray_icon, return_freed_memory, steady_labels,
    thread_count, tray_icon_in_overflow, tray_icon_px, update_route, with_start_at_login,
    with_updater, TrayIcons, INSTALLER_KEY,
};

use pantau_engine::alerts::config::Language;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::{App, AppHandle, Manager, Runtime};

/// Who installs a newer Pantau here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateRoute {
    /// The system's package manager, from Pantau's repository (a .deb or .rpm of a release).
    System,
    /// Pantau's signed installer (Windows).
    Installer,
    /// Nobody: Pantau runs from its source code (or a build the system does not update).
    Source,
}

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

/// What reads best on this platform (`os::DEFAULT_TRAY_DISPLAY`).
pub const DEFAULT_TRAY_DISPLAY: TrayDisplay = os::DEFAULT_TRAY_DISPLAY;

/// Whether a left click on the tray icon opens the popup (Windows) rather than the menu.
pub const LEFT_CLICK_OPENS_POPUP: bool = os::LEFT_CLICK_OPENS_POPUP;

/// Settles the app into its platform at start.
pub fn setup<R: Runtime>(app: &mut App<R>) {
    os::setup(app);
}

/// Whether the popup's webview can be created here; where it cannot (Windows without the
/// WebView2 Runtime), the user has been told (once a run) in `language` what to install.
pub fn can_show_popup<R: Runtime>(app: &AppHandle<R>, language: Language) -> bool {
    app.try_state::<Desktop>()
        .is_none_or(|desktop| os::can_show_popup(language, &desktop.told_popup_cannot_open))
}

/// When this process is the installer's helper (`pantau.exe --close-installed DIR` on Windows),
/// does that job and gives the exit code; `None` for every ordinary start.
pub fn installer_helper() -> Option<i32> {
    os::installer_helper()
}

/// Writes (or removes) the start-at-login entry, as the user just chose in the settings: the
/// per-user Run value on Windows (clearing a "disabled" Task Manager left), a Launch Agent on
/// macOS, an autostart desktop file on Linux. Says in the log whether it changed.
pub fn apply_start_at_login<R: Runtime>(app: &AppHandle<R>, on: bool) {
    write_start_at_login(app, on, true);
}

/// At start, when the settings say "start at login", makes sure the entry is there and names
/// this program (a reinstall after an uninstall, which removes it, brings it back). A switch the
/// user turned off in Task Manager stays off.
pub fn keep_start_at_login<R: Runtime>(app: &AppHandle<R>, on: bool) {
    if on {
        write_start_at_login(app, true, false);
    }
}

fn write_start_at_login<R: Runtime>(app: &AppHandle<R>, on: bool, chosen_now: bool) {
    match os::set_start_at_login(app, on, chosen_now) {
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
    os::watch_sleep_and_lock(resumed, screen_locked);
}

/// What Pantau learned about this desktop while it runs; the app keeps one (`app.manage`).
#[derive(Default)]
pub struct Desktop {
    /// No panel on this desktop shows tray icons (GNOME Shell without the AppIndicator
    /// extension), as `find_tray_host` found.
    no_tray_host: AtomicBool,
    /// The user has been told what the popup needs (Windows without the WebView2 Runtime).
    told_popup_cannot_open: AtomicBool,
}

/// Looks, at start, whether this desktop shows tray icons (Windows and macOS always do). At login
/// the panel may come up after Pantau, so it looks three times over six seconds before it
/// decides there is none; then `without_tray` runs once.
pub fn find_tray_host<R: Runtime>(
    app: &AppHandle<R>,
    without_tray: impl FnOnce(&AppHandle<R>) + Send + 'static,
) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        for attempt in 0..3 {
            // Only a bus that says "no host" counts: a slow or failing one changes nothing.
            if os::tray_host_present().await != Some(false) {
                return;
            }
            if attempt < 2 {
                tokio::time::sleep(std::time::Duration::from_secs(3)).await;
            }
        }
        log::info!("no tray host on this desktop: the popup is a normal window");
        if let Some(desktop) = app.try_state::<Desktop>() {
            desktop.no_tray_host.store(true, Ordering::Relaxed);
        }
        without_tray(&app);
    });
}

/// True where nobody would see a tray icon: the popup is then a normal window with a taskbar
/// entry, which closing minimises.
pub fn no_tray_host<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.try_state::<Desktop>()
        .is_some_and(|desktop| desktop.no_tray_host.load(Ordering::Relaxed))
}
