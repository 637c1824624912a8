//! The alert inbox and "Senyapkan 1 jam".

use crate::error::Result;
use crate::state::AppState;
use pantau_engine::alerts::Alert;
use tauri::State;

/// The inbox, newest first.
#[tauri::command(async)]
pub fn alerts_inbox(state: State<'_, AppState>, limit: Option<usize>) -> Result<Vec<Alert>> {
    Ok(state
        .engine()
        .reader()
        .alerts(limit.unwrap_or(100).min(500))?)
}

/// Mutes alert notifications for `minutes` (60 by default).
#[tauri::command(async)]
pub fn snooze_alerts(state: State<'_, AppState>, minutes: Option<u32>) -> bool {
    state.snooze(minutes.unwrap_or(60))
}
