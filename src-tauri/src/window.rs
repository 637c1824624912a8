//! The popup window. Its webview exists only while it is wanted: it is created when first asked
//! for and destroyed after it has been hidden for a while, so Pantau waiting in the tray holds no
//! WebKit process. It is shown next to the tray where its position is known, top-right of the
//! screen otherwise; closing it hides it.

use pantau_engine::sync::Locked;
use serde::Serialize;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager, PhysicalPosition, Runtime, WebviewWindow};

/// The popup's window label.
pub const MAIN: &str = "main";
/// Asks the UI to show a view; the payload is a [`Navigate`].
pub const NAVIGATE_EVENT: &str = "pantau://navigate";
/// Tells a popup that already existed that it was shown again (it reports what it shows).
pub const SHOWN_EVENT: &str = "pantau://shown";
/// How long a hidden popup keeps its webview, unless the settings keep it ready.
pub const DEFAULT_RELEASE_DELAY: Duration = Duration::from_secs(180);

/// Where the popup should go when it opens.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "view", rename_all = "lowercase")]
pub enum Navigate {
    /// The alert inbox (a summary of several alerts lands here).
    Alerts,
    /// An indicator's own view, with an alert's move highlighted.
    Indicator {
        /// The indicator.
        symbol: String,
        /// When the alert fired (RFC 3339), to highlight its move.
        at: Option<String>,
    },
    /// An article in the reader.
    Reader {
        /// The article's address.
        url: String,
    },
    /// The settings (where a newer Pantau is announced).
    Settings,
}

/// Whether an open had to create the webview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OpenKind {
    /// The webview was created for this open.
    Cold,
    /// The webview was still alive, only hidden.
    Warm,
}

/// What the app knows about the popup between its lives (managed by Tauri).
#[derive(Debug)]
pub struct Popup {
    inner: Mutex<PopupInner>,
    release_delay: Duration,
}

#[derive(Debug, Default)]
struct PopupInner {
    /// Bumped by every show; a release timer started before it gives up.
    generation: u64,
    /// The page in the current webview listens to events (it asked for its pending view).
    ui_ready: bool,
    /// A view asked for before the page could hear it.
    pending: Option<Navigate>,
    /// When the latest open was asked for, until the UI reports it painted.
    open_request: Option<(Instant, OpenKind)>,
    /// The size the user gave the popup (logical pixels), not yet stored.
    resized_to: Option<(f64, f64)>,
    /// A dialog of the page's own is open.
    dialog_open: bool,
}

impl Popup {
    /// A popup released `release_delay` after it was hidden.
    pub fn new(release_delay: Duration) -> Popup {
        Popup {
            inner: Mutex::new(PopupInner::default()),
            release_delay,
        }
    }

