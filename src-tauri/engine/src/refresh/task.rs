//! One periodic job: when it runs (its interval, longer while the market is closed but awake
//! at the open, its back-off after a failure), and what it reports (events, alerts, statuses).

use super::event::{Event, SourceState, SourceStatusEvent};
use super::HEADLINES_IN_EVENT;
use crate::alerts::{Alert, AlertEngine, Observation};
use crate::engine::{failure_delay, Patience, ReadingView};
use crate::error::{Error, Result};
use crate::market::Freshness;
use crate::schedule::closed_market_delay;
use crate::sources::Source;
use crate::sync::Locked;
use crate::time::to_wib;
use crate::Engine;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch, Notify};
use tokio::task::JoinHandle;

#[derive(Clone)]
pub(super) struct Ctx {
    pub(super) engine: Arc<Engine>,
    pub(super) events: broadcast::Sender<Event>,
    pub(super) refresh_now: Arc<Notify>,
    pub(super) stop: watch::Receiver<bool>,
    pub(super) alerts: Arc<Mutex<AlertEngine>>,
    pub(super) news: Arc<super::news::NewsWatch>,
    /// Someone looks at the lists (the popup is open, a terminal runs `watch`).
    pub(super) lists_shown: Arc<std::sync::atomic::AtomicBool>,
    /// Whether this run was asked for by the user or by the schedule.
    pub(super) patience: Patience,
}

impl Ctx {
    /// Whether someone looks at the lists now.
    pub(super) fn lists_shown(&self) -> bool {
        self.lists_shown.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Runs fresh readings through the alert rules; records every alert in the inbox first.
    pub(super) fn alert_on(&self, readings: &[ReadingView]) {
        let now = crate::time::now();
        let fired: Vec<Alert> = {
            let mut alerts = self.alerts.locked();
            let mut fired = alerts.tick(now);
            for r in readings {
                fired.extend(alerts.feed(&Observation {
                    symbol: r.symbol.clone(),
                    value: r.value,
                    change: r.change,
                    change_pct: r.change_pct,
                    at: now,
                    fresh: r.freshness == Freshness::Fresh && !r.stale,
                }));
            }
            // The engine's memory and the inbox rows go in together, or not at all.
            match serde_json::to_string(alerts.state()) {
                Ok(json) => {
                    if let Err(e) = self
                        .engine
                        .store()
                        .record_alerts_and_state(&fired, Some(&json))
                    {
                        tracing::warn!("alerts not recorded: {e}");
                    }
                }
                Err(e) => tracing::warn!("alert state not saved: {e}"),
            }
            fired
        };
        for alert in fired {
            self.send(Event::Alert { alert });
        }
    }

    pub(super) fn send(&self, e: Event) {
        let _ = self.events.send(e);
    }

    pub(super) fn headlines(&self, source: &Source, new: usize) -> Result<()> {
        if new > 0 {
            // Only the new ones travel (a CLI prints them); the window pulls what it shows.
            let headlines = self
                .engine
                .reader()
                .latest_headlines(None, new.min(HEADLINES_IN_EVENT))?;
            self.send(Event::HeadlinesUpdated {
                source: source.to_string(),
                new,
                headlines,
            });
            self.news.watch(&self.engine, &self.events);
        }
        Ok(())
    }

    pub(super) fn status(&self, source: &Source) {
        let Ok(s) = self.engine.store().source_status(&source.key()) else {
            return;
        };
        let failing = s.failures > 0;
        self.send(Event::SourceStatus(SourceStatusEvent {
            source: s.source,
            state: if failing {
                SourceState::Error
            } else {
                SourceState::Ok
            },
            last_ok: s.last_ok.map(to_wib),
            stale_since: if failing { s.last_ok.map(to_wib) } else { None },
            error_kind: s.error_kind,
            message: s.error_message,
            next_retry: s.next_retry.map(to_wib),
        }));
    }

    /// Runs `job` after `first_delay`, then every `interval` (longer while the market is
    /// closed), or when the source's back-off says, or when woken.
    pub(super) fn spawn<F, Fut>(
        &self,
        interval: Duration,
        first_delay: Duration,
        job: F,
    ) -> JoinHandle<()>
    where
        F: Fn(Ctx) -> Fut + Send + 'static,
        Fut: Future<Output = Result<()>> + Send + 'static,
    {
        let ctx = self.clone();
        tokio::spawn(async move {
            let mut stop = ctx.stop.clone();
            let mut delay = first_delay;
            let mut patience = Patience::Scheduled;
            let mut failures: u32 = 0;
            loop {
                if !delay.is_zero() {
                    tokio::select! {
                        _ = tokio::time::sleep(delay) => patience = Patience::Scheduled,
                        _ = ctx.refresh_now.notified() => patience = Patience::UserAsked,
                        _ = stop.changed() => return,
                    }
                }
                if *stop.borrow() {
                    return;
                }
                let run = Ctx {
                    patience,
                    ..ctx.clone()
                };
                delay = match job(run).await {
                    Ok(()) => {
                        failures = 0;
                        ctx.scheduled(interval)
                    }
                    // A round asked for moments after the last one: nothing was tried.
                    Err(Error::TooSoon(_)) => ctx.scheduled(interval),
                    // Our own back-off, stored with the source: wait out what is left of it.
                    Err(Error::BackingOff(secs)) => Duration::from_secs(secs.max(1)),
                    // Every other failure waits its back-off, whether or not it could be
                    // recorded (a full disk cannot record one): the latest of the server's
                    // Retry-After, the back-off for this run of failures and the floor.
                    Err(e) => {
                        failures = failures.saturating_add(1);
                        tracing::info!("refresh failed: {e}");
                        failure_delay(&e, failures, ctx.engine.config().error_floor())
                    }
                };
            }
        })
    }

    /// The interval, stretched while the market is closed (only towards the real site), but
    /// never past the next opening: the first reading of the day is on time.
    pub(super) fn scheduled(&self, interval: Duration) -> Duration {
        let config = self.engine.config();
        closed_market_delay(
            &config.calendar,
            crate::time::now(),
            interval,
            config.origin.is_live(),
        )
    }
}
