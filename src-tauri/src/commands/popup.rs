//! The popup's page tells the app when it listens and what it shows.

use crate::window::{Navigate, Popup};
use tauri::State;

/// The page of a new popup listens to events: returns the view it was opened for, if any.
#[tauri::command(async)]
pub fn popup_ready(popup: State<'_, Popup>) -> Option<Navigate> {
    popup.page_ready()
}

/// The page shows `indicators` readings after an open; the app logs how long the open took.
#[tauri::command(async)]
pub fn popup_painted(popup: State<'_, Popup>, indicators: usize) {
    popup.painted(indicators);
}

/// Esc (or the page's own close): hides the popup; its webview goes after the release delay.
#[tauri::command(async)]
pub fn hide_popup<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    crate::window::hide_main(&app);
}
