//! The tray: a glanceable ticker ("USD/IDR 16.689 ▲0,47%") cycling through the watchlist in the
//! label, the first watchlist entry's change drawn into the icon (or, label only, an icon showing
//! the rupiah's direction today), and a menu that works everywhere.

use crate::i18n::t;
use crate::settings::TrayDisplay;
use crate::state::AppState;
use crate::ticker_icon::{self, TickerIcon};
use pantau_engine::alerts::config::Language;
use pantau_engine::engine::{now_ms, ReadingView};
use pantau_engine::parse::number::{arrow, format_id, shown_decimals};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Runtime};

/// The tray icon's id.
pub const TRAY_ID: &str = "pantau";
/// Seconds each watchlist entry stays in the tray title.
const CYCLE: Duration = Duration::from_secs(5);

static TICKER_POSITION: AtomicUsize = AtomicUsize::new(0);
/// The icon on show, so an update that changes nothing does not redraw it (each redraw is a new
/// file and a D-Bus signal on Linux).
static ICON_SHOWN: Mutex<Option<IconKey>> = Mutex::new(None);

#[derive(Debug, Clone, PartialEq)]
enum IconKey {
    Ticker(TickerIcon),
    Direction(i8),
}

fn direction_icon(direction: i8) -> Image<'static> {
    let bytes: &'static [u8] = match direction {
        1 => include_bytes!("../../icons/tray-up.png"),
        -1 => include_bytes!("../../icons/tray-down.png"),
        _ => include_bytes!("../../icons/tray-flat.png"),
    };
    Image::from_bytes(bytes).expect("bundled tray icon")
}

fn image(key: &IconKey) -> Image<'static> {
    match key {
        IconKey::Ticker(t) => Image::new_owned(t.render(), ticker_icon::SIZE, ticker_icon::SIZE),
        IconKey::Direction(d) => direction_icon(*d),
    }
}

/// The icon for `readings` (the watchlist's) and `all` readings, as `display` asks.
fn icon_key(display: TrayDisplay, readings: &[ReadingView], all: &[ReadingView]) -> IconKey {
    if let (true, Some(first)) = (display.shows_icon(), readings.first()) {
        return IconKey::Ticker(TickerIcon::new(first.change_pct));
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

/// "USD/IDR 16.689 ▲0,47%".
pub fn ticker_text(r: &ReadingView) -> String {
    let decimals = shown_decimals(r.value);
    let arrow = arrow(r.change);
    format!(
        "{} {} {arrow}{}%",
        r.symbol,
        format_id(r.value, decimals),
        format_id(r.change_pct.abs(), 2)
    )
}

/// "2 mnt lalu", "baru saja", "3 jam lalu" (or in English), from the UI's phrase tables.
pub fn age_text(language: Language, r: &ReadingView) -> String {
    let minutes = (pantau_engine::time::now() - r.observed_at.to_utc())
        .num_minutes()
        .max(0);
    let (key, n) = match minutes {
        0 => ("age.now", 0),
        m if m < 60 => ("age.minutes", m),
        m if m < 48 * 60 => ("age.hours", m / 60),
        m => ("age.days", m / (24 * 60)),
    };
    t(language, key, &[("n", &n.to_string())])
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
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(direction_icon(0))
        .tooltip("Pantau")
        .title("Pantau")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
        .on_tray_icon_event(|tray, event| {
            tauri_plugin_positioner::on_tray_event(tray.app_handle(), &event);
        })
        .build(app)?;
    start_cycle(app.clone());
    Ok(())
}

/// One turn of the label: the next watchlist entry, and a cache read when no refresh brought
/// one for a minute (so a reading that ages into "stale" gets its mark).
fn cycle_once<R: Runtime>(app: &AppHandle<R>, cycles: u32) {
    if cycles.is_multiple_of(RECHECK_CYCLES) && since_update() >= RECHECK {
        let app = app.clone();
        tauri::async_runtime::spawn(async move { update(&app) });
    }
    if !app
        .state::<AppState>()
        .settings()
        .tray_display
        .shows_label()
    {
        return;
    }
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        show_ticker(&tray, true);
    }
}

/// Cycles the label on GTK's own main loop: a seconds timer that GLib wakes together with the
/// others, and no hop from a worker thread through the event loop for each turn.
/// (Off GTK's main thread, as in tests, it falls back to the async runtime.)
#[cfg(target_os = "linux")]
fn start_cycle<R: Runtime>(app: AppHandle<R>) {
    if glib::MainContext::default().acquire().is_err() {
        return start_cycle_async(app);
    }
    let mut cycles: u32 = 0;
    glib::timeout_add_seconds_local(CYCLE.as_secs() as u32, move || {
        cycles = cycles.wrapping_add(1);
        cycle_once(&app, cycles);
        glib::ControlFlow::Continue
    });
}

/// Cycles the label from the async runtime (tray calls hop to the main thread).
#[cfg(not(target_os = "linux"))]
fn start_cycle<R: Runtime>(app: AppHandle<R>) {
    start_cycle_async(app)
}

/// Cycles the label from the async runtime (tray calls hop to the main thread).
fn start_cycle_async<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let mut cycles: u32 = 0;
        loop {
            tokio::time::sleep(CYCLE).await;
            cycles = cycles.wrapping_add(1);
            cycle_once(&app, cycles);
        }
    });
}

