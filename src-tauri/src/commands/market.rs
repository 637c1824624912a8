//! The market strip: readings, today's sparklines, source health, "Perbarui sekarang".

use crate::error::Result;
use crate::state::AppState;
use serde::Serialize;
use tauri::State;

/// What the market strip shows: the engine's market view, and what happened to the cache at
/// start when it was not simply opened.
#[derive(Debug, Serialize)]
pub struct Market {
    #[serde(flatten)]
    /// The engine's market view.
    pub market: pantau_engine::engine::Market,
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
    Ok(Market {
        market: state.engine().market()?,
        cache_notice: state.cache_notice(),
    })
}

/// How many headlines an indicator's view lists.
const RELATED_HEADLINES: usize = 6;

/// One indicator's own view: its reading, today's line and alerts, the newest news about it.
#[tauri::command(async)]
pub fn indicator(
    state: State<'_, AppState>,
    symbol: String,
) -> Result<pantau_engine::engine::IndicatorDetail> {
    Ok(state.engine().indicator(&symbol, RELATED_HEADLINES)?)
}

/// Wakes every source now; back-offs still hold.
#[tauri::command(async)]
pub fn refresh_now(state: State<'_, AppState>) -> bool {
    state.refresh_now()
}
