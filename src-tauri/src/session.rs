//! How the app ends: "Keluar" in the tray, `pantau --quit`, or SIGTERM when the session ends;
//! every way the refresh loop finishes the write in flight and the cache's log is written back
//! before the process exits (the tray tidies its files at exit: `tray::tidy_up`).

use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime};

/// Stops the refresh loop, then exits with status 0.
pub fn quit<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Some(state) = app.try_state::<AppState>() {
            // The write in flight finishes, then every write goes into the cache's main file.
            state.stop_refresh().await;
            match state.engine().store().checkpoint() {
                Ok(()) => log::info!("quit: every write is in the cache's main file"),
                Err(e) => log::warn!("quit: the cache's log could not be written back: {e}"),
            }
        }
        app.exit(0);
    });
}

/// Ends Pantau's work as "Keluar" does, from a thread that may block (the updater's last step
/// before the installer runs): the refresh loop finishes the write in flight, the cache's log is
/// written back. The process is ended by the caller.
pub fn end_cleanly<R: Runtime>(app: &AppHandle<R>) {
    if let Some(state) = app.try_state::<AppState>() {
        tauri::async_runtime::block_on(state.stop_refresh());
        match state.engine().store().checkpoint() {
            Ok(()) => log::info!("quit for the update: every write is in the cache's main file"),
            Err(e) => {
                log::warn!("quit for the update: the cache's log could not be written back: {e}")
            }
        }
    }
}

/// Quits as "Keluar" does when the process is sent SIGTERM (Unix desktops).
pub fn quit_on_sigterm<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    crate::platform::on_terminate(move || quit(&app));
}
