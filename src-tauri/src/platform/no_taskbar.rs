//! Where no taskbar of Windows' kind holds the tray (Linux, macOS and the rest): the tray's host
//! scales the icon itself, and no overflow hides it.

/// The tray's host scales the icon to its own size: none to draw for.
pub fn tray_icon_px() -> Option<u32> {
    None
}

/// The tray's host scales the icon itself: no display change to hear.
pub fn on_display_change(_changed: impl Fn() + Send + 'static) {}

/// No overflow that hides tray icons (Windows 11's taskbar): nothing to say.
pub fn tray_icon_in_overflow() -> Option<bool> {
    None
}

/// No overflow to bring the icon out of: nothing set.
pub fn promote_tray_icon() -> std::io::Result<usize> {
    Ok(0)
}
