//! The refresh loop: one tokio task per source, each on its own schedule and back-off, all
//! reporting through one typed event channel. A failing source never blocks another.

use crate::alerts::config::AlertConfig;
use crate::alerts::{Alert, AlertEngine, AlertState, Observation};
use crate::config::CLOSED_MARKET_SLOWDOWN;
use crate::engine::{
    failure_delay, now_ms, sources, to_wib, Engine, Patience, ReadingView, Snapshot, USER_ROUND_GAP,
};
use crate::error::{Error, Result};
use crate::market::Freshness;
use crate::model::RejectedReading;
use crate::store::{keys, StoredHeadline};
use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch, Notify};
use tokio::task::JoinHandle;

/// How many headlines an update event carries, at most (the new ones).
const HEADLINES_IN_EVENT: usize = 50;

/// What the loop reports.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The cache as it stood at start, before any network.
    Cached { snapshot: Snapshot },
    /// New indicator values (or a confirmation that they still hold).
    IndicatorsUpdated {
        readings: Vec<ReadingView>,
        changed: Vec<String>,
        rejected: Vec<RejectedReading>,
    },
    /// A headline source brought news.
    HeadlinesUpdated {
        source: String,
        new: usize,
        headlines: Vec<StoredHeadline>,
    },
    /// Articles were fetched ahead for offline reading.
    ArticlesPrefetched { count: usize },
    /// A source's health changed or was re-confirmed.
    SourceStatus(SourceStatusEvent),
    /// An alert fired (shown as a notification when `shown`, always kept in the inbox).
    Alert { alert: Alert },
}

/// A source's health, as the status line shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceStatusEvent {
    pub source: String,
    /// `ok` or `error`.
    pub state: &'static str,
    pub last_ok: Option<DateTime<FixedOffset>>,
    /// Since when the data from this source has not been refreshed (on error).
    pub stale_since: Option<DateTime<FixedOffset>>,
    pub error_kind: Option<String>,
    pub message: Option<String>,
    pub next_retry: Option<DateTime<FixedOffset>>,
}

/// A running loop. Dropping it stops every task.
pub struct RefreshHandle {
    events: broadcast::Sender<Event>,
    alerts: Arc<Mutex<AlertEngine>>,
    engine: Arc<Engine>,
    refresh_now: Arc<Notify>,
    last_user_round: Mutex<Option<std::time::Instant>>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl RefreshHandle {
    /// Another subscriber to the events.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Wakes every source now ("Perbarui sekarang"): each tries once even inside its error
    /// back-off; only a server's explicit Retry-After still holds. At most one round per
    /// [`USER_ROUND_GAP`]: returns false when this one came too soon and nothing was woken.
    pub fn refresh_now(&self) -> bool {
        let mut last = self
            .last_user_round
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if last.is_some_and(|at| at.elapsed() < USER_ROUND_GAP) {
            return false;
        }
        *last = Some(std::time::Instant::now());
        self.refresh_now.notify_waiters();
        true
    }

    /// Mutes alert notifications until `until`; alerts wait in the inbox and are summed up after.
    pub fn snooze(&self, until: DateTime<Utc>) {
        let mut alerts = self.alerts.lock().unwrap_or_else(|p| p.into_inner());
        alerts.snooze(until);
        save_alert_state(&self.engine, &alerts);
    }

    /// Replaces the alert rules (keeps what already fired today).
    pub fn set_alert_config(&self, config: AlertConfig) {
        self.alerts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .set_config(config);
    }

    /// Stops every task and waits for them.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
    }
}

