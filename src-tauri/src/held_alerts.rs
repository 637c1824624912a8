//! A bigger move where notifications cannot be replaced (Windows, macOS): the alert waits for
//! the end of the indicator's gap and is shown then if its move still holds; otherwise it stays
//! in the inbox only. Freedesktop servers update the notification on screen instead.

use chrono::{DateTime, FixedOffset};
use pantau_engine::alerts::Alert;
use pantau_engine::sync::Locked;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The alerts held back and the gaps they wait for; the app keeps one (`app.manage`).
#[derive(Clone, Default)]
pub struct HeldAlerts(Arc<Held>);

#[derive(Default)]
struct Held {
    /// When each indicator's last new notification (not an update) was shown: its gap starts
    /// there.
    gap_starts: Mutex<HashMap<String, DateTime<FixedOffset>>>,
    /// The alert each indicator holds back until its gap ends (the highest tier so far).
    waiting: Mutex<HashMap<String, Alert>>,
}

impl HeldAlerts {
    /// Notes a shown alert that is a notification of its own: the indicator's gap starts again.
    pub fn note_shown(&self, alert: &Alert) {
        if !alert.replaces {
            self.start_gap(&alert.symbol, alert.at);
        }
    }

    fn start_gap(&self, symbol: &str, at: DateTime<FixedOffset>) {
        self.0.gap_starts.locked().insert(symbol.to_string(), at);
    }

    fn gap_start(&self, symbol: &str) -> Option<DateTime<FixedOffset>> {
        self.0.gap_starts.locked().get(symbol).copied()
    }

    /// Holds `alert` (a higher tier inside the gap) until the gap ends, then hands it to `show`
    /// if its move still holds by the indicator's change then (`change_now`). A later, higher
    /// tier takes its place.
    pub fn hold(
        &self,
        alert: Alert,
        gap_minutes: u32,
        change_now: impl FnOnce(&str) -> Option<f64> + Send + 'static,
        show: impl FnOnce(Alert) + Send + 'static,
    ) {
        let gap = chrono::Duration::minutes(i64::from(gap_minutes));
        let started = self.gap_start(&alert.symbol);
        let wait = (started.unwrap_or(alert.at) + gap - alert.at)
            .to_std()
            .unwrap_or_default();
        let symbol = alert.symbol.clone();
        let first = self
            .0
            .waiting
            .locked()
            .insert(symbol.clone(), alert)
            .is_none();
        if !first {
            return; // the timer already running shows the newest one
        }
        log::info!("{symbol}: a bigger move inside the gap waits {wait:?}, then shows if it holds");
        let held = self.clone();
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(wait).await;
            let Some(alert) = held.0.waiting.locked().remove(&symbol) else {
                return;
            };
            let newer_shown = held.gap_start(&symbol).is_some_and(|at| at > alert.at);
            match change_now(&symbol) {
                _ if newer_shown => log::info!("{symbol}: a newer notification came first"),
                Some(change) if alert.still_holds(change) => {
                    held.start_gap(&symbol, alert.at);
                    show(alert);
                }
                _ => log::info!("{symbol}: the bigger move no longer holds; it is in the inbox"),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pantau_engine::alerts::{Direction, Rule};
    use std::sync::mpsc;
    use std::time::Duration;

    const GAP_MINUTES: u32 = 5;

    fn alert(symbol: &str, at: DateTime<FixedOffset>, tier: f64, replaces: bool) -> Alert {
        Alert {
            at,
            symbol: symbol.to_string(),
            rule: Rule::DayMove,
            direction: Direction::Up,
            tier: Some(tier),
            value: 16_600.0,
            change_pct: tier + 0.1,
            title: format!("tier {tier}"),
            body: String::new(),
            shown: true,
            replaces,
            words: Vec::new(),
            urls: Vec::new(),
        }
    }

    /// A notification shown for `symbol`, and the moment `before_end` ahead of its gap's end.
    fn shown_then(held: &HeldAlerts, symbol: &str, before_end: Duration) -> DateTime<FixedOffset> {
        let start = chrono::DateTime::parse_from_rfc3339("2026-03-02T10:01:00+07:00").unwrap();
        held.note_shown(&alert(symbol, start, 0.5, false));
        start + chrono::Duration::minutes(GAP_MINUTES.into())
            - chrono::Duration::from_std(before_end).unwrap()
    }

    fn hold_with(held: &HeldAlerts, alert: Alert, change: f64, shown: &mpsc::Sender<Alert>) {
        let shown = shown.clone();
        held.hold(
            alert,
            GAP_MINUTES,
            move |_| Some(change),
            move |a| {
                let _ = shown.send(a);
            },
        );
    }

    #[test]
    fn a_bigger_move_waits_for_the_gap_and_shows_if_it_holds() {
        let (tx, rx) = mpsc::channel();
        let held = HeldAlerts::default();
        let at = shown_then(&held, "HOLDS", Duration::from_millis(400));
        hold_with(&held, alert("HOLDS", at, 1.0, true), 1.13, &tx);
        assert!(
            rx.recv_timeout(Duration::from_millis(150)).is_err(),
            "not before the gap ends"
        );
        let shown = rx
            .recv_timeout(Duration::from_secs(5))
            .expect("shown when the gap ends");
        assert_eq!(shown.tier, Some(1.0));
    }

    #[test]
    fn a_move_that_fell_back_stays_in_the_inbox() {
        let (tx, rx) = mpsc::channel();
        let held = HeldAlerts::default();
        let at = shown_then(&held, "FELL", Duration::from_millis(200));
        hold_with(&held, alert("FELL", at, 1.0, true), 0.8, &tx);
        assert!(rx.recv_timeout(Duration::from_secs(1)).is_err());
    }

    #[test]
    fn a_higher_tier_takes_the_waiting_ones_place() {
        let (tx, rx) = mpsc::channel();
        let held = HeldAlerts::default();
        let at = shown_then(&held, "HIGHER", Duration::from_millis(400));
        hold_with(&held, alert("HIGHER", at, 1.0, true), 1.6, &tx);
        hold_with(&held, alert("HIGHER", at, 1.5, true), 1.6, &tx);
        let shown = rx.recv_timeout(Duration::from_secs(5)).expect("shown");
        assert_eq!(shown.tier, Some(1.5));
        assert!(
            rx.recv_timeout(Duration::from_millis(500)).is_err(),
            "shown once"
        );
    }

    #[test]
    fn a_newer_notification_meanwhile_comes_first() {
        let (tx, rx) = mpsc::channel();
        let held = HeldAlerts::default();
        let at = shown_then(&held, "NEWER", Duration::from_millis(300));
        hold_with(&held, alert("NEWER", at, 1.0, true), 1.2, &tx);
        held.note_shown(&alert(
            "NEWER",
            at + chrono::Duration::milliseconds(100),
            1.0,
            false,
        ));
        assert!(rx.recv_timeout(Duration::from_secs(1)).is_err());
    }
}