/// The watchlist's ticker texts, as the cache last said (the label cycles through them).
static TICKER_TEXTS: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// The label on show, so a cycle over one entry does not set it again.
static LABEL_SHOWN: Mutex<String> = Mutex::new(String::new());
/// The tray counts unread headlines first seen within this window (a day).
const UNREAD_WINDOW_MS: i64 = 24 * 3600 * 1000;
/// The tooltip on show.
static TOOLTIP_SHOWN: Mutex<String> = Mutex::new(String::new());
/// The longest the tray goes without reading the cache.
const RECHECK: Duration = Duration::from_secs(60);
/// How often the cycle looks whether the cache needs reading for staleness (every `RECHECK`).
const RECHECK_CYCLES: u32 = (RECHECK.as_secs() / CYCLE.as_secs()) as u32;
/// When `update` last ran.
static LAST_UPDATE: Mutex<Option<Instant>> = Mutex::new(None);

fn since_update() -> Duration {
    LAST_UPDATE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .map_or(Duration::MAX, |at| at.elapsed())
}

fn label_text(r: &ReadingView) -> String {
    let mut text = ticker_text(r);
    if r.stale {
        text.push_str(" ⚠");
    }
    text
}

/// Puts the next (or the current) watchlist entry in the tray title.
fn show_ticker<R: Runtime>(tray: &TrayIcon<R>, advance: bool) {
    let text = {
        let texts = TICKER_TEXTS.lock().unwrap_or_else(|p| p.into_inner());
        if texts.is_empty() {
            "Pantau".to_string()
        } else {
            let i = if advance {
                TICKER_POSITION.fetch_add(1, Ordering::Relaxed) + 1
            } else {
                TICKER_POSITION.load(Ordering::Relaxed)
            };
            texts[i % texts.len()].clone()
        }
    };
    let mut shown = LABEL_SHOWN.lock().unwrap_or_else(|p| p.into_inner());
    if *shown != text && tray.set_title(Some(text.as_str())).is_ok() {
        *shown = text;
    }
}

/// An update is waiting to run.
static UPDATE_PENDING: AtomicBool = AtomicBool::new(false);
/// How long requests are gathered into one update (a refresh sends its status, its readings and
/// its headlines within milliseconds of each other).
const GATHER: Duration = Duration::from_millis(250);

/// Redraws the tray shortly, once for all the requests that arrive meanwhile.
pub fn request_update<R: Runtime>(app: &AppHandle<R>) {
    if UPDATE_PENDING.swap(true, Ordering::AcqRel) {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(GATHER).await;
        UPDATE_PENDING.store(false, Ordering::Release);
        update(&app);
    });
}

