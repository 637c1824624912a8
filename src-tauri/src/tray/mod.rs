//! The tray: a glanceable ticker ("USD/IDR 16.689 ▲0,47%") cycling through the watchlist in the
//! label, the first watchlist entry's change drawn into the icon (or, label only, an icon showing
//! the rupiah's direction today), and a menu that works everywhere.
//!
//! [`ticker`] turns the label; [`menu`] builds the menu and answers its clicks; this module
//! creates the tray and redraws icon, tooltip and menu from the cache.

mod menu;
mod ticker;
mod tooltip;

use crate::platform::TrayIcons;
use crate::settings::TrayDisplay;
use crate::state::AppState;
use crate::ticker_icon::{self, TickerIcon};
use menu::{build_menu, menu_entries, on_menu, show_menu, ShownMenu};
use pantau_engine::engine::ReadingView;
use pantau_engine::sync::Locked;
use pantau_engine::time::now_ms;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tauri::image::Image;
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime};
use ticker::{label_text, start_cycle, ticker_text, Ticker};

/// The tray icon's id.
pub const TRAY_ID: &str = "pantau";

/// What the tray shows and what it waits for, owned by the app (`app.manage`).
#[derive(Default)]
pub(crate) struct TrayState {
    /// The icon on show, so an update that changes nothing does not redraw it (each redraw is a
    /// new file and a D-Bus signal on Linux).
    icon_shown: Mutex<Option<IconKey>>,
    /// The tooltip on show.
    tooltip_shown: Mutex<String>,
    /// An update is waiting to run.
    update_pending: AtomicBool,
    /// The readings the last event carried, for the update waiting to run (no cache read then).
    carried: Mutex<Option<Vec<ReadingView>>>,
    /// The label that turns.
    ticker: Ticker,
}

#[derive(Debug, Clone, PartialEq)]
enum IconKey {
    /// The ticker, drawn at the size in pixels the tray shows.
    Ticker(TickerIcon, u32),
    Direction(i8),
}

fn direction_icon(direction: i8) -> Image<'static> {
    let bytes: &'static [u8] = match direction {
        1 => include_bytes!("../../../icons/tray-up.png"),
        -1 => include_bytes!("../../../icons/tray-down.png"),
        _ => include_bytes!("../../../icons/tray-flat.png"),
    };
    Image::from_bytes(bytes).expect("bundled tray icon")
}

fn image(key: &IconKey) -> Image<'static> {
    match key {
        IconKey::Ticker(t, px) => Image::new_owned(t.render(*px), *px, *px),
        IconKey::Direction(d) => direction_icon(*d),
    }
}

/// The icon for `readings` (the watchlist's) and `all` readings, as `display` asks.
fn icon_key(display: TrayDisplay, readings: &[ReadingView], all: &[ReadingView]) -> IconKey {
    if let (true, Some(first)) = (display.shows_icon(), readings.first()) {
        // Drawn for the size the tray shows where the platform knows it (Windows: 16 px at 100%
        // display scaling), else at the size Linux's and macOS's hosts scale from; the image is
        // as large as the drawing (a 500% taskbar's 80 px gets 64 and scales it).
        let px =
            ticker_icon::drawn_size(crate::platform::tray_icon_px().unwrap_or(ticker_icon::SIZE));
        return IconKey::Ticker(TickerIcon::new(first.change_pct), px);
    }
    // The rupiah's direction: USD/IDR up means the rupiah weakened.
    let rupiah = all
        .iter()
        .find(|r| r.symbol == "USD/IDR")
        .map(|r| -r.change)
        .unwrap_or(0.0);
    IconKey::Direction(if rupiah > 0.0 {
        1
    } else if rupiah < 0.0 {
        -1
    } else {
        0
    })
}

/// The watchlist's readings out of `all`, in watchlist order.
fn in_watchlist(all: &[ReadingView], watchlist: &[String]) -> Vec<ReadingView> {
    watchlist
        .iter()
        .filter_map(|s| all.iter().find(|r| &r.symbol == s).cloned())
        .collect()
}

/// The watchlist's readings (one cache read, no sparklines).
fn watched(state: &AppState) -> Vec<ReadingView> {
    let all = state.engine().readings(now_ms()).unwrap_or_default();
    in_watchlist(&all, &state.settings().watchlist)
}

/// Creates the tray and starts the ticker.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let entries = menu_entries(app, &watched(&app.state::<AppState>()));
    let (menu, items) = build_menu(app, &entries)?;
    app.manage(ShownMenu(Mutex::new(Some((entries, items)))));
    app.manage(TrayState::default());
    let mut builder = TrayIconBuilder::with_id(TRAY_ID);
    // Where the icon is a file (Linux), every one, tray-icon's first one too, goes in a folder
    // of the user's alone.
    let icons = TrayIcons::new()?;
    if let Some(dir) = icons.temp_dir() {
        builder = builder.temp_dir_path(dir);
    }
    app.manage(icons);
    builder
        .icon(direction_icon(0))
        .tooltip("Pantau")
        .title("Pantau")
        .menu(&menu)
        .show_menu_on_left_click(!crate::platform::LEFT_CLICK_OPENS_POPUP)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
        .on_tray_icon_event(|tray, event| {
            tauri_plugin_positioner::on_tray_event(tray.app_handle(), &event);
            let left_click = matches!(
                event,
                TrayIconEvent::Click {
                    button: MouseButton::Left,
                    button_state: MouseButtonState::Up,
                    ..
                }
            );
            if crate::platform::LEFT_CLICK_OPENS_POPUP && left_click {
                crate::window::toggle_main(tray.app_handle());
            }
        })
        .build(app)?;
    start_cycle(app.clone());
    // Another scaling or another monitor (Windows): the icon is drawn again for the tray's size.
    let handle = app.clone();
    crate::platform::on_display_change(move || request_update(&handle));
    // A newer Pantau ready to install puts a line in the menu (the update status is an event).
    let handle = app.clone();
    tauri::Listener::listen_any(app, crate::updates::UPDATE_EVENT, move |_| {
        request_update(&handle)
    });
    Ok(())
}

