//! The market strip: readings, today's sparklines, source health, "Perbarui sekarang".

use crate::error::Result;
use crate::state::AppState;
use pantau_engine::engine::{now_ms, ReadingView};
use pantau_engine::store::SourceStatus;
use serde::Serialize;
use std::collections::BTreeMap;
use tauri::State;

/// What the market strip shows.
#[derive(Debug, Serialize)]
pub struct Market {
    pub readings: Vec<ReadingView>,
    /// Today's values per symbol, oldest first.
    pub sparklines: BTreeMap<String, Vec<f64>>,
    pub sources: Vec<SourceStatus>,
    pub market_open: bool,
    /// What happened to the cache at start, when it was not simply opened.
    pub cache_notice: Option<crate::state::CacheNotice>,
}

/// The latest readings with their freshness, sparklines and source health (from the cache).
#[tauri::command(async)]
pub fn market(state: State<'_, AppState>) -> Result<Market> {
    market_of(&state)
}

/// The same, for callers that hold the state directly.
pub fn market_of(state: &AppState) -> Result<Market> {
    let engine = state.engine();
    let now = now_ms();
    let readings = engine.readings(now)?;
    let store = engine.reader();
    let mut sparklines = BTreeMap::new();
    for r in &readings {
        let since = start_of_day_wib(now);
        let values: Vec<f64> = store
            .readings_since(&r.symbol, since)?
            .into_iter()
            .map(|s| s.reading.value)
            .collect();
        sparklines.insert(r.symbol.clone(), values);
    }
    Ok(Market {
        readings,
        sparklines,
        sources: store.all_source_status()?,
        market_open: engine.config().calendar.is_open(chrono::Utc::now()),
        cache_notice: state.cache_notice(),
    })
}

fn start_of_day_wib(now: i64) -> i64 {
    const DAY: i64 = 86_400_000;
    const WIB: i64 = 7 * 3_600_000;
    (now + WIB) / DAY * DAY - WIB
}

/// Wakes every source now; back-offs still hold.
#[tauri::command(async)]
pub fn refresh_now(state: State<'_, AppState>) -> bool {
    state.with_refresh(|r| r.refresh_now()).unwrap_or(false)
}
