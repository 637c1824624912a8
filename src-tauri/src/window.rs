//! The popup window: shown next to the tray where its position is known, top-right of the
//! screen otherwise; closing it hides it.

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, PhysicalPosition, Runtime, WebviewWindow};

/// Asks the UI to show a view; the payload is a [`Navigate`].
pub const NAVIGATE_EVENT: &str = "pantau://navigate";

/// Where the popup should go when it opens.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "view", rename_all = "lowercase")]
pub enum Navigate {
    /// The alert inbox, on the alert's indicator.
    Alerts {
        /// The indicator to show first.
        symbol: Option<String>,
    },
    /// An article in the reader.
    Reader {
        /// The article's address.
        url: String,
    },
}

/// Shows the popup and asks it to show `to`.
pub fn navigate<R: Runtime>(app: &AppHandle<R>, to: Navigate) {
    show_main(app);
    if let Err(e) = app.emit(NAVIGATE_EVENT, &to) {
        log::warn!("navigation not delivered to the UI: {e}");
    }
}

/// Margin from the screen edge, in logical pixels.
const MARGIN: f64 = 12.0;
/// Room left for a top panel, in logical pixels.
const PANEL: f64 = 32.0;

/// Shows and focuses the popup.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let _ = window.unminimize();
    let _ = window.show();
    place(&window);
    let _ = window.set_focus();
}

fn place<R: Runtime>(window: &WebviewWindow<R>) {
    #[cfg(desktop)]
    {
        use tauri_plugin_positioner::{Position, WindowExt};
        if window.move_window(Position::TrayCenter).is_ok() && on_screen(window) {
            return;
        }
    }
    top_right(window);
}

fn on_screen<R: Runtime>(window: &WebviewWindow<R>) -> bool {
    let (Ok(Some(monitor)), Ok(pos)) = (window.current_monitor(), window.outer_position()) else {
        return false;
    };
    let m = monitor.position();
    let s = monitor.size();
    pos.x >= m.x && pos.y >= m.y && pos.x < m.x + s.width as i32 && pos.y < m.y + s.height as i32
}

/// Top-right corner of the monitor the window is on (or the primary one).
fn top_right<R: Runtime>(window: &WebviewWindow<R>) {
    let monitor = window
        .current_monitor()
        .ok()
        .flatten()
        .or_else(|| window.primary_monitor().ok().flatten());
    let Some(monitor) = monitor else { return };
    let scale = monitor.scale_factor();
    let size = window
        .outer_size()
        .ok()
        .filter(|s| s.width > 50)
        .map(|s| (s.width as f64, s.height as f64));
    let (width, _) = size.unwrap_or((400.0 * scale, 620.0 * scale));
    let x = monitor.position().x as f64 + monitor.size().width as f64 - width - MARGIN * scale;
    let y = monitor.position().y as f64 + PANEL * scale;
    let _ = window.set_position(PhysicalPosition::new(x.max(0.0) as i32, y.max(0.0) as i32));
}
