//! Notifications through a freedesktop notification server (Linux, the BSDs): a notification on
//! screen can be replaced by its id, a click on it is the `default` action, the server says
//! whether it shows buttons, and the body is markup.

use crate::error::{Error, Result};
use notify_rust::{Notification, NotificationHandle};

/// A notification still on screen is updated in place by its id.
pub const CAN_REPLACE: bool = true;
/// A click on the notification itself is reported as the `default` action, offered like a button.
pub const CLICK_IS_AN_ACTION: bool = true;

/// The body as the server shows it exactly as written. A freedesktop server reads the body as
/// markup ("body-markup": a headline's `<a href>` would become a link, "S&P 500" would be
/// mangled), so `&`, `<` and `>` go as entities; the summary is plain text already.
pub fn body_text(body: &str) -> std::borrow::Cow<'_, str> {
    if !body.contains(['&', '<', '>']) {
        return body.into();
    }
    let mut out = String::with_capacity(body.len() + 16);
    for c in body.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out.into()
}

/// Waits (blocking) for what the user does with the notification and hands `chosen` the
/// action's id: `default` for the notification itself, `__closed` when it went away unused.
pub fn wait_for_action(handle: NotificationHandle, chosen: impl FnOnce(&str)) {
    handle.wait_for_action(chosen);
}

/// Whether the server shows action buttons (it says so itself).
pub fn shows_actions() -> Result<bool> {
    let caps = notify_rust::get_capabilities().map_err(|e| Error::Notification(e.to_string()))?;
    Ok(caps.iter().any(|c| c == "actions"))
}

/// The application name set on the notification says who sent it.
pub fn identify(_n: &mut Notification) {}

/// The id the server gave the notification, by which a later one replaces it.
pub fn replaceable_id(handle: &NotificationHandle) -> Option<u32> {
    Some(handle.id())
}
