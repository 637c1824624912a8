//! The ticker that turns: the watchlist's entries in the tray's label, one every few seconds,
//! on GTK's main loop where there is one.

use super::{update, AppState, TRAY_ID};
use pantau_engine::engine::ReadingView;
use pantau_engine::parse::number::{arrow, format_id, shown_decimals};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tauri::tray::TrayIcon;
use tauri::{AppHandle, Manager, Runtime};

/// Seconds each watchlist entry stays in the tray title.
pub(super) const CYCLE: Duration = Duration::from_secs(5);

pub(super) static TICKER_POSITION: AtomicUsize = AtomicUsize::new(0);

/// "USD/IDR 16.689 ▲0,47%".
pub(super) fn ticker_text(r: &ReadingView) -> String {
    let decimals = shown_decimals(r.value);
    let arrow = arrow(r.change);
    format!(
        "{} {} {arrow}{}%",
        r.symbol,
        format_id(r.value, decimals),
        format_id(r.change_pct.abs(), 2)
    )
}

/// One turn of the label: the next watchlist entry, and a cache read when no refresh brought
/// one for a minute (so a reading that ages into "stale" gets its mark).
pub(super) fn cycle_once<R: Runtime>(app: &AppHandle<R>, cycles: u32) {
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
pub(super) fn start_cycle<R: Runtime>(app: AppHandle<R>) {
    if glib::MainContext::default().acquire().is_err() {
        return start_cycle_async(app);
    }
    if CYCLING.swap(true, Ordering::SeqCst) {
        return;
    }
    let mut cycles: u32 = 0;
    glib::timeout_add_seconds_local(CYCLE.as_secs() as u32, move || {
        if stop_while_locked() {
            return glib::ControlFlow::Break;
        }
        cycles = cycles.wrapping_add(1);
        cycle_once(&app, cycles);
        glib::ControlFlow::Continue
    });
}

/// The cycle's timer is running.
static CYCLING: AtomicBool = AtomicBool::new(false);

/// While the screen is locked the timer ends (no wake-ups at all); the unlock starts it again.
fn stop_while_locked() -> bool {
    let locked = crate::session::is_locked();
    if locked {
        CYCLING.store(false, Ordering::SeqCst);
    }
    locked
}

/// Starts the cycle again after the screen was unlocked (on the main thread, as at start).
#[cfg(target_os = "linux")]
pub(crate) fn resume_cycle<R: Runtime>(app: &AppHandle<R>) {
    if CYCLING.load(Ordering::SeqCst) {
        return;
    }
    let handle = app.clone();
    let _ = app.run_on_main_thread(move || {
        if let Some(tray) = handle.tray_by_id(TRAY_ID) {
            show_ticker(&tray, true);
        }
        start_cycle(handle);
    });
}

/// Cycles the label from the async runtime (tray calls hop to the main thread).
#[cfg(not(target_os = "linux"))]
pub(super) fn start_cycle<R: Runtime>(app: AppHandle<R>) {
    start_cycle_async(app)
}

/// Cycles the label from the async runtime (tray calls hop to the main thread).
pub(super) fn start_cycle_async<R: Runtime>(app: AppHandle<R>) {
    if CYCLING.swap(true, Ordering::SeqCst) {
        return;
    }
    tauri::async_runtime::spawn(async move {
        let mut cycles: u32 = 0;
        loop {
            tokio::time::sleep(CYCLE).await;
            if stop_while_locked() {
                return;
            }
            cycles = cycles.wrapping_add(1);
            cycle_once(&app, cycles);
        }
    });
}

/// The watchlist's ticker texts, as the cache last said (the label cycles through them).
pub(super) static TICKER_TEXTS: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// The label on show, so a cycle over one entry does not set it again.
pub(super) static LABEL_SHOWN: Mutex<String> = Mutex::new(String::new());

/// The longest the tray goes without reading the cache.
pub(super) const RECHECK: Duration = Duration::from_secs(60);
/// How often the cycle looks whether the cache needs reading for staleness (every `RECHECK`).
pub(super) const RECHECK_CYCLES: u32 = (RECHECK.as_secs() / CYCLE.as_secs()) as u32;
/// When `update` last ran.
pub(super) static LAST_UPDATE: Mutex<Option<Instant>> = Mutex::new(None);

pub(super) fn since_update() -> Duration {
    LAST_UPDATE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .map_or(Duration::MAX, |at| at.elapsed())
}

pub(super) fn label_text(r: &ReadingView) -> String {
    let mut text = ticker_text(r);
    if r.stale {
        text.push_str(" ⚠");
    }
    text
}

/// Pads every label to the longest one's length with figure spaces (as wide as a digit), so the
/// label keeps its width as it turns and the icon beside it does not jump sideways.
pub(super) fn steady_width(texts: Vec<String>) -> Vec<String> {
    let widest = texts.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    texts
        .into_iter()
        .map(|t| {
            let pad = widest - t.chars().count();
            t + &"\u{2007}".repeat(pad)
        })
        .collect()
}

/// Puts the next (or the current) watchlist entry in the tray title.
pub(super) fn show_ticker<R: Runtime>(tray: &TrayIcon<R>, advance: bool) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_keep_one_width_as_they_turn() {
        let texts = steady_width(vec![
            "USD/IDR 16.689 ▲0,47%".into(),
            "IDX 6.850 ▼1,20%".into(),
        ]);
        assert_eq!(texts[0], "USD/IDR 16.689 ▲0,47%");
        assert_eq!(texts[1].chars().count(), texts[0].chars().count());
        assert!(texts[1].starts_with("IDX 6.850 ▼1,20%\u{2007}"));
    }
}
