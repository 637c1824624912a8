//! What every Unix desktop shares: SIGTERM (a logout, `kill`) ends Pantau as "Keluar" does.

/// Runs `quit` when the process is sent SIGTERM.
pub fn on_terminate(quit: impl FnOnce() + Send + 'static) {
    tauri::async_runtime::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
                log::info!("asked to end (SIGTERM)");
                quit();
            }
            Err(e) => log::warn!("cannot listen for SIGTERM: {e}"),
        }
    });
}
