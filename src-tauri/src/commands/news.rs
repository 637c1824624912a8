//! Headlines, the reader and search.

use crate::error::Result;
use crate::state::AppState;
use pantau_engine::store::{SearchHit, StoredHeadline};
use pantau_engine::time::to_wib;
use pantau_engine::Article;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

/// The newest headlines, optionally of one channel.
#[tauri::command(async)]
pub fn headlines(
    state: State<'_, AppState>,
    channel: Option<String>,
    limit: Option<usize>,
) -> Result<Vec<StoredHeadline>> {
    let channel = channel.filter(|c| !c.is_empty());
    Ok(state
        .engine()
        .reader()
        .latest_headlines(channel.as_deref(), limit.unwrap_or(100).min(500))?)
}

/// An article for the reader.
#[derive(Debug, Serialize)]
pub struct ReaderArticle {
    #[serde(flatten)]
    /// The article.
    pub article: Article,
    /// When it was fetched (WIB).
    pub fetched_at: chrono::DateTime<chrono::FixedOffset>,
}

/// A whole article (from the cache when offline); marks it read.
#[tauri::command]
pub async fn article<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    url: String,
    refresh: Option<bool>,
) -> Result<ReaderArticle> {
    let engine = state.engine();
    let (article, fetched_at) = engine.article(&url, refresh.unwrap_or(false)).await?;
    // Marks the headline read under whichever address it is listed (the store follows aliases).
    engine.store().set_read(&article.url, true)?;
    crate::tray::request_update(&app);
    Ok(ReaderArticle {
        article,
        fetched_at: to_wib(fetched_at),
    })
}

/// A cached article's lead picture as a `data:` address: fetched by the engine from kontan's
/// hosts (never by the webview) and kept with the article. `None` when it has none to show.
#[tauri::command]
pub async fn lead_image(state: State<'_, AppState>, url: String) -> Result<Option<String>> {
    use base64::Engine as _;
    let engine = state.engine();
    let cached = engine.reader().article(&url)?;
    let Some((article, _)) = cached else {
        return Ok(None);
    };
    let image = engine.lead_image(&article).await?;
    Ok(image.map(|i| {
        let data = base64::engine::general_purpose::STANDARD.encode(&i.bytes);
        format!("data:{};base64,{data}", i.media_type)
    }))
}

/// Search over cached headlines and article text.
#[tauri::command(async)]
pub fn search(state: State<'_, AppState>, query: String) -> Result<Vec<SearchHit>> {
    Ok(state.engine().reader().search(&query, 50)?)
}

/// Marks a headline read or unread.
#[tauri::command(async)]
pub fn mark_read<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    url: String,
    read: bool,
) -> Result<bool> {
    let changed = state.engine().store().set_read(&url, read)?;
    crate::tray::request_update(&app);
    Ok(changed)
}

/// Marks every headline read (of one channel, when given); returns how many were unread.
#[tauri::command(async)]
pub fn mark_all_read<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    channel: Option<String>,
) -> Result<usize> {
    let channel = channel.filter(|c| !c.is_empty());
    let changed = state.engine().store().mark_all_read(channel.as_deref())?;
    crate::tray::request_update(&app);
    Ok(changed)
}

/// Saves a headline for later ("Tersimpan"), or takes it out; saved ones, and their articles,
/// outlive retention. Saving also fetches the article if the cache lacks it, so it reads offline.
#[tauri::command]
pub async fn set_saved(state: State<'_, AppState>, url: String, saved: bool) -> Result<bool> {
    let engine = state.engine();
    let changed = engine.store().set_starred(&url, saved)?;
    if saved {
        // A saved story reads offline, with its picture.
        match engine.article(&url, false).await {
            Ok((article, _)) => {
                if let Err(e) = engine.lead_image(&article).await {
                    log::info!("saved without its picture for now: {e}");
                }
            }
            Err(e) => log::info!("saved without its article for now: {e}"),
        }
    }
    Ok(changed)
}

/// The saved headlines, newest first.
#[tauri::command(async)]
pub fn saved_headlines(
    state: State<'_, AppState>,
    limit: Option<usize>,
) -> Result<Vec<StoredHeadline>> {
    Ok(state
        .engine()
        .reader()
        .saved_headlines(limit.unwrap_or(100).min(500))?)
}
