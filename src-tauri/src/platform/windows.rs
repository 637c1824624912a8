//! Windows: the popup needs the WebView2 Runtime, which Windows 10 may lack. Without it Pantau
//! keeps its tray, refreshes and toasts, and says once, in its own words, what to install.

use crate::i18n::t;
use pantau_engine::alerts::config::Language;
use std::sync::atomic::{AtomicBool, Ordering};

static TOLD: AtomicBool = AtomicBool::new(false);

/// Whether a webview can be created; when it cannot, tells the user (once per run) and logs it.
pub fn can_show_popup(language: Language) -> bool {
    let Err(e) = tauri::webview_version() else {
        return true;
    };
    log::warn!(
        "no WebView2 Runtime ({e}): the popup cannot open; tray, refreshes and notifications go on"
    );
    if !TOLD.swap(true, Ordering::SeqCst) {
        let title = t(language, "webview2.missing.title", &[]);
        let body = t(language, "webview2.missing.body", &[]);
        // A message box waits for its click: on a thread of its own, never the event loop's.
        std::thread::spawn(move || message_box(&title, &body));
    }
    false
}

fn message_box(title: &str, body: &str) {
    use windows_sys::Win32::UI::WindowsAndMessaging::{
        MessageBoxW, MB_ICONINFORMATION, MB_OK, MB_SETFOREGROUND,
    };
    let wide = |s: &str| s.encode_utf16().chain(Some(0)).collect::<Vec<u16>>();
    let (title, body) = (wide(title), wide(body));
    // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call; no owner window.
    unsafe {
        MessageBoxW(
            std::ptr::null_mut(),
            body.as_ptr(),
            title.as_ptr(),
            MB_OK | MB_ICONINFORMATION | MB_SETFOREGROUND,
        );
    }
}
