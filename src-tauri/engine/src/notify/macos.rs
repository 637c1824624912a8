//! Notifications in macOS's notification centre: text shown as text, actions always offered,
//! never replaced (a bigger move waits for the gap's end: `CAN_REPLACE`). Type-checked here
//! (`scripts/check-macos`); only a Mac can show them.

use crate::error::Result;
use notify_rust::{Notification, NotificationHandle};

/// Notifications are not replaced by id here.
pub const CAN_REPLACE: bool = false;
/// A click on the notification is reported as the `default` action.
pub const CLICK_IS_AN_ACTION: bool = true;

/// Notifications show text as text.
pub fn body_text(body: &str) -> std::borrow::Cow<'_, str> {
    body.into()
}

/// Waits (blocking) for what the user does with the notification.
pub fn wait_for_action(handle: NotificationHandle, chosen: impl FnOnce(&str)) {
    handle.wait_for_action(chosen);
}

/// Notifications always take actions.
pub fn shows_actions() -> Result<bool> {
    Ok(true)
}

/// The application name set on the notification says who sent it.
pub fn identify(_n: &mut Notification) {}

/// Notifications are not replaced by id.
pub fn replaceable_id(_handle: &NotificationHandle) -> Option<u32> {
    None
}