impl Drop for RefreshHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Starts the loop: serves the cache first (the receiver's first event), then refreshes.
pub fn start(engine: Arc<Engine>) -> Result<(RefreshHandle, broadcast::Receiver<Event>)> {
    let (events, first) = broadcast::channel(256);
    let snapshot = engine.snapshot(HEADLINES_IN_EVENT)?;
    let _ = events.send(Event::Cached { snapshot });
    let refresh_now = Arc::new(Notify::new());
    let (stop, stop_rx) = watch::channel(false);
    let live = engine.config().origin.is_live();
    let intervals = engine.config().intervals.with_floors(live);
    let mut tasks = Vec::new();
    let alerts = Arc::new(Mutex::new(load_alerts(&engine)));
    let ctx = Ctx {
        engine: engine.clone(),
        events: events.clone(),
        refresh_now: refresh_now.clone(),
        stop: stop_rx,
        alerts: alerts.clone(),
        patience: Patience::Scheduled,
    };

    tasks.push(ctx.spawn(intervals.bar, Duration::ZERO, |c| async move {
        let outcome = c.engine.refresh_bar(c.patience).await;
        c.status(sources::BAR);
        let outcome = outcome?;
        let readings = c.engine.readings(now_ms())?;
        c.alert_on(&readings);
        c.send(Event::IndicatorsUpdated {
            readings,
            changed: outcome.changed,
            rejected: outcome.rejected,
        });
        if outcome.used_fallback {
            c.status(sources::FALLBACK);
        }
        c.status(sources::HOME);
        if outcome.new_headlines > 0 {
            c.headlines(sources::HOME, outcome.new_headlines)?;
        }
        Ok(())
    }));

    let channels = engine.config().channels.clone();
    let n = channels.len().max(1) as u32;
    for (i, channel) in channels.into_iter().enumerate() {
        // Spread the channels over the interval so they never arrive at once.
        let offset = intervals.channels / n * i as u32 + Duration::from_millis(500);
        tasks.push(ctx.spawn(intervals.channels, offset, move |c| {
            let channel = channel.clone();
            async move {
                let source = sources::channel(&channel);
                let new = c.engine.refresh_channel(&channel, c.patience).await;
                c.status(&source);
                c.headlines(&source, new?)
            }
        }));
    }
    for channel in engine.config().feeds.clone() {
        tasks.push(ctx.spawn(intervals.feeds, intervals.feeds / 2, move |c| {
            let channel = channel.clone();
            async move {
                let source = sources::feed(&channel);
                let new = c.engine.refresh_feed(&channel, c.patience).await;
                c.status(&source);
                c.headlines(&source, new?)
            }
        }));
    }
    tasks.push(ctx.spawn(
        intervals.prefetch,
        Duration::from_secs(5).min(intervals.prefetch),
        |c| async move {
            let count = c.engine.prefetch_articles().await?;
            if count > 0 {
                c.send(Event::ArticlesPrefetched { count });
            }
            Ok(())
        },
    ));
    tasks.push(ctx.spawn(
        Duration::from_secs(6 * 3600),
        Duration::ZERO,
        |c| async move {
            let removed = c.engine.prune()?;
            tracing::info!("retention removed {removed} rows");
            Ok(())
        },
    ));
    Ok((
        RefreshHandle {
            events,
            alerts,
            engine,
            refresh_now,
            last_user_round: Mutex::new(None),
            stop,
            tasks,
        },
        first,
    ))
}

fn load_alerts(engine: &Engine) -> AlertEngine {
    let store = engine.store();
    let config: AlertConfig = store.get_json(keys::ALERTS).unwrap_or_default();
    let state: AlertState = store.get_json(keys::ALERT_STATE).unwrap_or_default();
    AlertEngine::with_state(config, state)
}

fn save_alert_state(engine: &Engine, alerts: &AlertEngine) {
    if let Err(e) = engine.store().set_json(keys::ALERT_STATE, alerts.state()) {
        tracing::warn!("alert state not saved: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::MarketCalendar;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn closed_market_waits_longer_but_wakes_at_the_open() {
        let c = MarketCalendar::default();
        let minute = Duration::from_secs(60);
        assert_eq!(
            closed_market_delay(&c, at("2025-04-29T10:00:00+07:00"), minute, true),
            minute,
            "open: the interval"
        );
        assert_eq!(
            closed_market_delay(&c, at("2025-04-29T20:00:00+07:00"), minute, true),
            minute * 5,
            "closed: five times longer"
        );
        assert_eq!(
            closed_market_delay(&c, at("2025-04-29T08:58:30+07:00"), minute, true),
            Duration::from_secs(91),
            "a moment after 09:00, not five minutes later"
        );
        assert_eq!(
            closed_market_delay(&c, at("2025-04-29T20:00:00+07:00"), minute, false),
            minute,
            "the fixture site is never slowed"
        );
        assert_eq!(
            closed_market_delay(
                &c,
                at("2025-04-29T20:00:00+07:00"),
                Duration::from_secs(u64::MAX / 2),
                true
            ),
            (at("2025-04-30T09:00:00+07:00") - at("2025-04-29T20:00:00+07:00"))
                .to_std()
                .unwrap()
                + Duration::from_secs(1),
            "huge intervals saturate instead of overflowing"
        );
    }
}

#[derive(Clone)]
struct Ctx {
    engine: Arc<Engine>,
    events: broadcast::Sender<Event>,
    refresh_now: Arc<Notify>,
    stop: watch::Receiver<bool>,
    alerts: Arc<Mutex<AlertEngine>>,
    /// Whether this run was asked for by the user or by the schedule.
    patience: Patience,
}

impl Ctx {
    /// Runs fresh readings through the alert rules; records every alert in the inbox first.
    fn alert_on(&self, readings: &[ReadingView]) {
        let now = Utc::now();
        let fired: Vec<Alert> = {
            let mut alerts = self.alerts.lock().unwrap_or_else(|p| p.into_inner());
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
        if fired.is_empty() {
            return;
        }
        for alert in fired {
            self.send(Event::Alert { alert });
        }
    }

    fn send(&self, e: Event) {
        let _ = self.events.send(e);
    }

    fn headlines(&self, source: &str, new: usize) -> Result<()> {
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
        }
        Ok(())
    }

    fn status(&self, source: &str) {
        let Ok(s) = self.engine.store().source_status(source) else {
            return;
        };
        let failing = s.failures > 0;
        self.send(Event::SourceStatus(SourceStatusEvent {
            source: s.source,
            state: if failing { "error" } else { "ok" },
            last_ok: s.last_ok.map(to_wib),
            stale_since: if failing { s.last_ok.map(to_wib) } else { None },
            error_kind: s.error_kind,
            message: s.error_message,
            next_retry: s.next_retry.map(to_wib),
        }));
    }

    /// Runs `job` after `first_delay`, then every `interval` (longer while the market is
    /// closed), or when the source's back-off says, or when woken.
    fn spawn<F, Fut>(&self, interval: Duration, first_delay: Duration, job: F) -> JoinHandle<()>
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
    fn scheduled(&self, interval: Duration) -> Duration {
        let config = self.engine.config();
        closed_market_delay(
            &config.calendar,
            Utc::now(),
            interval,
            config.origin.is_live(),
        )
    }
}

/// How long to wait for the next run at `now`: `interval` while the market is open (or when
/// not talking to the real site), [`CLOSED_MARKET_SLOWDOWN`] times longer while it is closed,
/// cut short to wake a moment after the next opening.
pub fn closed_market_delay(
    calendar: &crate::market::MarketCalendar,
    now: DateTime<Utc>,
    interval: Duration,
    live: bool,
) -> Duration {
    if !live || calendar.is_open(now) {
        return interval;
    }
    let slow = interval.saturating_mul(CLOSED_MARKET_SLOWDOWN);
    match calendar.next_open(now) {
        Some(open) => {
            let until = (open - now).to_std().unwrap_or(Duration::ZERO) + Duration::from_secs(1);
            slow.min(until)
        }
        None => slow,
    }
}
