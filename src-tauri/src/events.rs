//! The refresh loop's events, forwarded to the UI (which never polls), the tray and the
//! notification server.

use crate::held_alerts::HeldAlerts;
use crate::state::AppState;
use pantau_engine::notify::{AlertAction, Notifier};
use pantau_engine::refresh::Event;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast::error::RecvError;

/// Every engine event reaches the UI under this name, tagged by `event`.
pub const ENGINE_EVENT: &str = "pantau://event";

/// Starts (or restarts) the refresh loop and forwards its events.
pub fn start_loop<R: Runtime>(app: &AppHandle<R>) -> crate::error::Result<()> {
    let state = app.state::<AppState>();
    // The loop's tasks live on Tauri's tokio runtime (entered, not blocked on: this also runs
    // inside async commands).
    let runtime = tauri::async_runtime::handle();
    let mut events = {
        let _inside = runtime.inner().enter();
        state.start_refresh()?
    };
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => forward(&app, event),
                Err(RecvError::Lagged(n)) => log::warn!("UI skipped {n} engine events"),
                Err(RecvError::Closed) => break,
            }
        }
    });
    Ok(())
}

fn forward<R: Runtime>(app: &AppHandle<R>, event: Event) {
    if let Err(e) = app.emit(ENGINE_EVENT, &event) {
        log::warn!("event not delivered to the UI: {e}");
    }
    match &event {
        // The tray follows the data and the bar's health (other sources do not change it); new
        // readings come with the event, the rest is read from the cache.
        Event::IndicatorsUpdated { readings, .. } => {
            crate::tray::show_readings(app, readings.clone())
        }
        Event::Cached { .. } | Event::HeadlinesUpdated { .. } => crate::tray::request_update(app),
        Event::SourceStatus(status) => {
            // kontan changed its layout: a fixed Pantau may be out.
            let layout = status
                .error_kind
                .as_deref()
                .is_some_and(|kind| pantau_engine::error::LAYOUT_CHANGE_KINDS.contains(&kind));
            if layout {
                crate::updates::layout_changed(app);
            }
            if status.source == pantau_engine::engine::sources::BAR {
                crate::tray::request_update(app)
            }
        }
        Event::Alert { alert } if alert.shown => {
            let state = app.state::<AppState>();
            let settings = state.settings();
            if !settings.notifications {
                return;
            }
            if alert.replaces && !pantau_engine::notify::CAN_REPLACE {
                let gap = state.alert_config().min_gap_minutes;
                let (reader, shower, language) = (app.clone(), app.clone(), settings.language);
                app.state::<HeldAlerts>().hold(
                    alert.clone(),
                    gap,
                    move |symbol| change_now(&reader, symbol),
                    move |alert| deliver(&shower, alert, language),
                );
            } else {
                app.state::<HeldAlerts>().note_shown(alert);
                deliver(app, alert.clone(), settings.language);
            }
        }
        _ => {}
    }
}

/// `symbol`'s change since the previous close, as the cache holds it now.
fn change_now<R: Runtime>(app: &AppHandle<R>, symbol: &str) -> Option<f64> {
    app.state::<AppState>()
        .engine()
        .market()
        .ok()?
        .readings
        .into_iter()
        .find(|r| r.symbol == symbol)
        .map(|r| r.change_pct)
}

/// Shows `alert` as a notification and follows what the user does with it.
fn deliver<R: Runtime>(
    app: &AppHandle<R>,
    alert: pantau_engine::alerts::Alert,
    language: pantau_engine::alerts::config::Language,
) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let notifier = app.state::<Notifier>().in_language(language);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = notifier.deliver(&alert, Some(tx)).await {
            log::warn!("{e}; the alert is in the inbox");
        }
        while let Some(action) = rx.recv().await {
            match action {
                // A summary opens the inbox; a word alert its story in the reader; one market
                // alert its indicator with the move highlighted.
                AlertAction::OpenInbox => {
                    crate::window::navigate(&app, crate::window::Navigate::Alerts)
                }
                AlertAction::OpenStory { url } => {
                    crate::window::navigate(&app, crate::window::Navigate::Reader { url })
                }
                AlertAction::Open { symbol, at } => crate::window::navigate(
                    &app,
                    crate::window::Navigate::Indicator {
                        symbol,
                        at: Some(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, false)),
                    },
                ),
                AlertAction::Snooze => {
                    app.state::<AppState>().snooze(60);
                }
            }
        }
    });
}
