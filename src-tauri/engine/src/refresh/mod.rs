//! The refresh loop: one tokio task per source, each on its own schedule and back-off, all
//! reporting through one typed event channel ([`event`]). A failing source never blocks another;
//! how each task decides when to run next is in [`task`].

mod event;
mod news;
pub(crate) mod task;

pub use crate::schedule::closed_market_delay;
pub use event::{Event, SourceState, SourceStatusEvent};

use crate::alerts::config::AlertConfig;
use crate::alerts::{AlertEngine, AlertState};
use crate::engine::{Patience, USER_ROUND_GAP};
use crate::error::Result;
use crate::sources::Source;
use crate::store::keys;
use crate::sync::Locked;
use crate::time::now_ms;
use crate::Engine;
use chrono::{DateTime, Utc};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use task::Ctx;
use tokio::sync::{broadcast, watch, Notify};
use tokio::task::JoinHandle;

/// How many headlines an update event carries, at most (the new ones).
pub(crate) const HEADLINES_IN_EVENT: usize = 50;

/// A running loop. Dropping it stops every task.
pub struct RefreshHandle {
    events: broadcast::Sender<Event>,
    alerts: Arc<Mutex<AlertEngine>>,
    news: Arc<news::NewsWatch>,
    lists_shown: Arc<std::sync::atomic::AtomicBool>,
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
        let mut last = self.last_user_round.locked();
        if last.is_some_and(|at| at.elapsed() < USER_ROUND_GAP) {
            return false;
        }
        *last = Some(std::time::Instant::now());
        self.refresh_now.notify_waiters();
        true
    }

    /// Mutes alert notifications until `until`; alerts wait in the inbox and are summed up after.
    pub fn snooze(&self, until: DateTime<Utc>) {
        let mut alerts = self.alerts.locked();
        alerts.snooze(until);
        save_alert_state(&self.engine, &alerts);
    }

    /// Whether someone looks at the lists (the popup is open; `true` at start, as for a
    /// terminal running `watch`). While nobody does, channel front pages are not read (their
    /// feeds keep the headlines coming) and only saved or alerted stories are fetched ahead.
    pub fn set_lists_shown(&self, shown: bool) {
        self.lists_shown
            .store(shown, std::sync::atomic::Ordering::Relaxed);
    }

    /// Replaces the alert rules (keeps what already fired today), word alerts' too.
    pub fn set_alert_config(&self, config: AlertConfig) {
        self.news.set_rules(&config);
        self.alerts.locked().set_config(config);
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
    let news = Arc::new(news::NewsWatch::load(&engine));
    let lists_shown = Arc::new(std::sync::atomic::AtomicBool::new(true));
    // Each install keeps its own place in every interval, so ten thousand of them never ask
    // kontan in the same second.
    let offset = schedule_offset(&engine);
    let ctx = Ctx {
        engine: engine.clone(),
        events: events.clone(),
        refresh_now: refresh_now.clone(),
        stop: stop_rx,
        alerts: alerts.clone(),
        news: news.clone(),
        lists_shown: lists_shown.clone(),
        patience: Patience::Scheduled,
    };
    tasks.push(tokio::spawn(news.clone().summaries(
        engine.clone(),
        ctx.events.clone(),
        ctx.stop.clone(),
    )));

    tasks.push(ctx.spawn(intervals.bar, Duration::ZERO, |c| async move {
        let outcome = c.engine.refresh_bar(c.patience).await;
        c.status(&Source::Bar);
        let outcome = outcome?;
        let readings = c.engine.readings(now_ms())?;
        c.alert_on(&readings);
        c.send(Event::IndicatorsUpdated {
            readings,
            changed: outcome.changed,
            rejected: outcome.rejected,
        });
        if outcome.used_fallback {
            c.status(&Source::Fallback);
        }
        c.status(&Source::Home);
        if outcome.new_headlines > 0 {
            c.headlines(&Source::Home, outcome.new_headlines)?;
        }
        Ok(())
    }));

    let channels = engine.config().channels.clone();
    let n = channels.len().max(1) as u32;
    for (i, channel) in channels.into_iter().enumerate() {
        // Spread the channels over the interval so they never arrive at once.
        let offset = intervals.channels / n * i as u32 + Duration::from_millis(500);
        tasks.push(list_task(
            &ctx,
            ListKind::Channel,
            channel,
            intervals.channels,
            offset,
        ));
    }
    // Every followed channel is also read through its RSS feed: small, and answered "not
    // modified" while nothing is new. This is what keeps the headlines coming while nobody looks.
    let feeds = engine.config().feed_channels();
    let n = feeds.len().max(1) as u32;
    for (i, channel) in feeds.into_iter().enumerate() {
        // Spread over the interval, shifted by this install's own offset.
        let place = (i as f64 / f64::from(n) + offset).fract();
        let first = intervals.feeds.mul_f64(place);
        tasks.push(list_task(
            &ctx,
            ListKind::Feed,
            channel,
            intervals.feeds,
            first + Duration::from_millis(250),
        ));
    }
    tasks.push(ctx.spawn(
        intervals.prefetch,
        Duration::from_secs(5).min(intervals.prefetch),
        |c| async move {
            let count = c.engine.prefetch_articles(c.lists_shown()).await?;
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
            news,
            lists_shown,
            engine,
            refresh_now,
            last_user_round: Mutex::new(None),
            stop,
            tasks,
        },
        first,
    ))
}

