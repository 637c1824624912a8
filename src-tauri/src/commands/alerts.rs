//! The alert inbox and "Senyapkan 1 jam".

use crate::error::Result;
use crate::state::AppState;
use pantau_engine::alerts::Alert;
use serde::Serialize;
use tauri::State;

/// The inbox, newest first; the user is looking at it, so every alert in it is now seen.
#[tauri::command(async)]
pub fn alerts_inbox(state: State<'_, AppState>, limit: Option<usize>) -> Result<Vec<Alert>> {
    let engine = state.engine();
    let alerts = engine.reader().alerts(limit.unwrap_or(100).min(500))?;
    engine.store().mark_alerts_seen()?;
    Ok(alerts)
}

/// How many shown alerts wait unseen in the inbox (the count on its tab, from the cache).
#[tauri::command(async)]
pub fn alerts_unseen(state: State<'_, AppState>) -> Result<usize> {
    Ok(state.engine().reader().unseen_alerts()?)
}

/// One word and the headlines of today it would have matched.
#[derive(Debug, Serialize)]
pub struct WordPreview {
    /// The word as typed.
    pub word: String,
    /// Today's cached headlines it matches, newest first (at most a few).
    pub headlines: Vec<PreviewHeadline>,
    /// How many of today's headlines it matches in all.
    pub count: usize,
}

/// A headline in a word's preview.
#[derive(Debug, Serialize)]
pub struct PreviewHeadline {
    /// The headline.
    pub title: String,
    /// Its address.
    pub url: String,
}

/// Which of today's cached headlines (WIB) each word would have matched.
#[tauri::command(async)]
pub fn word_preview(state: State<'_, AppState>, words: Vec<String>) -> Result<Vec<WordPreview>> {
    use pantau_engine::alerts::words::{clean_word, matched};
    let today = pantau_engine::time::to_wib(pantau_engine::time::now_ms()).date_naive();
    let headlines: Vec<_> = state
        .engine()
        .reader()
        .latest_headlines(None, 500)?
        .into_iter()
        .filter(|h| {
            let when = h
                .headline
                .published_at
                .unwrap_or_else(|| pantau_engine::time::to_wib(h.first_seen));
            when.date_naive() == today
        })
        .collect();
    Ok(words
        .iter()
        .filter_map(|w| clean_word(w))
        .take(pantau_engine::alerts::words::MAX_WORDS)
        .map(|word| {
            let one = [word.clone()];
            let hits: Vec<_> = headlines
                .iter()
                .filter(|h| !matched(&h.headline.title, &one).is_empty())
                .collect();
            WordPreview {
                count: hits.len(),
                headlines: hits
                    .iter()
                    .take(3)
                    .map(|h| PreviewHeadline {
                        title: h.headline.title.clone(),
                        url: h.headline.url.clone(),
                    })
                    .collect(),
                word,
            }
        })
        .collect())
}

/// Mutes alert notifications for `minutes` (60 by default).
#[tauri::command(async)]
pub fn snooze_alerts(state: State<'_, AppState>, minutes: Option<u32>) -> bool {
    state.snooze(minutes.unwrap_or(60))
}
