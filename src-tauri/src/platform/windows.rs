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

/// The per-user Run key, which starts Pantau at login without admin rights; the installer's
/// uninstaller removes the same value.
const RUN_KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Run";
/// Task Manager's "Startup apps" switch for a Run value; no value there means enabled.
const STARTUP_APPROVED_KEY: &str =
    r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run";
const RUN_VALUE: &str = "Pantau";

/// The installer's entry in Apps & Features, which names the folder it installed into.
const UNINSTALL_KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Uninstall\id.pantau.app";

/// Whether this program is the installed Pantau (`pantau.exe` in the folder the installer
/// recorded), not a copy run from elsewhere (Downloads, a build folder).
fn is_installed_copy(exe: &std::path::Path) -> bool {
    use windows_registry::CURRENT_USER;
    let Ok(folder) = CURRENT_USER
        .open(UNINSTALL_KEY)
        .and_then(|k| k.get_string("InstallLocation"))
    else {
        return false;
    };
    let comparable = |p: &std::path::Path| {
        std::fs::canonicalize(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .to_string_lossy()
            .to_lowercase()
    };
    comparable(exe) == comparable(&std::path::Path::new(&folder).join("pantau.exe"))
}

/// Writes (or removes) `"…\pantau.exe" --hidden` under the per-user Run key. When the user
/// `chosen_now` turned it on in Pantau, a "disabled" left by Task Manager is cleared too. Only
/// the installed copy writes it: a copy run once from Downloads must not become the Pantau that
/// starts at every login.
pub fn set_start_at_login(on: bool, chosen_now: bool) -> std::io::Result<()> {
    use windows_registry::CURRENT_USER;
    if on {
        let exe = std::env::current_exe()?;
        if !is_installed_copy(&exe) {
            return Err(std::io::Error::other(format!(
                "{} is not the installed Pantau: only the installed one starts at login",
                exe.display()
            )));
        }
        // Quoted: a path with a space must not be read as a program and its arguments.
        let command = format!("\"{}\" {}", exe.display(), crate::args::HIDDEN);
        CURRENT_USER
            .create(RUN_KEY)?
            .set_string(RUN_VALUE, command)?;
        if chosen_now {
            remove_value(STARTUP_APPROVED_KEY)?;
        }
        Ok(())
    } else {
        remove_value(RUN_KEY)?;
        remove_value(STARTUP_APPROVED_KEY)
    }
}

/// Removes Pantau's value under `key` in HKCU; a key or value that is not there is no error.
fn remove_value(key: &str) -> std::io::Result<()> {
    use windows_registry::CURRENT_USER;
    const NOT_FOUND: windows_result::HRESULT = windows_result::HRESULT::from_win32(2);
    let missing = |e: &windows_result::Error| e.code() == NOT_FOUND;
    match CURRENT_USER.options().read().write().open(key) {
        Ok(k) => match k.remove_value(RUN_VALUE) {
            Err(e) if !missing(&e) => Err(e.into()),
            _ => Ok(()),
        },
        Err(e) if !missing(&e) => Err(e.into()),
        Err(_) => Ok(()),
    }
}
