//! Desktop notifications for alerts, through the freedesktop notification server (notify-rust).
//!
//! A missing or failing server never crashes or stalls anything: every call runs off the
//! async threads with a time limit, and the alert is in the inbox before delivery is tried.

use crate::alerts::{config::Language, Alert, Rule};
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
    /// Clicked a word alert: open its story in the reader.
    OpenStory {
        /// The story's address.
        url: String,
    },
    /// Clicked a summary of several alerts: open the inbox.
    OpenInbox,
    /// "Senyapkan 1 jam".
    Snooze,
}

impl AlertAction {
    /// What a click on `alert` opens.
    pub fn open(alert: &Alert) -> AlertAction {
        match (alert.rule, alert.urls.first()) {
            (Rule::Word, Some(url)) => AlertAction::OpenStory { url: url.clone() },
            (Rule::Word | Rule::WordSummary, _) => AlertAction::OpenInbox,
            _ if alert.symbol == "*" => AlertAction::OpenInbox,
            _ => AlertAction::Open {
                symbol: alert.symbol.clone(),
                at: alert.at,
            },
        }
    }
}

/// What differs between notification systems, one file each (notify-rust's API differs by OS):
/// freedesktop servers (Linux and the BSDs), Windows toasts, macOS notifications.
#[cfg_attr(all(unix, not(target_os = "macos")), path = "freedesktop.rs")]
#[cfg_attr(target_os = "windows", path = "windows.rs")]
#[cfg_attr(target_os = "macos", path = "macos.rs")]
mod platform;

/// Whether a notification here can update one still on screen: freedesktop servers can (by id);
/// Windows toasts and macOS notifications are not replaced, so an alert that `replaces` waits
/// for the end of the indicator's gap there and is shown if its move still holds.
pub const CAN_REPLACE: bool = platform::CAN_REPLACE;

/// The action a click on the notification itself reports (freedesktop's name for it).
const CLICK: &str = "default";

/// Offers `actions` (id, label). A freedesktop server reports a click on the notification as the
/// `default` action; a Windows toast reports it by itself, and every action added there becomes
/// a button, so `default` is left out there.
fn add_actions(n: &mut notify_rust::Notification, actions: &[(&str, &str)]) {
    for (id, label) in actions {
        if platform::CLICK_IS_AN_ACTION || *id != CLICK {
            n.action(id, label);
        }
    }
}

/// The action id of a toast's response (Windows reports a click on the toast this way).
#[cfg_attr(not(target_os = "windows"), allow(dead_code))]
fn response_action(response: &notify_rust::NotificationResponse) -> &str {
    use notify_rust::NotificationResponse as R;
    match response {
        R::Default => CLICK,
        R::Action(id) => id,
        R::Reply(_) | R::Closed(_) => "__closed",
    }
}

/// Delivers alerts as desktop notifications. Clones share what is on screen, so a bigger move
/// replaces the notification an earlier clone showed.
#[derive(Debug, Clone)]
pub struct Notifier {
    language: Language,
    limit: Duration,
    on_screen: on_screen::Shown,
}

impl Notifier {
    /// A notifier writing action labels in `language`.
    pub fn new(language: Language) -> Notifier {
        Notifier {
            language,
            limit: Duration::from_secs(5),
            on_screen: Default::default(),
        }
    }

