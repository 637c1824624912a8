//! What a platform with nothing special of its own does; each OS file takes from here what it
//! does not do differently (Linux takes nothing).

use pantau_engine::alerts::config::Language;
use std::sync::atomic::AtomicBool;
use tauri::{App, Runtime};

/// Nothing to settle.
pub fn setup<R: Runtime>(_app: &mut App<R>) {}

/// The webview is part of the system: the popup can always open.
pub fn can_show_popup(_language: Language, _told: &AtomicBool) -> bool {
    true
}

/// No installer's helper.
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
