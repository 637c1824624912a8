//! Asleep and awake: what Pantau does when the machine resumes (everything refreshed at once,
//! the timers stood still) and when the screen locks or unlocks (the tray's ticker stops turning
//! while nobody sees it). The platform says when (`platform::watch_sleep_and_lock`).

use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime};

/// The machine woke from sleep: the timers stood still, so everything is refreshed now.
pub fn resumed<R: Runtime>(app: &AppHandle<R>) {
    log::info!("resumed from sleep: refreshing now");
    if let Some(state) = app.try_state::<AppState>() {
        if !state.refresh_now() {
            log::info!("a refresh round ran moments ago");
        }
    }
    crate::tray::request_update(app);
}

/// The screen locked (`true`) or unlocked: the ticker stops turning while locked and turns again
/// after; only the scheduled refreshes run meanwhile.
pub fn screen_locked<R: Runtime>(app: &AppHandle<R>, locked: bool) {
    if crate::tray::set_screen_locked(app, locked) {
        log::info!("screen {}", if locked { "locked" } else { "unlocked" });
    }
}
