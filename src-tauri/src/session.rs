//! How the app ends: "Keluar" in the tray, `pantau --quit`, or SIGTERM when the session ends;
//! every way the refresh loop finishes the write in flight and the cache's log is written back
//! before the process exits (the tray tidies its files at exit: `tray::tidy_up`).

use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime};

/// Stops the refresh loop, then exits with status 0.
pub fn quit<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        finish_writes(&app, "quit").await;
        app.exit(0);
    });
}

/// The write in flight finishes, then every write goes into the cache's main file (logged as
/// `why`).
async fn finish_writes<R: Runtime>(app: &AppHandle<R>, why: &str) {
    if let Some(state) = app.try_state::<AppState>() {
        state.stop_refresh().await;
        match state.engine().store().checkpoint() {
            Ok(()) => log::info!("{why}: every write is in the cache's main file"),
            Err(e) => log::warn!("{why}: the cache's log could not be written back: {e}"),
        }
    }
}

/// Ends Pantau's work as "Keluar" does, from a thread that may block (the updater's last step
/// before the installer runs): the refresh loop finishes the write in flight, the cache's log is
/// written back. The process is ended by the caller.
pub fn end_cleanly<R: Runtime>(app: &AppHandle<R>) {
    tauri::async_runtime::block_on(finish_writes(app, "quit for the update"));
}

/// Quits as "Keluar" does when the process is sent SIGTERM (Unix desktops).
pub fn quit_on_sigterm<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    crate::platform::on_terminate(move || quit(&app));
}