    /// This notifier, writing its labels in `language` (what is on screen stays shared).
    pub fn in_language(&self, language: Language) -> Notifier {
        Notifier {
            language,
            ..self.clone()
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
        let on_screen = self.on_screen.clone();
        self.limited(move || show(&alert, language, &on_screen, actions))
            .await
    }

    /// Runs a blocking exchange with the notification server off the async threads, within the
    /// time limit.
    async fn limited(&self, job: impl FnOnce() -> Result<()> + Send + 'static) -> Result<()> {
        let job = tokio::task::spawn_blocking(job);
        match tokio::time::timeout(self.limit, job).await {
            Ok(Ok(result)) => result,
            Ok(Err(e)) => Err(Error::Notification(format!("delivery task failed: {e}"))),
            Err(_) => Err(Error::Notification(
                "the notification server did not answer in time".into(),
            )),
        }
    }
}

impl Notifier {
    /// Shows a note of Pantau's own (not an alert), with buttons where `choices` has some (id,
    /// label); the id of the button the user chose is sent on `chosen`, and a click on the note
    /// itself as `"open"`.
    pub async fn ask(
        &self,
        title: &str,
        body: &str,
        choices: Vec<(String, String)>,
        chosen: UnboundedSender<String>,
    ) -> Result<()> {
        let (title, body) = (title.to_string(), body.to_string());
        self.limited(move || {
            let mut n = notification(&title, &body, 30_000);
            let with_actions = platform::shows_actions()?;
            if with_actions {
                let mut actions: Vec<(&str, &str)> = vec![(CLICK, "Pantau")];
                actions.extend(
                    choices
                        .iter()
                        .map(|(id, label)| (id.as_str(), label.as_str())),
                );
                add_actions(&mut n, &actions);
            }
            let handle = n.show().map_err(|e| Error::Notification(e.to_string()))?;
            if with_actions {
                std::thread::spawn(move || {
                    platform::wait_for_action(handle, |action| {
                        let id = if action == CLICK { "open" } else { action };
                        if action == CLICK || choices.iter().any(|(c, _)| c == action) {
                            let _ = chosen.send(id.to_string());
                        }
                    });
                });
            }
            Ok(())
        })
        .await
    }
}

/// A notification from Pantau: its name, its icon by absolute path (shown for a build that is
/// not installed too), and the app id Windows attributes it by.
fn notification(title: &str, body: &str, timeout_ms: u32) -> notify_rust::Notification {
    let mut n = notify_rust::Notification::new();
    n.appname("Pantau")
        .summary(title)
        .body(&platform::body_text(body))
        .timeout(notify_rust::Timeout::Milliseconds(timeout_ms));
    match icon::path() {
        Some(path) => n.icon(path),
        None => n.icon("pantau"),
    };
    platform::identify(&mut n);
    n
}

fn show(
    alert: &Alert,
    language: Language,
    shown: &on_screen::Shown,
    actions: Option<UnboundedSender<AlertAction>>,
) -> Result<()> {
    let with_actions = actions.is_some() && platform::shows_actions()?;
    let (open, snooze) = match language {
        Language::Id => ("Buka", "Senyapkan 1 jam"),
        Language::En => ("Open", "Mute for 1 hour"),
    };
    let mut n = notification(&alert.title, &alert.body, 15_000);
    // A higher tier inside the gap updates the indicator's notification still on screen.
    let on_screen = on_screen::key(alert);
    if alert.replaces {
        if let Some(id) = on_screen.as_deref().and_then(|key| shown.id(key)) {
            n.id(id);
        }
    }
    if with_actions {
        add_actions(&mut n, &[(CLICK, open), ("open", open), ("snooze", snooze)]);
    }
    let handle = n.show().map_err(|e| Error::Notification(e.to_string()))?;
    if let Some(key) = on_screen {
        shown.remember(key, &handle);
    }
    if let (true, Some(tx)) = (with_actions, actions) {
        let open_it = AlertAction::open(alert);
        std::thread::spawn(move || {
            platform::wait_for_action(handle, |action| {
                let choice = match action {
                    CLICK | "open" => Some(open_it.clone()),
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

/// The notification each indicator has on screen, by id, so a bigger move can replace it.
mod on_screen {
    use super::{Alert, Rule};
    use crate::sync::Locked;
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    /// Each indicator's notification id, shared by a notifier's clones.
    #[derive(Debug, Clone, Default)]
    pub struct Shown(Arc<Mutex<HashMap<String, u32>>>);

    /// The indicator a market alert is about; word alerts replace nothing.
    pub fn key(alert: &Alert) -> Option<String> {
        (!matches!(alert.rule, Rule::Word | Rule::WordSummary | Rule::Summary))
            .then(|| alert.symbol.clone())
    }

    impl Shown {
        pub fn id(&self, symbol: &str) -> Option<u32> {
            self.0.locked().get(symbol).copied()
        }

        /// Keeps the id the server gave the notification, where a later one can replace it by
        /// id (freedesktop); elsewhere a bigger move is a notification of its own.
        pub fn remember(&self, symbol: String, handle: &notify_rust::NotificationHandle) {
            if let Some(id) = super::platform::replaceable_id(handle) {
                self.0.locked().insert(symbol, id);
            }
        }
    }
}

/// Pantau's icon as a file: the installed one, else the built-in one written once to the user's
/// cache folder.
mod icon {
    use crate::store::owner_only;
    use std::path::PathBuf;
    use std::sync::LazyLock;

    const PNG: &[u8] = include_bytes!("../../../../icons/128x128.png");

    /// Found or written once per process and never changed after: a constant computed late,
    /// not state (the one process-wide value here).
    static PATH: LazyLock<Option<String>> = LazyLock::new(|| {
        let installed = std::env::current_exe().ok().and_then(|exe| {
            let prefix = exe.parent()?.parent()?.to_path_buf();
            Some(prefix.join("share/icons/hicolor/128x128/apps/pantau.png"))
        });
        if let Some(p) = installed.filter(|p| p.is_file()) {
            return Some(p.to_string_lossy().into_owned());
        }
        let dir: PathBuf = directories::ProjectDirs::from("id", "Pantau", "pantau")?
            .cache_dir()
            .to_path_buf();
        let file = dir.join("notification-icon.png");
        let current = std::fs::read(&file).is_ok_and(|b| b == PNG);
        if !current {
            owner_only::create_folder(&dir).ok()?;
            // Written whole under another name, then renamed: never read half-written.
            let part = dir.join("notification-icon.png.part");
            owner_only::create_file(&part).ok()?;
            std::fs::write(&part, PNG).ok()?;
            std::fs::rename(&part, &file).ok()?;
        }
        // The user's cache folder is theirs alone, like the rest of Pantau's files (one written
        // by an older version included).
        owner_only::tighten_folder(&dir);
        Some(file.to_string_lossy().into_owned())
    });

    pub fn path() -> Option<&'static str> {
        PATH.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::{add_actions, platform, response_action, CLICK};
    use notify_rust::{CloseReason, Notification, NotificationResponse};

    #[test]
    fn a_click_on_the_notification_opens_and_its_buttons_are_buka_and_senyapkan() {
        assert_eq!(response_action(&NotificationResponse::Default), CLICK);
        assert_eq!(response_action(&"snooze".into()), "snooze");
        let closed = NotificationResponse::Closed(CloseReason::Dismissed);
        assert_eq!(response_action(&closed), "__closed");

        let mut n = Notification::new();
        add_actions(
            &mut n,
            &[
                (CLICK, "Buka"),
                ("open", "Buka"),
                ("snooze", "Senyapkan 1 jam"),
            ],
        );
        // Windows turns each action into a button: the click needs none there.
        let mut expected = vec!["open", "Buka", "snooze", "Senyapkan 1 jam"];
        if platform::CLICK_IS_AN_ACTION {
            expected.splice(0..0, [CLICK, "Buka"]);
        }
        assert_eq!(n.actions, expected);
    }
}
