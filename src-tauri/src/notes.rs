//! Notifications of Pantau's own, not alerts: that Pantau runs on a desktop with no tray, that a
//! newer version is out (with "Pasang sekarang" where Pantau installs it itself). A click opens
//! the popup (at a view, if given).

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

/// Shows a note of Pantau's own; a click on it opens the popup, at `to` if given.
pub fn announce<R: Runtime>(
    app: &AppHandle<R>,
    title: String,
    body: String,
    to: Option<crate::window::Navigate>,
) {
    ask(
        app,
        title,
        body,
        Vec::new(),
        move |app, _clicked| match &to {
            Some(to) => crate::window::navigate(app, to.clone()),
            None => crate::window::show_main(app),
        },
    );
}

/// Shows a note of Pantau's own with buttons (`choices`: id, label); `on_choice` is given the
/// id of each button the user chooses, or `"open"` for a click on the note itself.
pub fn ask<R: Runtime>(
    app: &AppHandle<R>,
    title: String,
    body: String,
    choices: Vec<(String, String)>,
    on_choice: impl Fn(&AppHandle<R>, &str) + Send + 'static,
) {
    let language = app.state::<AppState>().settings().language;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let notifier = app.state::<Notifier>().in_language(language);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = notifier.ask(&title, &body, choices, tx).await {
            log::warn!("{e}");
        }
        while let Some(choice) = rx.recv().await {
            on_choice(&app, &choice);
        }
    });
}