    /// The delay from `PANTAU_POPUP_RELEASE_SECS` (tests shorten it), 3 minutes otherwise.
    pub fn from_env() -> Popup {
        let delay = std::env::var("PANTAU_POPUP_RELEASE_SECS")
            .ok()
            .and_then(|raw| {
                pantau_engine::config::parse_seconds(
                    &raw,
                    "PANTAU_POPUP_RELEASE_SECS",
                    0.0,
                    86_400.0,
                )
                .inspect_err(|e| log::warn!("{e}; the popup is released after 3 minutes"))
                .ok()
            })
            .unwrap_or(DEFAULT_RELEASE_DELAY);
        Popup::new(delay)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PopupInner> {
        self.inner.locked()
    }

    /// The page of a new webview is listening: hands it the view it was opened for, if any.
    pub fn page_ready(&self) -> Option<Navigate> {
        let mut inner = self.lock();
        inner.ui_ready = true;
        inner.pending.take()
    }

    /// The app's own dialog above the popup opened or closed: while one is open, losing the
    /// focus does not hide the popup.
    pub fn dialog(&self, open: bool) {
        self.lock().dialog_open = open;
    }

    /// The page shows `indicators` readings: ends the open's timing. Returns how long the open
    /// took and whether it created the webview, when an open was being timed.
    pub fn painted(&self, indicators: usize) -> Option<(Duration, OpenKind)> {
        let (asked, kind) = self.lock().open_request.take()?;
        let took = asked.elapsed();
        log::info!(
            "popup open ({}): {indicators} indicators in the DOM {} ms after the request",
            match kind {
                OpenKind::Cold => "cold, webview created",
                OpenKind::Warm => "warm",
            },
            took.as_millis()
        );
        Some((took, kind))
    }
}

impl Default for Popup {
    fn default() -> Self {
        Popup::new(DEFAULT_RELEASE_DELAY)
    }
}

/// Shows the popup (creating it if needed) and asks it to show `to`. A page that is not
/// listening yet gets `to` when it is.
pub fn navigate<R: Runtime>(app: &AppHandle<R>, to: Navigate) {
    let popup = app.state::<Popup>();
    let deliver_now = {
        let mut inner = popup.lock();
        let alive = app.get_webview_window(MAIN).is_some();
        if alive && inner.ui_ready {
            true
        } else {
            inner.pending = Some(to.clone());
            false
        }
    };
    show_main(app);
    if deliver_now {
        if let Err(e) = app.emit_to(MAIN, NAVIGATE_EVENT, &to) {
            log::warn!("navigation not delivered to the UI: {e}");
        }
    }
}

/// Margin from the screen edge, in logical pixels.
const MARGIN: f64 = 12.0;

/// Shows and focuses the popup, creating its webview when there is none.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    show(app, None);
}

/// Shows the popup by the tray: the tray menu's "Buka Pantau" was clicked, so the pointer is on
/// the menu, by the panel the tray is on (a bottom panel on KDE Plasma and most Windows-like
/// desktops, a top one on GNOME).
pub fn show_main_by_pointer<R: Runtime>(app: &AppHandle<R>) {
    show(app, app.cursor_position().ok());
}

fn show<R: Runtime>(app: &AppHandle<R>, pointer: Option<PhysicalPosition<f64>>) {
    let popup = app.state::<Popup>();
    let existing = app.get_webview_window(MAIN);
    let language = app.state::<crate::state::AppState>().settings().language;
    if existing.is_none() && !crate::platform::can_show_popup(app, language) {
        return;
    }
    {
        let mut inner = popup.lock();
        inner.generation += 1;
        let kind = if existing.is_some() {
            OpenKind::Warm
        } else {
            inner.ui_ready = false;
            OpenKind::Cold
        };
        inner.open_request = Some((Instant::now(), kind));
    }
    let window = match existing {
        Some(window) => window,
        None => match create(app) {
            Ok(window) => window,
            Err(e) => {
                log::error!("cannot create the popup: {e}");
                popup.lock().open_request = None;
                return;
            }
        },
    };
    let was_visible = window.is_visible().unwrap_or(false);
    let _ = window.unminimize();
    let _ = window.show();
    app.state::<crate::state::AppState>().set_lists_shown(true);
    if !was_visible {
        place(&window, pointer);
    }
    let _ = window.set_focus();
    if let Err(e) = window.emit_to(MAIN, SHOWN_EVENT, ()) {
        log::warn!("popup not told it was shown: {e}");
    }
}

/// Whether `url` is one of the app's own pages (`tauri://localhost` on Linux and macOS,
/// `http://tauri.localhost` on Windows): the popup never navigates anywhere else; links open in
/// the browser through `open_external`.
pub fn is_app_page(url: &url::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost") && url.port().is_none(),
        _ => false,
    }
}

