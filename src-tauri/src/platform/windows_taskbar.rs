//! Windows: the taskbar's notification area, which shows small icons (`SM_CXSMICON`) at the
//! taskbar's DPI (16 px at 100% display scaling, 20 at 125%, 24 at 150%, 32 at 200%), and on
//! Windows 11 puts a new program's icon in its hidden overflow until the user promotes it.

use super::windows_text::{comparable, wide};
use windows_sys::Win32::UI::HiDpi::{GetDpiForSystem, GetDpiForWindow, GetSystemMetricsForDpi};
use windows_sys::Win32::UI::WindowsAndMessaging::{FindWindowW, SM_CXSMICON};

/// The size in pixels the taskbar shows tray icons at now, asked each time the tray is drawn and
/// when a window's DPI changes (`WM_DPICHANGED`: another monitor, another scaling).
pub fn tray_icon_px() -> Option<u32> {
    let class = wide("Shell_TrayWnd");
    // SAFETY: plain Win32 calls with a NUL-terminated class name; a null window is checked.
    let px = unsafe {
        let taskbar = FindWindowW(class.as_ptr(), std::ptr::null());
        let dpi = if taskbar.is_null() {
            0
        } else {
            GetDpiForWindow(taskbar)
        };
        let dpi = if dpi == 0 { GetDpiForSystem() } else { dpi };
        GetSystemMetricsForDpi(SM_CXSMICON, dpi)
    };
    u32::try_from(px).ok().filter(|&px| px > 0)
}

/// Calls `changed` whenever a display's scaling or the set of monitors changes (`WM_DPICHANGED`,
/// `WM_DISPLAYCHANGE`), heard by a hidden window of Pantau's own on a thread of its own: the popup,
/// which hears them too, is often not there.
pub fn on_display_change(changed: impl Fn() + Send + 'static) {
    let spawned = std::thread::Builder::new()
        .name("display-changes".into())
        .spawn(move || listen(Box::new(changed)));
    if let Err(e) = spawned {
        log::warn!("display changes are not heard: {e}");
    }
}

type Callback = Box<dyn Fn() + Send>;

/// Creates the hidden window and runs its messages until the process ends.
fn listen(changed: Callback) {
    use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
    use windows_sys::Win32::UI::WindowsAndMessaging::{
        CreateWindowExW, DispatchMessageW, GetMessageW, RegisterClassW, SetWindowLongPtrW,
        TranslateMessage, GWLP_USERDATA, MSG, WNDCLASSW, WS_OVERLAPPED,
    };
    let class = wide("PantauDisplayChanges");
    // SAFETY: plain Win32 calls on this thread; the class name outlives the window; the callback
    // is leaked into the window's user data, which lives as long as the process.
    unsafe {
        let instance = GetModuleHandleW(std::ptr::null());
        let mut wc: WNDCLASSW = std::mem::zeroed();
        wc.lpfnWndProc = Some(on_message);
        wc.hInstance = instance;
        wc.lpszClassName = class.as_ptr();
        if RegisterClassW(&wc) == 0 {
            log::warn!("display changes are not heard: no window class");
            return;
        }
        // Top-level (broadcasts reach it) and never shown.
        let window = CreateWindowExW(
            0,
            class.as_ptr(),
            class.as_ptr(),
            WS_OVERLAPPED,
            0,
            0,
            0,
            0,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            instance,
            std::ptr::null(),
        );
        if window.is_null() {
            log::warn!("display changes are not heard: no window");
            return;
        }
        let changed: *mut Callback = Box::into_raw(Box::new(changed));
        SetWindowLongPtrW(window, GWLP_USERDATA, changed as isize);
        let mut message: MSG = std::mem::zeroed();
        while GetMessageW(&mut message, std::ptr::null_mut(), 0, 0) > 0 {
            TranslateMessage(&message);
            DispatchMessageW(&message);
        }
    }
}

unsafe extern "system" fn on_message(
    window: windows_sys::Win32::Foundation::HWND,
    message: u32,
    wparam: windows_sys::Win32::Foundation::WPARAM,
    lparam: windows_sys::Win32::Foundation::LPARAM,
) -> windows_sys::Win32::Foundation::LRESULT {
    use windows_sys::Win32::UI::WindowsAndMessaging::{
        DefWindowProcW, GetWindowLongPtrW, GWLP_USERDATA, WM_DISPLAYCHANGE, WM_DPICHANGED,
    };
    if message == WM_DPICHANGED || message == WM_DISPLAYCHANGE {
        // SAFETY: the user data is the callback `listen` leaked for this window, or null before.
        let changed = unsafe { GetWindowLongPtrW(window, GWLP_USERDATA) } as *const Callback;
        if !changed.is_null() {
            // SAFETY: as above; the callback is never freed.
            unsafe { (*changed)() };
        }
    }
    // SAFETY: every other message goes to Windows' default handling.
    unsafe { DefWindowProcW(window, message, wparam, lparam) }
}

