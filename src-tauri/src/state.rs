//! What the app keeps while it runs: the engine, its refresh loop and the settings.

use crate::settings::AppSettings;
use pantau_engine::alerts::config::AlertConfig;
use pantau_engine::refresh::{self, Event, RefreshHandle};
use pantau_engine::store::{keys, Recovery, Store};
use pantau_engine::sync::{Locked, ReadWrite};
use pantau_engine::Engine;
use pantau_engine::{EngineConfig, Origin};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::broadcast;

/// Shared app state (managed by Tauri).
pub struct AppState {
    engine: RwLock<Arc<Engine>>,
    refresh: Mutex<Option<RefreshHandle>>,
    settings: RwLock<AppSettings>,
    db_path: PathBuf,
    origin: Origin,
    /// What happened to the cache at start, when it was not simply opened.
    cache_notice: Option<CacheNotice>,
    /// The popup is open: someone looks at the lists (the refresh loop reads more then).
    lists_shown: std::sync::atomic::AtomicBool,
}

/// The cache was damaged or cannot be written: the status line says so.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CacheNotice {
    /// `moved_aside`, `read_only` or `in_memory`.
    pub kind: &'static str,
    /// The whole story, for the log and the status line's tooltip.
    pub message: String,
}

impl From<&Recovery> for CacheNotice {
    fn from(r: &Recovery) -> Self {
        CacheNotice {
            kind: match r {
                Recovery::MovedAside { .. } => "moved_aside",
                Recovery::ReadOnly { .. } => "read_only",
                Recovery::InMemory { .. } => "in_memory",
            },
            message: r.to_string(),
        }
    }
}