/// Builds the popup from its configuration in `tauri.conf.json` (which does not create it at
/// start).
fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<WebviewWindow<R>> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    let mut config = config;
    if crate::platform::no_tray_host(app) {
        // Nothing in a panel leads back to it: a normal window with a taskbar entry.
        config.skip_taskbar = false;
    }
    if let Some((width, height)) = stored_size(app) {
        config.width = width.clamp(config.min_width.unwrap_or(200.0), MAX_SIDE);
        config.height = height.clamp(config.min_height.unwrap_or(200.0), MAX_SIDE);
    }
    let window = tauri::WebviewWindowBuilder::from_config(app, &config)?
        .on_navigation(|url| {
            let allowed = is_app_page(url);
            if !allowed {
                log::warn!("the popup may not leave the app: navigation to {url} refused");
            }
            allowed
        })
        .build()?;
    let handle = app.clone();
    window.on_window_event(move |event| {
        let Some(window) = handle.get_webview_window(MAIN) else {
            return;
        };
        let visible = window.is_visible().unwrap_or(false);
        match event {
            // A hidden window reports 1×1 on some desktops: only a visible size is the user's.
            tauri::WindowEvent::Resized(size) if size.width > 1 && visible => {
                let logical = size.to_logical::<f64>(window.scale_factor().unwrap_or(1.0));
                handle.state::<Popup>().lock().resized_to = Some((logical.width, logical.height));
            }
            // Another window took the focus: a popup gets out of the way, as tray popups do.
            tauri::WindowEvent::Focused(false) if visible => {
                let hide = handle
                    .state::<crate::state::AppState>()
                    .settings()
                    .hide_on_blur
                    && !crate::platform::no_tray_host(&handle)
                    && !handle.state::<Popup>().lock().dialog_open;
                if hide {
                    log::info!("popup hidden: another window took the focus");
                    hide_main(&handle);
                }
            }
            _ => {}
        }
    });
    log::info!("popup created");
    Ok(window)
}

/// The largest side a remembered size may have (logical pixels).
const MAX_SIDE: f64 = 4000.0;

/// The popup's size as the user last left it.
fn stored_size<R: Runtime>(app: &AppHandle<R>) -> Option<(f64, f64)> {
    let state = app.state::<crate::state::AppState>();
    let (width, height): (f64, f64) = state
        .engine()
        .store()
        .get_json(pantau_engine::store::keys::POPUP_SIZE)?;
    (width.is_finite() && height.is_finite() && width > 0.0 && height > 0.0)
        .then_some((width, height))
}

/// Stores the size the user gave the popup, if it changed since it was last stored.
fn store_size<R: Runtime>(app: &AppHandle<R>) {
    let Some(size) = app.state::<Popup>().lock().resized_to.take() else {
        return;
    };
    if stored_size(app) == Some(size) {
        return;
    }
    let state = app.state::<crate::state::AppState>();
    let stored = state
        .engine()
        .store()
        .set_json(pantau_engine::store::keys::POPUP_SIZE, &size);
    if let Err(e) = stored {
        log::warn!("the popup's size was not kept: {e}");
    }
}

/// Shows the popup when it is not on screen, hides it when it is: what the global shortcut and
/// `pantau --toggle` do.
pub fn toggle_main<R: Runtime>(app: &AppHandle<R>) {
    let shown = app
        .get_webview_window(MAIN)
        .map(|w| w.is_visible().unwrap_or(false))
        .unwrap_or(false);
    if shown {
        hide_main(app);
    } else {
        show_main(app);
    }
}

/// Hides the popup and releases its webview after the delay, unless it is shown again or the
/// settings keep it ready.
pub fn hide_main<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window(MAIN) else {
        return;
    };
    let _ = window.hide();
    app.state::<crate::state::AppState>().set_lists_shown(false);
    store_size(app);
    let popup = app.state::<Popup>();
    let generation = popup.lock().generation;
    let delay = popup.release_delay;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(delay).await;
        // On the main thread, where the tray's "open" also runs: the two cannot interleave.
        let main = app.clone();
        if let Err(e) = app.run_on_main_thread(move || release_if_unused(&main, generation)) {
            log::warn!("popup release not scheduled: {e}");
        }
    });
}

