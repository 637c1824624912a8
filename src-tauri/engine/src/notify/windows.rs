//! Notifications as Windows toasts: attributed to the app id the installer registered, a click
//! on the toast reported by itself (every action is a button), text shown as text, and a toast
//! never replaced (a bigger move waits for the gap's end: `CAN_REPLACE`).

use crate::error::Result;
use notify_rust::{Notification, NotificationHandle};

/// Toasts are not replaced by id here.
pub const CAN_REPLACE: bool = false;
/// Every action becomes a button: the click on the toast needs none.
pub const CLICK_IS_AN_ACTION: bool = false;

/// Toasts show text as text.
pub fn body_text(body: &str) -> std::borrow::Cow<'_, str> {
    body.into()
}

/// Waits (blocking) for what the user does with the toast. notify-rust's `wait_for_action`
/// reports a click on the toast as "closed"; its response says what it was.
pub fn wait_for_action(handle: NotificationHandle, chosen: impl FnOnce(&str)) {
    let _ = handle.wait_for_response(|response: &notify_rust::NotificationResponse| {
        chosen(super::response_action(response))
    });
}

/// Toasts always take actions.
pub fn shows_actions() -> Result<bool> {
    Ok(true)
}

/// Windows attributes a toast to the app id its installer registered (the bundle identifier).
pub fn identify(n: &mut Notification) {
    n.app_id(crate::APP_ID);
}

/// Toasts are not replaced by id.
pub fn replaceable_id(_handle: &NotificationHandle) -> Option<u32> {
    None
}
