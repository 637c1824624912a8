//! Windows: the taskbar's notification area, which shows small icons (`SM_CXSMICON`) at the
//! taskbar's DPI: 16 px at 100% display scaling, 20 at 125%, 24 at 150%, 32 at 200%.

use windows_sys::Win32::UI::HiDpi::{GetDpiForSystem, GetDpiForWindow, GetSystemMetricsForDpi};
use windows_sys::Win32::UI::WindowsAndMessaging::{FindWindowW, SM_CXSMICON};

/// The size in pixels the taskbar shows tray icons at now, asked each time the tray is drawn and
/// when a window's DPI changes (`WM_DPICHANGED`: another monitor, another scaling).
pub fn tray_icon_px() -> Option<u32> {
    let class: Vec<u16> = "Shell_TrayWnd\0".encode_utf16().collect();
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
