//! Seen on the taskbar: Windows 11 puts a new program's tray icon in the taskbar's hidden
//! overflow, where a new user may never see the ticker. Pantau says so once, in a notification
//! and in the popup, with one button that brings the icon onto the taskbar (only on that click)
//! and a line saying where the same switch lives in Windows' Settings.

use crate::state::AppState;
use pantau_engine::store::keys::TASKBAR_TOLD;
use serde::Serialize;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// The event that carries a new [`TaskbarStatus`].
pub const TASKBAR_EVENT: &str = "pantau://taskbar";

/// When Pantau looks where its icon is after start: Explorer writes its entry once the icon has
/// been shown, and may take its time.
const LOOKS: [Duration; 3] = [
    Duration::from_secs(10),
    Duration::from_secs(60),
    Duration::from_secs(300),
];

/// Where Pantau's tray icon is, for the popup's banner.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct TaskbarStatus {
    /// The icon sits in the taskbar's hidden overflow (Windows 11).
    pub in_overflow: bool,
}

/// Where the icon is now.
pub fn status() -> TaskbarStatus {
    TaskbarStatus {
        in_overflow: crate::platform::tray_icon_in_overflow() == Some(true),
    }
}

/// Looks where the icon is a few times after start, and says once when it is hidden.
pub fn watch<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        for wait in LOOKS {
            tokio::time::sleep(wait).await;
            match crate::platform::tray_icon_in_overflow() {
                None => continue,
                Some(true) => {
                    tell_once(&app);
                    return;
                }
                Some(false) => return,
            }
        }
    });
}

/// Says (once for this user, ever) that the icon, just seen in the overflow, is hidden: the
/// popup's banner and a note.
fn tell_once<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let engine = state.engine();
    let store = engine.store();
    if store.get_json::<bool>(TASKBAR_TOLD) == Some(true) {
        log::info!("the tray icon is in the taskbar's overflow (said before)");
        return;
    }
    if let Err(e) = store.set_json(TASKBAR_TOLD, &true) {
        log::warn!("that the overflow was said is not kept: {e}");
    }
    drop(store);
    drop(engine);
    log::info!("the tray icon is in the taskbar's overflow: telling the user once");
    // Just seen in the overflow: the popup's banner shows without a second look.
    let _ = app.emit(TASKBAR_EVENT, TaskbarStatus { in_overflow: true });
    let language = state.settings().language;
    let t = |key: &str| crate::i18n::t(language, key, &[]);
    let body = format!("{} {}", t("taskbar.body"), t("taskbar.where"));
    crate::notes::ask(
        app,
        t("taskbar.title"),
        body,
        vec![("show".to_string(), t("taskbar.show"))],
        |app, choice| match choice {
            "show" => {
                show_on_taskbar(app);
            }
            _ => crate::window::show_main(app),
        },
    );
}

/// The user's click on "Tampilkan di bilah tugas": Pantau's own icon onto the taskbar; whether it
/// is there now.
pub fn show_on_taskbar<R: Runtime>(app: &AppHandle<R>) -> bool {
    match crate::platform::promote_tray_icon() {
        Ok(set) => log::info!("tray icon put on the taskbar ({set} entries of Pantau's own)"),
        Err(e) => log::warn!("the tray icon could not be put on the taskbar: {e}"),
    }
    let now = status();
    let _ = app.emit(TASKBAR_EVENT, now);
    !now.in_overflow
}
