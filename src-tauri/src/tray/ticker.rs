//! The ticker that turns: the watchlist's entries in the tray's label, one every few seconds,
//! on GTK's main loop where there is one.

use super::{update, AppState, TrayState, TRAY_ID};
use pantau_engine::engine::ReadingView;
use pantau_engine::parse::number::{arrow, format_id, shown_decimals};
use pantau_engine::sync::Locked;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tauri::tray::TrayIcon;
use tauri::{AppHandle, Manager, Runtime};

/// Seconds each watchlist entry stays in the tray title.
pub(super) const CYCLE: Duration = Duration::from_secs(5);
/// The longest the tray goes without reading the cache.
const RECHECK: Duration = Duration::from_secs(60);
/// How often the cycle looks whether the cache needs reading for staleness (every `RECHECK`).
const RECHECK_CYCLES: u32 = (RECHECK.as_secs() / CYCLE.as_secs()) as u32;

/// The label's state: what it cycles through, what it shows, and whether its timer runs.
#[derive(Default)]
pub(super) struct Ticker {
    /// The watchlist's ticker texts, as the cache last said (the label cycles through them).
    texts: Mutex<Vec<String>>,
    /// The label on show, so a cycle over one entry does not set it again.
    shown: Mutex<String>,
    /// The entry on show.
    position: AtomicUsize,
    /// The cycle's timer is running.
    cycling: AtomicBool,
    /// The screen is locked: nobody sees the label, so it does not turn.
    locked: AtomicBool,
    /// When the tray last read the cache.
    last_update: Mutex<Option<Instant>>,
}

impl Ticker {
    /// The texts the label cycles through from now on.
    pub(super) fn set_texts(&self, texts: Vec<String>) {
        *self.texts.locked() = texts;
    }

    /// The label was taken away (the settings show the ticker in the icon only).
    pub(super) fn forget_shown(&self) {
        self.shown.locked().clear();
    }

    /// The tray read the cache now.
    pub(super) fn note_update(&self) {
        *self.last_update.locked() = Some(Instant::now());
    }

    fn since_update(&self) -> Duration {
        self.last_update
            .locked()
            .map_or(Duration::MAX, |at| at.elapsed())
    }

    /// Notes the screen locked or unlocked; whether that changed anything.
    pub(super) fn set_locked(&self, locked: bool) -> bool {
        self.locked.swap(locked, Ordering::Relaxed) != locked
    }

    /// While the screen is locked the timer ends (no wake-ups at all); the unlock starts it again.
    fn stop_while_locked(&self) -> bool {
        let locked = self.locked.load(Ordering::Relaxed);
        if locked {
            self.cycling.store(false, Ordering::SeqCst);
        }
        locked
    }

    /// Puts the next (or the current) watchlist entry in the tray title.
    pub(super) fn show<R: Runtime>(&self, tray: &TrayIcon<R>, advance: bool) {
        let text = {
            let texts = self.texts.locked();
            if texts.is_empty() {
                "Pantau".to_string()
            } else {
                let i = if advance {
                    self.position.fetch_add(1, Ordering::Relaxed) + 1
                } else {
                    self.position.load(Ordering::Relaxed)
                };
                texts[i % texts.len()].clone()
            }
        };
        let mut shown = self.shown.locked();
        if *shown != text && tray.set_title(Some(text.as_str())).is_ok() {
            *shown = text;
        }
    }
}

/// The tray's ticker state.
fn ticker<R: Runtime>(app: &AppHandle<R>) -> &Ticker {
    &app.state::<TrayState>().inner().ticker
}

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
fn cycle_once<R: Runtime>(app: &AppHandle<R>, cycles: u32) {
    if cycles.is_multiple_of(RECHECK_CYCLES) && ticker(app).since_update() >= RECHECK {
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
        ticker(app).show(&tray, true);
    }
}

/// Cycles the label: on the platform's main loop where it has a timer there (GTK: woken
/// together with GLib's other timers, no hop from a worker thread for each turn), else from the
/// async runtime. It stops while the screen is locked.
pub(super) fn start_cycle<R: Runtime>(app: AppHandle<R>) {
    if ticker(&app).cycling.swap(true, Ordering::SeqCst) {
        return;
    }
    let handle = app.clone();
    let mut cycles: u32 = 0;
    let on_main_loop = crate::platform::every_seconds(CYCLE.as_secs() as u32, move || {
        if ticker(&handle).stop_while_locked() {
            return false;
        }
        cycles = cycles.wrapping_add(1);
        cycle_once(&handle, cycles);
        true
    });
    if !on_main_loop {
        cycle_async(app);
    }
}

/// Starts the cycle again after the screen was unlocked (on the main thread, as at start).
pub(super) fn resume_cycle<R: Runtime>(app: &AppHandle<R>) {
    if ticker(app).cycling.load(Ordering::SeqCst) {
        return;
    }
    let handle = app.clone();
    let _ = app.run_on_main_thread(move || {
        if let Some(tray) = handle.tray_by_id(TRAY_ID) {
            ticker(&handle).show(&tray, true);
        }
        start_cycle(handle);
    });
}

/// Cycles the label from the async runtime (tray calls hop to the main thread).
fn cycle_async<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let mut cycles: u32 = 0;
        loop {
            tokio::time::sleep(CYCLE).await;
            if ticker(&app).stop_while_locked() {
                return;
            }
            cycles = cycles.wrapping_add(1);
            cycle_once(&app, cycles);
        }
    });
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
