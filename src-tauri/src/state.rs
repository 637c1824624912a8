//! What the app keeps while it runs: the engine, its refresh loop and the settings.

use crate::settings::AppSettings;
use pantau_engine::alerts::config::AlertConfig;
use pantau_engine::engine::Engine;
use pantau_engine::refresh::{self, Event, RefreshHandle, ALERT_CONFIG_KEY};
use pantau_engine::store::Store;
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
    /// URLs behind the tray menu's headline items, by position.
    pub tray_headlines: Mutex<Vec<String>>,
}

impl AppState {
    /// Opens the cache once, reads the settings from it, and builds the engine over it.
    pub fn open(db_path: PathBuf, origin: Origin) -> pantau_engine::Result<AppState> {
        let store = Store::open(&db_path)?;
        let settings = AppSettings::load(&store);
        let engine = Engine::with_store(engine_config(&db_path, &origin, &settings), store)?;
        Ok(AppState {
            engine: RwLock::new(Arc::new(engine)),
            refresh: Mutex::new(None),
            settings: RwLock::new(settings),
            db_path,
            origin,
            tray_headlines: Mutex::new(Vec::new()),
        })
    }

    /// The engine in use.
    pub fn engine(&self) -> Arc<Engine> {
        self.engine
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The settings in force.
    pub fn settings(&self) -> AppSettings {
        self.settings
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The alert rules in force.
    pub fn alert_config(&self) -> AlertConfig {
        self.engine()
            .store()
            .setting(ALERT_CONFIG_KEY)
            .ok()
            .flatten()
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default()
    }

    /// Starts (or restarts) the refresh loop; returns its event stream, cache first.
    pub fn start_refresh(&self) -> pantau_engine::Result<broadcast::Receiver<Event>> {
        let mut slot = self.refresh.lock().unwrap_or_else(|p| p.into_inner());
        *slot = None; // dropping the old handle stops its tasks
        let (handle, events) = refresh::start(self.engine())?;
        *slot = Some(handle);
        Ok(events)
    }

    /// Runs `f` with the refresh loop, if it is running.
    pub fn with_refresh<T>(&self, f: impl FnOnce(&RefreshHandle) -> T) -> Option<T> {
        self.refresh
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(f)
    }

    /// Stores new settings and alert rules; rebuilds the engine when what it fetches changed.
    /// Returns true when the refresh loop must be restarted.
    pub fn apply_settings(
        &self,
        settings: AppSettings,
        alerts: AlertConfig,
    ) -> pantau_engine::Result<bool> {
        let engine = self.engine();
        settings.save(&engine.store())?;
        let json = serde_json::to_string(&alerts)
            .map_err(|e| pantau_engine::Error::Cache(e.to_string()))?;
        engine.store().set_setting(ALERT_CONFIG_KEY, &json)?;
        self.with_refresh(|r| r.set_alert_config(alerts));
        let old = std::mem::replace(
            &mut *self.settings.write().unwrap_or_else(|p| p.into_inner()),
            settings.clone(),
        );
        let fetching_changed = old.bar_interval_secs != settings.bar_interval_secs
            || old.list_interval_secs != settings.list_interval_secs
            || old.channels != settings.channels;
        if fetching_changed {
            let rebuilt = Engine::open(engine_config(&self.db_path, &self.origin, &settings))?;
            *self.engine.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(rebuilt);
        }
        Ok(fetching_changed)
    }
}

fn engine_config(
    db_path: &std::path::Path,
    origin: &Origin,
    settings: &AppSettings,
) -> EngineConfig {
    let mut config = EngineConfig::new(db_path.to_path_buf(), origin.clone());
    config.intervals.bar = Duration::from_secs_f64(settings.bar_interval_secs);
    config.intervals.channels = Duration::from_secs_f64(settings.list_interval_secs);
    config.intervals.feeds = Duration::from_secs_f64(settings.list_interval_secs);
    config.channels = settings.channels.clone();
    config
}
