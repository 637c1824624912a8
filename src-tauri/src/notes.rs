//! Notifications of Pantau's own, not alerts: that Pantau runs on a desktop with no tray, that a
//! newer version is out. A click opens the popup (at a view, if given).

use crate::state::AppState;
use pantau_engine::notify::Notifier;
use tauri::{AppHandle, Manager, Runtime};

/// Says once, in a notification, that Pantau runs and how to open it (a desktop with no tray);
/// a click on it opens the popup.
pub fn announce_running<R: Runtime>(app: &AppHandle<R>) {
    let language = app.state::<AppState>().settings().language;
    let title = crate::i18n::t(language, "note.running_title", &[]);
    let body = crate::i18n::t(language, "note.running_body", &[]);
    announce(app, title, body, None);
}

/// Shows a note of Pantau's own (not an alert); a click on it opens the popup, at `to` if given.
pub fn announce<R: Runtime>(
    app: &AppHandle<R>,
    title: String,
    body: String,
    to: Option<crate::window::Navigate>,
) {
    let language = app.state::<AppState>().settings().language;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let notifier = app.state::<Notifier>().in_language(language);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = notifier.announce(&title, &body, tx).await {
            log::warn!("{e}");
        }
        while rx.recv().await.is_some() {
            match &to {
                Some(to) => crate::window::navigate(&app, to.clone()),
                None => crate::window::show_main(&app),
            }
        }
    });
}
