//! What a platform with nothing special of its own does; each OS file takes from here what it
//! does not do differently (Linux takes nothing; an item no OS file takes is left out where it
//! would go unused).

use tauri::image::Image;
use tauri::tray::TrayIcon;
use tauri::Runtime;

/// The tray's icon needs no files of Pantau's own: tray-icon's `set_icon` shows it.
pub struct TrayIcons;

impl TrayIcons {
    /// Nothing to prepare.
    pub fn new() -> std::io::Result<TrayIcons> {
        Ok(TrayIcons)
    }

    /// tray-icon keeps its own files where it likes.
    pub fn temp_dir(&self) -> Option<&std::path::Path> {
        None
    }

    /// Not shown here: false, so the tray uses `set_icon`.
    pub fn show<R: Runtime>(
        &self,
        _tray: &TrayIcon<R>,
        _image: &Image<'_>,
    ) -> std::io::Result<bool> {
        Ok(false)
    }

    /// Nothing left on disk.
    pub fn remove_all(&self) {}
}

/// No font to measure the tray label in: `None`, and the tray pads by characters.
pub fn steady_labels(_texts: &[String]) -> Option<Vec<String>> {
    None
}

/// No main-loop timer of the platform's own: false, and the caller keeps its own time.
pub fn every_seconds(_seconds: u32, _tick: impl FnMut() -> bool + 'static) -> bool {
    false
}

/// Windows has no SIGTERM (the installer and a script ask with `pantau --quit`).
#[cfg(not(unix))]
pub fn on_terminate(_quit: impl FnOnce() + Send + 'static) {}

/// Nothing to settle.
#[cfg(not(target_os = "macos"))]
pub fn setup<R: Runtime>(_app: &mut tauri::App<R>) {}

/// The webview is part of the system: the popup can always open.
#[cfg(not(target_os = "windows"))]
pub fn can_show_popup(
    _language: pantau_engine::alerts::config::Language,
    _told: &std::sync::atomic::AtomicBool,
) -> bool {
    true
}

/// No installer's helper.
#[cfg(not(target_os = "windows"))]
pub fn installer_helper() -> Option<i32> {
    None
}

/// No resume or screen-lock signal is followed: the timers carry on as they are.
pub fn watch_sleep_and_lock(
    _resumed: impl Fn() + Send + 'static,
    _screen_locked: impl Fn(bool) + Send + 'static,
) {
}

/// The system always shows tray icons.
pub async fn tray_host_present() -> Option<bool> {
    Some(true)
}

/// Global shortcuts are the app's to take.
pub fn global_shortcut_refused() -> Option<&'static str> {
    None
}

/// Nothing to settle before threads start.
pub fn prepare_process() {}

/// The allocator hands memory back on its own.
pub fn return_freed_memory() {}

/// No helper process outlives the webview.
pub fn end_idle_webkit_helpers() -> usize {
    0
}

/// Not counted here.
pub fn thread_count() -> Option<usize> {
    None
}

/// Left to the system.
pub fn page_out_idle_files() -> usize {
    0
}

/// Who installs a newer Pantau: nobody but the user, where no route of its own is known.
#[cfg_attr(target_os = "windows", allow(dead_code))] // Windows has its own.
pub fn update_route() -> super::UpdateRoute {
    super::UpdateRoute::Source
}
