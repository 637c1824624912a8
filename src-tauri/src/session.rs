//! The app and the user's session: how the app ends ("Keluar" in the tray, or SIGTERM when the
//! session ends; either way the refresh loop finishes the write in flight before the process
//! exits), a resume from sleep (refresh at once), and the screen lock (the ticker stops turning).

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
        crate::tray::tidy_up(&app);
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

/// The screen is locked: nobody sees the tray, so its label does not turn.
static LOCKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether the screen is locked now.
pub fn is_locked() -> bool {
    LOCKED.load(std::sync::atomic::Ordering::Relaxed)
}

/// The machine woke from sleep: the timers stood still, so everything is refreshed now.
/// (Linux says so through logind: `platform/linux.rs`.)
#[cfg(target_os = "linux")]
pub fn resumed<R: Runtime>(app: &AppHandle<R>) {
    log::info!("resumed from sleep: refreshing now");
    if let Some(state) = app.try_state::<AppState>() {
        if !state.refresh_now() {
            log::info!("a refresh round ran moments ago");
        }
    }
    crate::events::refresh_tray(app);
}

/// The screen locked (`true`) or unlocked: the ticker stops turning while locked and turns again
/// after; only the scheduled refreshes run meanwhile.
#[cfg(target_os = "linux")]
pub fn screen_locked<R: Runtime>(app: &AppHandle<R>, locked: bool) {
    let was = LOCKED.swap(locked, std::sync::atomic::Ordering::Relaxed);
    if was == locked {
        return;
    }
    log::info!("screen {}", if locked { "locked" } else { "unlocked" });
    #[cfg(desktop)]
    if !locked {
        crate::tray::resume_cycle(app);
    }
    #[cfg(not(desktop))]
    let _ = app;
}