fn release_if_unused<R: Runtime>(app: &AppHandle<R>, generation: u64) {
    let popup = app.state::<Popup>();
    let keep = app
        .state::<crate::state::AppState>()
        .settings()
        .keep_popup_ready;
    let Some(window) = app.get_webview_window(MAIN) else {
        return;
    };
    let mut inner = popup.lock();
    if keep || inner.generation != generation || window.is_visible().unwrap_or(true) {
        return;
    }
    inner.ui_ready = false;
    inner.pending = None;
    match window.destroy() {
        Ok(()) => {
            log::info!(
                "popup released after {:.0} s hidden",
                popup.release_delay.as_secs_f64()
            );
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                // Once WebKit has closed the page: what it keeps without a webview goes too.
                tokio::time::sleep(Duration::from_secs(2)).await;
                if app.webview_windows().is_empty() {
                    let ended = crate::footprint::after_release();
                    log::info!("no webview left: {ended} idle WebKit helper process(es) ended");
                    crate::footprint::settle("after the popup's release");
                }
            });
        }
        Err(e) => log::warn!("popup not released: {e}"),
    }
}

/// Puts the popup by the tray icon where the tray said where it is (a click on the icon), else by
/// the `pointer` (a click in the tray's menu), else at the top right of the screen's free area.
fn place<R: Runtime>(window: &WebviewWindow<R>, pointer: Option<PhysicalPosition<f64>>) {
    #[cfg(desktop)]
    {
        use tauri_plugin_positioner::{Position, WindowExt};
        if window.move_window(Position::TrayCenter).is_ok() && on_screen(window) {
            return;
        }
    }
    let size = window
        .outer_size()
        .ok()
        .filter(|s| s.width > 50)
        .map(|s| (s.width as f64, s.height as f64));
    // The pointer's monitor (X11 and Windows say where it is; Wayland may not: then 0,0, which is
    // no better than the top right).
    let by_pointer = pointer
        .filter(|p| p.x > 0.0 || p.y > 0.0)
        .and_then(|p| Some((p, window.monitor_from_point(p.x, p.y).ok().flatten()?)));
    let (monitor, pointer) = match by_pointer {
        Some((p, monitor)) => (Some(monitor), Some((p.x, p.y))),
        None => (
            window
                .current_monitor()
                .ok()
                .flatten()
                .or_else(|| window.primary_monitor().ok().flatten()),
            None,
        ),
    };
    let Some(monitor) = monitor else { return };
    let scale = monitor.scale_factor();
    // Before its first paint the window may not know its size yet: the configured one.
    let Some(size) = size.or_else(|| {
        configured_size(window.app_handle()).map(|(width, height)| (width * scale, height * scale))
    }) else {
        return;
    };
    let area = Area::of(monitor.work_area().position, monitor.work_area().size);
    let screen = Area::of(*monitor.position(), *monitor.size());
    let (x, y) = placed(area, screen, size, pointer, MARGIN * scale);
    let _ = window.set_position(PhysicalPosition::new(x, y));
}

fn on_screen<R: Runtime>(window: &WebviewWindow<R>) -> bool {
    let (Ok(Some(monitor)), Ok(pos)) = (window.current_monitor(), window.outer_position()) else {
        return false;
    };
    let m = monitor.position();
    let s = monitor.size();
    pos.x >= m.x && pos.y >= m.y && pos.x < m.x + s.width as i32 && pos.y < m.y + s.height as i32
}

/// A rectangle in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Area {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

impl Area {
    fn of(position: PhysicalPosition<i32>, size: tauri::PhysicalSize<u32>) -> Area {
        Area {
            x: position.x as f64,
            y: position.y as f64,
            width: size.width as f64,
            height: size.height as f64,
        }
    }
}

/// The popup's size in `tauri.conf.json` (logical pixels).
fn configured_size<R: Runtime>(app: &AppHandle<R>) -> Option<(f64, f64)> {
    app.config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .map(|w| (w.width, w.height))
}

