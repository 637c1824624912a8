//! The optional global shortcut that shows or hides the popup (off by default). Its plugin is
//! loaded only once a shortcut is set: the key grab costs a thread, which a user who never
//! asked for a shortcut should not pay for.

use crate::error::{Error, Result};
use serde::Serialize;
use std::str::FromStr;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutState};

/// Whether this desktop lets Pantau take a global shortcut, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Support {
    /// A shortcut can be registered here.
    pub available: bool,
    /// Why not: `wayland` (the compositor keeps global keys to itself) or `no_display`.
    pub reason: Option<&'static str>,
}

/// What this session allows. Global key grabs work on X11 (and XWayland windows), on Windows
/// and on macOS; a Wayland session does not give them to apps (`platform`).
pub fn support() -> Support {
    let reason = crate::platform::global_shortcut_refused();
    Support {
        available: reason.is_none(),
        reason,
    }
}

/// Checks a shortcut as typed ("Ctrl+Alt+P"); the settings refuse one that does not parse.
pub fn parse(text: &str) -> Result<Shortcut> {
    Shortcut::from_str(text).map_err(|e| Error::InvalidSetting {
        field: "global_shortcut".into(),
        reason: e.to_string(),
    })
}

/// Makes `shortcut` (or none) the one that toggles the popup.
pub fn apply<R: Runtime>(app: &AppHandle<R>, shortcut: Option<&str>) -> Result<()> {
    let Some(text) = shortcut.map(str::trim).filter(|s| !s.is_empty()) else {
        if app
            .try_state::<tauri_plugin_global_shortcut::GlobalShortcut<R>>()
            .is_some()
        {
            app.global_shortcut()
                .unregister_all()
                .map_err(|e| Error::App(e.to_string()))?;
        }
        return Ok(());
    };
    let parsed = parse(text)?;
    if !support().available {
        return Err(Error::Shortcut(
            text.to_string(),
            "this desktop does not give apps global shortcuts".into(),
        ));
    }
    if app
        .try_state::<tauri_plugin_global_shortcut::GlobalShortcut<R>>()
        .is_none()
    {
        app.plugin(
            tauri_plugin_global_shortcut::Builder::new()
                .with_handler(|app, shortcut, event| {
                    if event.state() == ShortcutState::Pressed {
                        log::info!("global shortcut {shortcut} pressed");
                        crate::window::toggle_main(app);
                    }
                })
                .build(),
        )
        .map_err(|e| Error::Shortcut(text.to_string(), e.to_string()))?;
    }
    let shortcuts = app.global_shortcut();
    shortcuts
        .unregister_all()
        .map_err(|e| Error::App(e.to_string()))?;
    shortcuts
        .register(parsed)
        .map_err(|e| Error::Shortcut(text.to_string(), e.to_string()))?;
    log::info!("global shortcut {text} toggles the popup");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_parse_as_typed_and_nonsense_is_refused() {
        assert!(parse("Ctrl+Alt+P").is_ok());
        assert!(parse("CommandOrControl+Shift+K").is_ok());
        let err = parse("Ctrl+Nope+").unwrap_err();
        assert_eq!(err.kind(), "invalid_setting");
        assert_eq!(err.params(), vec![("field", "global_shortcut".to_string())]);
    }
}