/// Redraws menu, icon, tooltip and title from the cache (read once).
pub fn update<R: Runtime>(app: &AppHandle<R>) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    *LAST_UPDATE.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
    let state = app.state::<AppState>();
    let Ok(all) = state.engine().readings(now_ms()) else {
        return;
    };
    let settings = state.settings();
    let readings = in_watchlist(&all, &settings.watchlist);
    show_menu(app, &tray, menu_entries(app, &readings));
    let key = icon_key(settings.tray_display, &readings, &all);
    let mut shown = ICON_SHOWN.lock().unwrap_or_else(|p| p.into_inner());
    if shown.as_ref() != Some(&key) && tray.set_icon(Some(image(&key))).is_ok() {
        *shown = Some(key);
    }
    drop(shown);
    let tooltip = readings
        .iter()
        .map(ticker_text)
        .collect::<Vec<_>>()
        .join("\n");
    let tooltip = if tooltip.is_empty() {
        "Pantau".to_string()
    } else {
        tooltip
    };
    let mut tooltip_shown = TOOLTIP_SHOWN.lock().unwrap_or_else(|p| p.into_inner());
    if *tooltip_shown != tooltip && tray.set_tooltip(Some(tooltip.as_str())).is_ok() {
        *tooltip_shown = tooltip;
    }
    drop(tooltip_shown);
    *TICKER_TEXTS.lock().unwrap_or_else(|p| p.into_inner()) =
        readings.iter().map(label_text).collect();
    if settings.tray_display.shows_label() {
        show_ticker(&tray, false);
    } else {
        let _ = tray.set_title(None::<&str>);
        LABEL_SHOWN
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

/// One line of the tray menu, as data: comparing two lists tells what changed.
#[derive(Debug, Clone, PartialEq)]
enum Entry {
    Item {
        id: String,
        text: String,
        enabled: bool,
    },
    Separator,
}

impl Entry {
    fn item(id: impl Into<String>, text: impl Into<String>, enabled: bool) -> Self {
        Entry::Item {
            id: id.into(),
            text: text.into(),
            enabled,
        }
    }

    /// The same line apart from its text (so the text can be set in place).
    fn same_place(&self, other: &Entry) -> bool {
        match (self, other) {
            (
                Entry::Item { id, enabled, .. },
                Entry::Item {
                    id: other_id,
                    enabled: other_enabled,
                    ..
                },
            ) => id == other_id && enabled == other_enabled,
            (Entry::Separator, Entry::Separator) => true,
            _ => false,
        }
    }
}

/// The menu on show: its lines and their items, so a refresh sets only the texts that changed
/// instead of sending the whole layout again (which costs every tray host a full re-read).
struct ShownMenu<R: Runtime>(Mutex<Option<(Vec<Entry>, Items<R>)>>);

/// Each line's item handle (`None` for a separator).
type Items<R> = Vec<Option<MenuItem<R>>>;

/// The menu's lines for `readings`, with the latest headlines (remembered for their clicks).
fn menu_entries<R: Runtime>(app: &AppHandle<R>, readings: &[ReadingView]) -> Vec<Entry> {
    let state = app.state::<AppState>();
    let language = state.settings().language;
    let label = |key: &str| t(language, key, &[]);
    let mut entries = Vec::new();
    if readings.is_empty() {
        entries.push(Entry::item("none", label("tray.nodata"), false));
    }
    for r in readings {
        let text = format!(
            "{} · {}{}",
            ticker_text(r),
            age_text(language, r),
            if r.stale { " · basi" } else { "" }
        );
        entries.push(Entry::item(format!("reading:{}", r.symbol), text, false));
    }
    let unread = state
        .engine()
        .reader()
        .unread_since(pantau_engine::time::now_ms() - UNREAD_WINDOW_MS)
        .unwrap_or(0);
    if unread > 0 {
        let text = t(language, "tray.unread", &[("n", &unread.to_string())]);
        entries.push(Entry::item("unread", text, false));
    }
    entries.push(Entry::Separator);
    let headlines = state
        .engine()
        .reader()
        .latest_headlines(None, 5)
        .unwrap_or_default();
    let mut urls = Vec::new();
    for (i, h) in headlines.iter().enumerate() {
        let mut title: String = h.headline.title.chars().take(60).collect();
        if h.headline.title.chars().count() > 60 {
            title.push('…');
        }
        entries.push(Entry::item(format!("headline:{i}"), title, true));
        urls.push(h.headline.url.clone());
    }
    *state
        .tray_headlines
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = urls;
    if !headlines.is_empty() {
        entries.push(Entry::Separator);
    }
    for (id, key) in [
        ("open", "tray.open"),
        ("refresh", "tray.refresh"),
        ("snooze", "tray.snooze"),
    ] {
        entries.push(Entry::item(id, label(key), true));
    }
    entries.push(Entry::Separator);
    entries.push(Entry::item("quit", label("tray.quit"), true));
    entries
}

/// A new menu holding `entries`, with the handle of each item.
fn build_menu<R: Runtime>(
    app: &AppHandle<R>,
    entries: &[Entry],
) -> tauri::Result<(Menu<R>, Items<R>)> {
    let menu = Menu::new(app)?;
    let mut items = Vec::with_capacity(entries.len());
    for entry in entries {
        match entry {
            Entry::Item { id, text, enabled } => {
                let item = MenuItem::with_id(app, id.as_str(), text, *enabled, None::<&str>)?;
                menu.append(&item)?;
                items.push(Some(item));
            }
            Entry::Separator => {
                menu.append(&PredefinedMenuItem::separator(app)?)?;
                items.push(None);
            }
        }
    }
    Ok((menu, items))
}

/// Shows `entries` in the tray menu: texts set in place when only texts changed, nothing done
/// when nothing changed, a new menu when lines came or went.
fn show_menu<R: Runtime>(app: &AppHandle<R>, tray: &TrayIcon<R>, entries: Vec<Entry>) {
    let Some(shown) = app.try_state::<ShownMenu<R>>() else {
        return;
    };
    let mut shown = shown.0.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((old, items)) = shown.as_mut() {
        if old.len() == entries.len() && old.iter().zip(&entries).all(|(a, b)| a.same_place(b)) {
            for ((before, now), item) in old.iter_mut().zip(entries).zip(items.iter()) {
                if *before == now {
                    continue;
                }
                if let (Entry::Item { text, .. }, Some(item)) = (&now, item) {
                    if item.set_text(text).is_ok() {
                        *before = now;
                    }
                }
            }
            return;
        }
    }
    if let Ok((menu, items)) = build_menu(app, &entries) {
        if tray.set_menu(Some(menu)).is_ok() {
            *shown = Some((entries, items));
        }
    }
}

fn on_menu<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let state = app.state::<AppState>();
    match id {
        "open" => crate::window::show_main(app),
        "refresh" => {
            state.refresh_now();
        }
        "snooze" => {
            state.snooze(60);
        }
        "quit" => crate::session::quit(app),
        other => {
            if let Some(i) = other
                .strip_prefix("headline:")
                .and_then(|i| i.parse::<usize>().ok())
            {
                let url = state
                    .tray_headlines
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .get(i)
                    .cloned();
                if let Some(url) = url {
                    crate::window::navigate(app, crate::window::Navigate::Reader { url });
                }
            }
        }
    }
}
