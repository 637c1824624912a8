//! Commands behind the popup's banner when the tray icon sits in the taskbar's hidden overflow.

use crate::taskbar::TaskbarStatus;
use tauri::{AppHandle, Runtime};

/// Where Pantau's tray icon is.
#[tauri::command]
pub fn taskbar_status() -> TaskbarStatus {
    crate::taskbar::status()
}

/// "Tampilkan di bilah tugas": Pantau's own icon onto the taskbar; whether it is there now.
#[tauri::command]
pub fn show_on_taskbar<R: Runtime>(app: AppHandle<R>) -> bool {
    crate::taskbar::show_on_taskbar(&app)
}