/// Where Windows 11 keeps, per user, each program's tray icon and whether it sits on the taskbar
/// (`IsPromoted` = 1) or in the hidden overflow (0, or no value: a new program's place).
const NOTIFY_ICON_SETTINGS: &str = r"Control Panel\NotifyIconSettings";

/// Whether Pantau's own tray icon sits in the taskbar's hidden overflow: `None` where Windows
/// keeps no entry for it (before Windows 11, or before Explorer has seen the icon).
pub fn tray_icon_in_overflow() -> Option<bool> {
    let entries = own_entries();
    if entries.is_empty() {
        return None;
    }
    Some(entries.iter().all(|(_, promoted)| !promoted))
}

/// Puts Pantau's own tray icon on the taskbar for this user (`IsPromoted` = 1 in the
/// `NotifyIconSettings` entries of this very executable, never another program's); how many
/// entries were set. Only a user's click asks for this.
pub fn promote_tray_icon() -> std::io::Result<usize> {
    use windows_registry::CURRENT_USER;
    let mut set = 0;
    for (name, promoted) in own_entries() {
        if promoted {
            continue;
        }
        let key = CURRENT_USER
            .options()
            .read()
            .write()
            .open(format!(r"{NOTIFY_ICON_SETTINGS}\{name}"))
            .map_err(std::io::Error::other)?;
        key.set_u32("IsPromoted", 1)
            .map_err(std::io::Error::other)?;
        set += 1;
    }
    Ok(set)
}

/// The entries (subkey name, promoted) whose `ExecutablePath` is this program.
fn own_entries() -> Vec<(String, bool)> {
    use windows_registry::CURRENT_USER;
    let Ok(exe) = std::env::current_exe() else {
        return Vec::new();
    };
    let own = comparable(&exe);
    let Ok(settings) = CURRENT_USER.open(NOTIFY_ICON_SETTINGS) else {
        return Vec::new();
    };
    let Ok(names) = settings.keys() else {
        return Vec::new();
    };
    names
        .filter_map(|name| {
            let entry = settings.open(&name).ok()?;
            let path = entry.get_string("ExecutablePath").ok()?;
            let path = resolve_known_folder(&path)?;
            (comparable(&path) == own)
                .then(|| (name, entry.get_u32("IsPromoted").is_ok_and(|v| v == 1)))
        })
        .collect()
}

/// `{F1B32785-…}\Programs\Pantau\pantau.exe` (how Explorer writes a path under a known folder,
/// here Local AppData) as a full path; a plain path as it is.
fn resolve_known_folder(path: &str) -> Option<std::path::PathBuf> {
    let Some(rest) = path.strip_prefix('{') else {
        return Some(std::path::PathBuf::from(path));
    };
    let (guid, tail) = rest.split_once('}')?;
    let folder = known_folder(guid)?;
    Some(folder.join(tail.trim_start_matches('\\')))
}

/// The folder a known-folder id names (`SHGetKnownFolderPath`).
fn known_folder(guid: &str) -> Option<std::path::PathBuf> {
    use std::os::windows::ffi::OsStringExt;
    use windows_sys::core::{GUID, PWSTR};
    use windows_sys::Win32::System::Com::CoTaskMemFree;
    use windows_sys::Win32::UI::Shell::SHGetKnownFolderPath;
    let digits: String = guid.chars().filter(|c| *c != '-').collect();
    if digits.len() != 32 {
        return None;
    }
    let id = GUID::from_u128(u128::from_str_radix(&digits, 16).ok()?);
    let mut path: PWSTR = std::ptr::null_mut();
    // SAFETY: `id` lives across the call; the returned string is read up to its NUL and freed
    // with CoTaskMemFree as the API asks, whether or not the call succeeded.
    unsafe {
        let result = SHGetKnownFolderPath(&id, 0, std::ptr::null_mut(), &mut path);
        let folder = (result == 0 && !path.is_null()).then(|| {
            let len = (0..).take_while(|&i| *path.add(i) != 0).count();
            std::ffi::OsString::from_wide(std::slice::from_raw_parts(path, len))
        });
        CoTaskMemFree(path as *const _);
        folder.map(std::path::PathBuf::from)
    }
}
