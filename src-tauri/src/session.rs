//! How the app ends: "Keluar" in the tray, or SIGTERM when the session ends (or a service manager
//! asks). Either way the refresh loop finishes the write in flight before the process exits.

use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime};

/// Stops the refresh loop, then exits with status 0.
pub fn quit<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Some(state) = app.try_state::<AppState>() {
            state.stop_refresh().await;
        }
        app.exit(0);
    });
}

/// Quits as "Keluar" does when the process is sent SIGTERM.
pub fn quit_on_sigterm<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(unix)]
    {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            use tokio::signal::unix::{signal, SignalKind};
            match signal(SignalKind::terminate()) {
                Ok(mut term) => {
                    term.recv().await;
                    log::info!("asked to end (SIGTERM)");
                    quit(&app);
                }
                Err(e) => log::warn!("cannot listen for SIGTERM: {e}"),
            }
        });
    }
    #[cfg(not(unix))]
    let _ = app;
}