/// Shows `image` as the tray's icon; whether it is on show.
fn show_icon<R: Runtime>(tray: &TrayIcon<R>, image: Image<'static>) -> bool {
    if let Some(icons) = tray.app_handle().try_state::<TrayIcons>() {
        match icons.show(tray, &image) {
            Ok(true) => return true,
            Ok(false) => {}
            // tray-icon's own files (in the same private folder) are better than no change.
            Err(e) => log::warn!("tray icon: {e}"),
        }
    }
    tray.set_icon(Some(image)).is_ok()
}

/// Removes what the tray left on disk (Linux: its icon files), before the app exits.
pub fn tidy_up<R: Runtime>(app: &AppHandle<R>) {
    if let Some(icons) = app.try_state::<TrayIcons>() {
        icons.remove_all();
    }
}

/// How long requests are gathered into one update (a refresh sends its status, its readings and
/// its headlines within milliseconds of each other).
const GATHER: Duration = Duration::from_millis(250);

/// Redraws the tray shortly from `readings` (every reading, as a refresh event carries them),
/// once for all the requests that arrive meanwhile.
pub fn show_readings<R: Runtime>(app: &AppHandle<R>, readings: Vec<ReadingView>) {
    if let Some(tray) = app.try_state::<TrayState>() {
        *tray.carried.locked() = Some(readings);
        request_update(app);
    }
}

/// Redraws the tray shortly, once for all the requests that arrive meanwhile.
pub fn request_update<R: Runtime>(app: &AppHandle<R>) {
    let Some(tray) = app.try_state::<TrayState>() else {
        return;
    };
    if tray.update_pending.swap(true, Ordering::AcqRel) {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(GATHER).await;
        app.state::<TrayState>()
            .update_pending
            .store(false, Ordering::Release);
        update(&app);
    });
}

/// The screen locked (`true`) or unlocked: the label stops turning while locked and turns again
/// after. Whether that changed anything.
pub fn set_screen_locked<R: Runtime>(app: &AppHandle<R>, locked: bool) -> bool {
    let Some(tray) = app.try_state::<TrayState>() else {
        return false;
    };
    let changed = tray.ticker.set_locked(locked);
    if changed && !locked {
        ticker::resume_cycle(app);
    }
    changed
}

/// Redraws menu, icon, tooltip and title from the readings an event carried, else from the
/// cache (read once).
pub fn update<R: Runtime>(app: &AppHandle<R>) {
    let (Some(tray), Some(shown)) = (app.tray_by_id(TRAY_ID), app.try_state::<TrayState>()) else {
        return;
    };
    shown.ticker.note_update();
    let state = app.state::<AppState>();
    let carried = shown.carried.locked().take();
    let all = match carried {
        Some(readings) => readings,
        None => match state.engine().readings(now_ms()) {
            Ok(readings) => readings,
            Err(_) => return,
        },
    };
    let settings = state.settings();
    let readings = in_watchlist(&all, &settings.watchlist);
    show_menu(app, &tray, menu_entries(app, &readings));
    let key = icon_key(settings.tray_display, &readings, &all);
    let mut icon = shown.icon_shown.locked();
    if icon.as_ref() != Some(&key) && show_icon(&tray, image(&key)) {
        *icon = Some(key);
    }
    drop(icon);
    let tooltip = tooltip::tooltip_text(settings.language, &readings);
    let mut tooltip_shown = shown.tooltip_shown.locked();
    if *tooltip_shown != tooltip && tray.set_tooltip(Some(tooltip.as_str())).is_ok() {
        *tooltip_shown = tooltip;
    }
    drop(tooltip_shown);
    // One width as the label turns: measured in the panel's font where the platform can (Linux),
    // else by characters.
    let labels: Vec<String> = readings.iter().map(label_text).collect();
    let labels =
        crate::platform::steady_labels(&labels).unwrap_or_else(|| ticker::steady_width(labels));
    shown.ticker.set_texts(labels);
    if settings.tray_display.shows_label() {
        shown.ticker.show(&tray, false);
    } else {
        let _ = tray.set_title(None::<&str>);
        shown.ticker.forget_shown();
    }
}

/// A reading of 16.689 ▲0,47% for the tray's tests, `hours_ago` old.
#[cfg(test)]
pub(crate) fn test_reading(symbol: &str, stale: bool, hours_ago: i64) -> ReadingView {
    let at = pantau_engine::time::to_wib(pantau_engine::time::now_ms() - hours_ago * 3600 * 1000);
    ReadingView {
        symbol: symbol.into(),
        value: 16_689.0,
        change: 78.0,
        change_pct: 0.47,
        observed_at: at,
        first_seen: at,
        source: pantau_engine::ReadingSource::Kontan,
        stale,
        freshness: if stale {
            pantau_engine::market::Freshness::Stale
        } else {
            pantau_engine::market::Freshness::Fresh
        },
    }
}
