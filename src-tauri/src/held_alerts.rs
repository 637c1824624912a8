//! A bigger move where notifications cannot be replaced (Windows, macOS): the alert waits for
//! the end of the indicator's gap and is shown then if its move still holds; otherwise it stays
//! in the inbox only. Freedesktop servers update the notification on screen instead.

use crate::state::AppState;
use chrono::{DateTime, FixedOffset};
use pantau_engine::alerts::Alert;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use tauri::{AppHandle, Manager, Runtime};

/// When each indicator's last new notification (not an update) was shown: its gap starts there.
static GAP_STARTS: LazyLock<Mutex<HashMap<String, DateTime<FixedOffset>>>> =
    LazyLock::new(Default::default);
/// The alert each indicator holds back until its gap ends (the highest tier so far).
static WAITING: LazyLock<Mutex<HashMap<String, Alert>>> = LazyLock::new(Default::default);

/// Notes a shown alert that is a notification of its own: the indicator's gap starts again.
pub fn note_shown(alert: &Alert) {
    if !alert.replaces {
        start_gap(&alert.symbol, alert.at);
    }
}

fn start_gap(symbol: &str, at: DateTime<FixedOffset>) {
    if let Ok(mut starts) = GAP_STARTS.lock() {
        starts.insert(symbol.to_string(), at);
    }
}

/// Holds `alert` (a higher tier inside the gap) until the gap ends, then hands it to `show` if
/// its move still holds. A later, higher tier takes its place.
pub fn hold<R: Runtime>(
    app: &AppHandle<R>,
    alert: Alert,
    gap_minutes: u32,
    show: impl FnOnce(Alert) + Send + 'static,
) {
    let gap = chrono::Duration::minutes(i64::from(gap_minutes));
    let started = GAP_STARTS
        .lock()
        .ok()
        .and_then(|s| s.get(&alert.symbol).copied());
    let wait = (started.unwrap_or(alert.at) + gap - alert.at)
        .to_std()
        .unwrap_or_default();
    let symbol = alert.symbol.clone();
    let Ok(mut waiting) = WAITING.lock() else {
        return;
    };
    let first = waiting.insert(symbol.clone(), alert).is_none();
    drop(waiting);
    if !first {
        return; // the timer already running shows the newest one
    }
    log::info!("{symbol}: a bigger move inside the gap waits {wait:?}, then shows if it holds");
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(wait).await;
        let Some(alert) = WAITING.lock().ok().and_then(|mut w| w.remove(&symbol)) else {
            return;
        };
        let newer_shown = GAP_STARTS
            .lock()
            .ok()
            .and_then(|s| s.get(&symbol).copied())
            .is_some_and(|at| at > alert.at);
        let now = app
            .state::<AppState>()
            .engine()
            .market()
            .ok()
            .and_then(|m| m.readings.into_iter().find(|r| r.symbol == symbol))
            .map(|r| r.change_pct);
        match now {
            _ if newer_shown => log::info!("{symbol}: a newer notification came first"),
            Some(change) if alert.still_holds(change) => {
                start_gap(&symbol, alert.at);
                show(alert);
            }
            _ => log::info!("{symbol}: the bigger move no longer holds; it is in the inbox"),
        }
    });
}