impl AppState {
    /// Opens the cache once, reads the settings from it, and builds the engine over it.
    pub fn open(db_path: PathBuf, origin: Origin) -> pantau_engine::Result<AppState> {
        let (store, recovery) = Store::open_or_recover(&db_path)?;
        if let Some(r) = &recovery {
            log::warn!("{r}");
        }
        if let Some(url) = origin.url() {
            log::warn!("every kontan request goes to {url} instead of the real site");
        }
        let db_path = if matches!(
            recovery,
            Some(Recovery::InMemory { .. } | Recovery::ReadOnly { .. })
        ) {
            PathBuf::from(":memory:")
        } else {
            db_path
        };
        let settings = AppSettings::load(&store);
        sync_alert_language(&store, &settings);
        let engine = Engine::with_store(engine_config(&db_path, &origin, &settings), store)?;
        Ok(AppState {
            engine: RwLock::new(Arc::new(engine)),
            refresh: Mutex::new(None),
            settings: RwLock::new(settings),
            db_path,
            origin,
            cache_notice: recovery.as_ref().map(CacheNotice::from),
            lists_shown: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// What happened to the cache at start, if anything.
    pub fn cache_notice(&self) -> Option<CacheNotice> {
        self.cache_notice.clone()
    }

    /// The engine in use.
    pub fn engine(&self) -> Arc<Engine> {
        self.engine.read_now().clone()
    }

    /// The settings in force.
    pub fn settings(&self) -> AppSettings {
        self.settings.read_now().clone()
    }

    /// The alert rules in force.
    pub fn alert_config(&self) -> AlertConfig {
        self.engine()
            .reader()
            .get_json(keys::ALERTS)
            .unwrap_or_default()
    }

    /// Starts (or restarts) the refresh loop; returns its event stream, cache first.
    pub fn start_refresh(&self) -> pantau_engine::Result<broadcast::Receiver<Event>> {
        let mut slot = self.refresh.locked();
        *slot = None; // dropping the old handle stops its tasks
        let (handle, events) = refresh::start(self.engine())?;
        handle.set_lists_shown(self.lists_shown.load(std::sync::atomic::Ordering::Relaxed));
        *slot = Some(handle);
        Ok(events)
    }

    /// The popup opened (`true`) or closed: while it is closed, channel front pages are not read
    /// and only saved or alerted stories are fetched ahead.
    pub fn set_lists_shown(&self, shown: bool) {
        self.lists_shown
            .store(shown, std::sync::atomic::Ordering::Relaxed);
        self.with_refresh(|r| r.set_lists_shown(shown));
    }

    /// Stops the refresh loop, letting each task finish the write it is in.
    pub async fn stop_refresh(&self) {
        let handle = self.refresh.locked().take();
        if let Some(handle) = handle {
            handle.shutdown().await;
        }
    }

    /// "Perbarui sekarang": wakes every source, at most once every 10 s. False when the loop is
    /// not running or the last round was too recent.
    pub fn refresh_now(&self) -> bool {
        self.with_refresh(|r| r.refresh_now()).unwrap_or(false)
    }

    /// "Senyapkan": mutes notifications for `minutes` (1 minute to a day); alerts wait in the
    /// inbox. False when the loop is not running.
    pub fn snooze(&self, minutes: u32) -> bool {
        let until =
            chrono::Utc::now() + chrono::Duration::minutes(i64::from(minutes.clamp(1, 24 * 60)));
        self.with_refresh(|r| r.snooze(until)).is_some()
    }

    /// Runs `f` with the refresh loop, if it is running.
    pub fn with_refresh<T>(&self, f: impl FnOnce(&RefreshHandle) -> T) -> Option<T> {
        self.refresh.locked().as_ref().map(f)
    }

    /// Stores new settings and alert rules; rebuilds the engine when what it fetches changed.
    /// Returns true when the refresh loop must be restarted.
    pub fn apply_settings(
        &self,
        settings: AppSettings,
        mut alerts: AlertConfig,
    ) -> pantau_engine::Result<bool> {
        // One language everywhere: alerts are worded in the UI's.
        alerts.language = settings.language;
        let engine = self.engine();
        settings.save(&engine.store())?;
        engine.store().set_json(keys::ALERTS, &alerts)?;
        self.with_refresh(|r| r.set_alert_config(alerts));
        let old = std::mem::replace(&mut *self.settings.write_now(), settings.clone());
        let fetching_changed = old.bar_interval_secs != settings.bar_interval_secs
            || old.list_interval_secs != settings.list_interval_secs
            || old.channels != settings.channels;
        if fetching_changed {
            let config = engine_config(&self.db_path, &self.origin, &settings);
            let rebuilt = match engine.store().reopen()? {
                Some(store) => Engine::with_store(config, store)?,
                // An in-memory cache has one connection: keep the engine over it.
                None => return Ok(false),
            };
            *self.engine.write_now() = Arc::new(rebuilt);
        }
        Ok(fetching_changed)
    }
}

/// Alerts stored before their language followed the UI's take the UI's now.
fn sync_alert_language(store: &Store, settings: &AppSettings) {
    let Some(mut alerts) = store.get_json::<AlertConfig>(keys::ALERTS) else {
        return;
    };
    if alerts.language != settings.language {
        alerts.language = settings.language;
        if let Err(e) = store.set_json(keys::ALERTS, &alerts) {
            log::warn!("alert language not updated: {e}");
        }
    }
}

fn engine_config(
    db_path: &std::path::Path,
    origin: &Origin,
    settings: &AppSettings,
) -> EngineConfig {
    let mut config = EngineConfig::new(db_path.to_path_buf(), origin.clone());
    let defaults = config.intervals;
    // The settings are bounded where they are read and saved (`AppSettings::sanitized`).
    config.intervals.bar =
        Duration::try_from_secs_f64(settings.bar_interval_secs).unwrap_or(defaults.bar);
    config.intervals.channels =
        Duration::try_from_secs_f64(settings.list_interval_secs).unwrap_or(defaults.channels);
    // The feeds keep the lists fresh while the popup is closed: three times the front pages'
    // interval, and never more often than the default (15 min).
    config.intervals.feeds = (config.intervals.channels * 3).max(defaults.feeds);
    config.channels = settings.channels.clone();
    config
}