/// Where a popup of `size` goes in the monitor's free `area` (the screen less its panels; the
/// whole `screen` when the desktop says no panel): centred on the `pointer` across, and against
/// the edge the pointer is nearer to (a bottom panel: the popup's foot above it), or at the top
/// right without a pointer; always whole inside the area, `margin` from its edges.
fn placed(
    area: Area,
    screen: Area,
    size: (f64, f64),
    pointer: Option<(f64, f64)>,
    margin: f64,
) -> (i32, i32) {
    let area = if area.width > 0.0 && area.height > 0.0 {
        area
    } else {
        screen
    };
    let (width, height) = size;
    let left = area.x + margin;
    let right = (area.x + area.width - width - margin).max(left);
    let top = area.y + margin;
    let bottom = (area.y + area.height - height - margin).max(top);
    let (x, y) = match pointer {
        Some((px, py)) => {
            let x = (px - width / 2.0).clamp(left, right);
            let y = if py > screen.y + screen.height / 2.0 {
                bottom
            } else {
                top
            };
            (x, y)
        }
        None => (right, top),
    };
    (x.round() as i32, y.round() as i32)
}

#[cfg(test)]
mod tests {
    use super::{is_app_page, placed, Area};

    const SCREEN: Area = Area {
        x: 0.0,
        y: 0.0,
        width: 1920.0,
        height: 1080.0,
    };

    #[test]
    fn the_popup_opens_by_the_panel_the_pointer_is_at() {
        let size = (400.0, 620.0);
        // KDE Plasma: a 44-px panel at the bottom, the tray at its right end.
        let below = Area {
            height: 1036.0,
            ..SCREEN
        };
        assert_eq!(
            placed(below, SCREEN, size, Some((1800.0, 900.0)), 12.0),
            (1508, 404),
            "at the bottom right, its foot above the panel"
        );
        // A bottom panel with the tray in the middle.
        assert_eq!(
            placed(below, SCREEN, size, Some((960.0, 1000.0)), 12.0),
            (760, 404)
        );
        // GNOME: a 32-px panel at the top.
        let above = Area {
            y: 32.0,
            height: 1048.0,
            ..SCREEN
        };
        assert_eq!(
            placed(above, SCREEN, size, Some((1700.0, 120.0)), 12.0),
            (1500, 44)
        );
        // A panel on the left: the popup stays right of it.
        let beside = Area {
            x: 48.0,
            width: 1872.0,
            ..SCREEN
        };
        assert_eq!(
            placed(beside, SCREEN, size, Some((30.0, 1000.0)), 12.0),
            (60, 448)
        );
        // No pointer: the top right of the free area.
        assert_eq!(placed(above, SCREEN, size, None, 12.0), (1508, 44));
        // A screen smaller than the popup: its top left stays on screen.
        let small = Area {
            width: 300.0,
            height: 500.0,
            ..SCREEN
        };
        assert_eq!(
            placed(small, small, size, Some((290.0, 490.0)), 12.0),
            (12, 12)
        );
        // No free area said: the whole screen.
        let none = Area {
            width: 0.0,
            height: 0.0,
            ..SCREEN
        };
        assert_eq!(
            placed(none, SCREEN, size, Some((1800.0, 1070.0)), 12.0),
            (1508, 448)
        );
    }

    #[test]
    fn the_popup_stays_on_the_apps_own_pages() {
        for ok in [
            "tauri://localhost/index.html",
            "http://tauri.localhost/",
            "https://tauri.localhost/x",
        ] {
            assert!(is_app_page(&ok.parse().unwrap()), "{ok}");
        }
        for bad in [
            "https://www.kontan.co.id/",
            "https://evil.example/",
            "http://tauri.localhost.evil.example/",
            "http://tauri.localhost:8080/",
            "tauri://evil/",
            "file:///etc/passwd",
            "data:text/html,x",
            "javascript:alert(1)",
        ] {
            assert!(!is_app_page(&bad.parse().unwrap()), "{bad}");
        }
    }
}
