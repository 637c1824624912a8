//! Desktop notifications for alerts, through the freedesktop notification server (notify-rust).
//!
//! A missing or failing server never crashes or stalls anything: every call runs off the
//! async threads with a time limit, and the alert is in the inbox before delivery is tried.

use crate::alerts::{config::Language, Alert};
use crate::error::{Error, Result};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// What the user chose on a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertAction {
    /// Clicked it (or "Buka"): open Pantau on the alert.
    Open {
        /// The indicator the alert was about (`*` for a summary of several).
        symbol: String,
        /// When the alert fired (names it among the day's alerts).
        at: chrono::DateTime<chrono::FixedOffset>,
    },
    /// "Senyapkan 1 jam".
    Snooze,
}

/// Delivers alerts as desktop notifications.
#[derive(Debug, Clone)]
pub struct Notifier {
    language: Language,
    limit: Duration,
}

impl Notifier {
    /// A notifier writing action labels in `language`.
    pub fn new(language: Language) -> Notifier {
        Notifier {
            language,
            limit: Duration::from_secs(5),
        }
    }

    /// Shows `alert`. Where the server supports actions, offers "Buka" and "Senyapkan 1 jam"
    /// and reports the user's choice on `actions`.
    pub async fn deliver(
        &self,
        alert: &Alert,
        actions: Option<UnboundedSender<AlertAction>>,
    ) -> Result<()> {
        let alert = alert.clone();
        let language = self.language;
        let job = tokio::task::spawn_blocking(move || show(&alert, language, actions));
        match tokio::time::timeout(self.limit, job).await {
            Ok(Ok(result)) => result,
            Ok(Err(e)) => Err(Error::Notification(format!("delivery task failed: {e}"))),
            Err(_) => Err(Error::Notification(
                "the notification server did not answer in time".into(),
            )),
        }
    }
}

fn show(
    alert: &Alert,
    language: Language,
    actions: Option<UnboundedSender<AlertAction>>,
) -> Result<()> {
    let with_actions = actions.is_some() && platform::shows_actions()?;
    let (open, snooze) = match language {
        Language::Id => ("Buka", "Senyapkan 1 jam"),
        Language::En => ("Open", "Mute for 1 hour"),
    };
    let mut n = notify_rust::Notification::new();
    n.appname("Pantau")
        .summary(&alert.title)
        .body(&alert.body)
        .icon("pantau")
        .timeout(notify_rust::Timeout::Milliseconds(15_000));
    platform::identify(&mut n);
    if with_actions {
        n.action("default", open)
            .action("open", open)
            .action("snooze", snooze);
    }
    let handle = n.show().map_err(|e| Error::Notification(e.to_string()))?;
    if let (true, Some(tx)) = (with_actions, actions) {
        let symbol = alert.symbol.clone();
        let at = alert.at;
        std::thread::spawn(move || {
            handle.wait_for_action(|action| {
                let choice = match action {
                    "default" | "open" => Some(AlertAction::Open {
                        symbol: symbol.clone(),
                        at,
                    }),
                    "snooze" => Some(AlertAction::Snooze),
                    _ => None,
                };
                if let Some(c) = choice {
                    let _ = tx.send(c);
                }
            });
        });
    }
    Ok(())
}

/// What differs between notification systems (notify-rust's API is the same elsewhere).
mod platform {
    use crate::error::Result;

    /// Whether the freedesktop notification server shows action buttons (it says so itself).
    #[cfg(all(unix, not(target_os = "macos")))]
    pub fn shows_actions() -> Result<bool> {
        let caps = notify_rust::get_capabilities()
            .map_err(|e| crate::error::Error::Notification(e.to_string()))?;
        Ok(caps.iter().any(|c| c == "actions"))
    }

    /// Windows toasts and macOS notifications always take actions.
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    pub fn shows_actions() -> Result<bool> {
        Ok(true)
    }

    /// Windows attributes a toast to the app id its installer registered (the bundle identifier).
    #[cfg(target_os = "windows")]
    pub fn identify(n: &mut notify_rust::Notification) {
        n.app_id(crate::APP_ID);
    }

    /// Elsewhere the application name set on the notification says who sent it.
    #[cfg(not(target_os = "windows"))]
    pub fn identify(_n: &mut notify_rust::Notification) {}
}