/// A headline list a task follows.
#[derive(Clone, Copy)]
enum ListKind {
    Channel,
    Feed,
}

/// The task that keeps one channel's front page (or its feed) fresh.
fn list_task(
    ctx: &Ctx,
    kind: ListKind,
    channel: String,
    interval: Duration,
    first_delay: Duration,
) -> JoinHandle<()> {
    // Set once kontan answers that this channel has no feed: its front page is read instead.
    let no_feed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    ctx.spawn(interval, first_delay, move |c| {
        let channel = channel.clone();
        let no_feed = no_feed.clone();
        async move {
            let feedless = no_feed.load(std::sync::atomic::Ordering::Relaxed);
            let (source, new) = match kind {
                ListKind::Feed if feedless => (
                    Source::Channel(channel.clone()),
                    c.engine.refresh_channel(&channel, c.patience).await,
                ),
                // A channel's front page is read only while someone looks at the lists.
                ListKind::Channel if !c.lists_shown() => return Ok(()),
                ListKind::Channel => (
                    Source::Channel(channel.clone()),
                    c.engine.refresh_channel(&channel, c.patience).await,
                ),
                ListKind::Feed => match c.engine.refresh_feed(&channel, c.patience).await {
                    // A channel kontan gives no feed is read from its front page instead.
                    Err(crate::Error::HttpStatus(404 | 410)) => {
                        c.status(&Source::Feed(channel.clone()));
                        tracing::info!("{channel} has no feed: its front page is read instead");
                        no_feed.store(true, std::sync::atomic::Ordering::Relaxed);
                        (
                            Source::Channel(channel.clone()),
                            c.engine.refresh_channel(&channel, c.patience).await,
                        )
                    }
                    other => (Source::Feed(channel.clone()), other),
                },
            };
            c.status(&source);
            c.headlines(&source, new?)
        }
    })
}

/// This install's place in every interval, a fraction from 0 to 1 drawn once and kept.
fn schedule_offset(engine: &Engine) -> f64 {
    let store = engine.store();
    if let Some(kept) = store
        .get_json::<f64>(keys::SCHEDULE_OFFSET)
        .filter(|f| (0.0..1.0).contains(f))
    {
        return kept;
    }
    let drawn = fastrand::f64();
    if let Err(e) = store.set_json(keys::SCHEDULE_OFFSET, &drawn) {
        tracing::info!("schedule offset not kept: {e}");
    }
    drawn
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
