//! Windows: the ticker in the icon (trays have no labels), a left click opens the popup, the
//! popup needs the WebView2 Runtime (which Windows 10 may lack: without it Pantau keeps its tray,
//! refreshes and toasts, and says once, in its own words, what to install), start at login is
//! the per-user Run value of the installed copy, the installer's helper closes the running
//! Pantau (`windows_close.rs`), and Pantau installs a newer version itself (`windows_update.rs`).

pub use super::plain::{
    end_idle_webkit_helpers, every_seconds, global_shortcut_refused, on_terminate,
    page_out_idle_files, prepare_process, return_freed_memory, setup, steady_labels, thread_count,
    tray_host_present, watch_sleep_and_lock, TrayIcons,
};
pub use super::windows_taskbar::{
    on_display_change, promote_tray_icon, tray_icon_in_overflow, tray_icon_px,
};
use super::windows_text::{comparable, wide};
pub use super::windows_update::{
    configure_updater, fetch_installer, install_update, installer_ready, with_updater,
    INSTALLER_KEY,
};
use super::TrayDisplay;
use crate::i18n::t;
use pantau_engine::alerts::config::Language;
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::{AppHandle, Runtime};

/// Windows trays have no titles: the icon carries the ticker.
pub const DEFAULT_TRAY_DISPLAY: TrayDisplay = TrayDisplay::Icon;
/// A left click on the tray icon opens the popup and a right click the menu, as Windows tray
/// apps do.
pub const LEFT_CLICK_OPENS_POPUP: bool = true;

/// `pantau.exe --close-installed DIR`: closes this user's Pantau programs from DIR (what the
/// installer runs before it replaces them); the exit code.
pub fn installer_helper() -> Option<i32> {
    let mut argv = std::env::args_os().skip(1);
    if argv.next()? != crate::args::CLOSE_INSTALLED {
        return None;
    }
    let dir = argv
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_default();
    Some(super::windows_close::close_installed(&dir))
}

/// Start at login is the Run value Pantau writes itself: no plugin.
pub fn with_start_at_login<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
}

/// The per-user Run value (see [`write_run_value`]).
pub fn set_start_at_login<R: Runtime>(
    _app: &AppHandle<R>,
    on: bool,
    chosen_now: bool,
) -> Result<(), String> {
    write_run_value(on, chosen_now).map_err(|e| e.to_string())
}

/// Whether a webview can be created; when it cannot, tells the user (once: `told`) and logs it.
pub fn can_show_popup(language: Language, told: &AtomicBool) -> bool {
    let Err(e) = tauri::webview_version() else {
        return true;
    };
    log::warn!(
        "no WebView2 Runtime ({e}): the popup cannot open; tray, refreshes and notifications go on"
    );
    if !told.swap(true, Ordering::SeqCst) {
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
fn uninstall_key() -> String {
    format!(
        r"Software\Microsoft\Windows\CurrentVersion\Uninstall\{}",
        pantau_engine::APP_ID
    )
}

/// Whether this program is the installed Pantau (`pantau.exe` in the folder the installer
/// recorded), not a copy run from elsewhere (Downloads, a build folder).
fn is_installed_copy(exe: &std::path::Path) -> bool {
    use windows_registry::CURRENT_USER;
    let Ok(folder) = CURRENT_USER
        .open(uninstall_key())
        .and_then(|k| k.get_string("InstallLocation"))
    else {
        return false;
    };
    comparable(exe) == comparable(&std::path::Path::new(&folder).join("pantau.exe"))
}

/// Writes (or removes) `"…\pantau.exe" --hidden` under the per-user Run key. When the user
/// `chosen_now` turned it on in Pantau, a "disabled" left by Task Manager is cleared too. Only
/// the installed copy writes it: a copy run once from Downloads must not become the Pantau that
/// starts at every login.
fn write_run_value(on: bool, chosen_now: bool) -> std::io::Result<()> {
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

/// Who installs a newer Pantau: its own signed installer.
pub fn update_route() -> super::UpdateRoute {
    super::UpdateRoute::Installer
}
