//! Commands behind Settings' "Pembaruan Pantau": the update status, and "Periksa sekarang".

use crate::updates::UpdateStatus;
use tauri::{AppHandle, Runtime};

/// Whether updates are on in this build, the last check and what it found, a newer release.
#[tauri::command]
pub fn update_status<R: Runtime>(app: AppHandle<R>) -> UpdateStatus {
    crate::updates::status(&app)
}

/// Checks at once (the answer arrives as an update event); `false` when this build has updates off.
#[tauri::command]
pub fn check_updates_now<R: Runtime>(app: AppHandle<R>) -> bool {
    crate::updates::check_now(&app)
}

/// "Pasang sekarang" in the popup's banner: installs the checked newer version (Pantau ends and
/// the new version starts); nothing happens when no checked installer is waiting.
#[tauri::command]
pub fn install_update<R: Runtime>(app: AppHandle<R>) -> bool {
    let ready = crate::updates::ready_to_install(&app).is_some();
    if ready {
        crate::updates::install_now(&app);
    }
    ready
}
