//! Word alerts in the refresh loop: every headline first seen since the last look goes through
//! the user's words; a job of its own shows the summary of what waited when it falls due.

use super::event::Event;
use crate::alerts::config::AlertConfig;
use crate::alerts::news::{NewsAlerts, NewsRules, NewsState, Story};
use crate::alerts::Alert;
use crate::store::{keys, Millis};
use crate::sync::Locked;
use crate::time::now_ms;
use crate::Engine;
use chrono::{DateTime, Utc};
use std::sync::Mutex;
use tokio::sync::{broadcast, watch, Notify};

/// Headlines looked at per round, at most (a round brings a few).
const PER_ROUND: usize = 500;

/// Word alerts' engine, and where the loop stands in the headlines.
pub(crate) struct NewsWatch {
    alerts: Mutex<NewsAlerts>,
    /// Headlines first seen after this have not been looked at yet.
    since: Mutex<Millis>,
    /// Rung when something waits for a summary, or the rules change.
    changed: Notify,
}

impl NewsWatch {
    /// Carries on from the saved state; headlines already cached at start are not news.
    pub(crate) fn load(engine: &Engine) -> NewsWatch {
        let store = engine.store();
        let config: AlertConfig = store.get_json(keys::ALERTS).unwrap_or_default();
        let state: NewsState = store.get_json(keys::NEWS_ALERT_STATE).unwrap_or_default();
        NewsWatch {
            alerts: Mutex::new(NewsAlerts::new(NewsRules::of(&config), state)),
            since: Mutex::new(now_ms()),
            changed: Notify::new(),
        }
    }

    fn alerts(&self) -> std::sync::MutexGuard<'_, NewsAlerts> {
        self.alerts.locked()
    }

    /// New rules (words, quiet hours, the switch); what was notified stays notified.
    pub(crate) fn set_rules(&self, config: &AlertConfig) {
        self.alerts().set_rules(NewsRules::of(config));
        self.changed.notify_waiters();
    }

    /// When the summary of what waits is due.
    fn summary_due(&self) -> Option<DateTime<Utc>> {
        self.alerts().summary_due()
    }
}

impl NewsWatch {
    /// Runs the headlines first seen since the last look through the user's words; reports the
    /// alerts on `events`.
    pub(super) fn watch(&self, engine: &Engine, events: &broadcast::Sender<Event>) {
        let now = crate::time::now();
        let headlines = {
            let since = *self.since.locked();
            match engine.reader().headlines_first_seen_after(since, PER_ROUND) {
                Ok(h) => h,
                Err(e) => {
                    tracing::warn!("word alerts could not read the headlines: {e}");
                    return;
                }
            }
        };
        let Some(last) = headlines.last().map(|h| h.first_seen) else {
            return;
        };
        *self.since.locked() = last;
        let fired: Vec<Alert> = {
            let mut alerts = self.alerts();
            headlines
                .iter()
                .flat_map(|h| {
                    let story = Story {
                        url: h.headline.url.clone(),
                        title: h.headline.title.clone(),
                        published_at: h.headline.published_at.map(|p| p.with_timezone(&Utc)),
                        first_seen: DateTime::from_timestamp_millis(h.first_seen).unwrap_or(now),
                    };
                    alerts.feed(&story, now)
                })
                .map(|a| a.into_alert())
                .collect::<Vec<_>>()
        };
        self.record(fired, engine, events);
        self.changed.notify_one();
    }

    /// Shows the summary of what waited when it falls due; sleeps until then (or a change),
    /// until `stop` changes.
    pub(super) async fn summaries(
        self: std::sync::Arc<Self>,
        engine: std::sync::Arc<Engine>,
        events: broadcast::Sender<Event>,
        mut stop: watch::Receiver<bool>,
    ) {
        loop {
            let due = self.summary_due();
            let wait = due.map(|d| (d - crate::time::now()).to_std().unwrap_or_default());
            tokio::select! {
                _ = async {
                    match wait {
                        Some(w) => tokio::time::sleep(w).await,
                        None => std::future::pending().await,
                    }
                } => {
                    let fired: Vec<Alert> = self
                        .alerts()
                        .tick(crate::time::now())
                        .into_iter()
                        .map(|a| a.into_alert())
                        .collect();
                    self.record(fired, &engine, &events);
                }
                _ = self.changed.notified() => {}
                _ = stop.changed() => return,
            }
        }
    }

    /// Records word alerts in the inbox with the engine's memory, then reports them.
    fn record(&self, fired: Vec<Alert>, engine: &Engine, events: &broadcast::Sender<Event>) {
        let state = serde_json::to_string(self.alerts().state());
        match state {
            Ok(json) => {
                let saved = engine
                    .store()
                    .record_alerts_with(&fired, Some((keys::NEWS_ALERT_STATE, &json)));
                if let Err(e) = saved {
                    tracing::warn!("word alerts not recorded: {e}");
                }
            }
            Err(e) => tracing::warn!("word alert state not saved: {e}"),
        }
        for alert in fired {
            let _ = events.send(Event::Alert { alert });
        }
    }
}
