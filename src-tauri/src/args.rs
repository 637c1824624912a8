//! The command-line arguments of `pantau`, in one place: what a second launch hands the running
//! Pantau, what start at login runs, and the installer's helper.

/// Starts Pantau in the tray without its popup: what start at login runs.
pub const HIDDEN: &str = "--hidden";
/// `pantau --quit`: the running Pantau quits as "Keluar" does (the installer asks this way).
pub const QUIT: &str = "--quit";
/// `pantau --install-update`: the running Pantau installs the newer version it has downloaded and
/// checked, as "Pasang sekarang" does (for scripts, and tests where nothing can be clicked).
pub const INSTALL_UPDATE: &str = "--install-update";
/// `pantau --show-tray-icon`: the running Pantau puts its tray icon on the taskbar when Windows
/// 11 keeps it in the hidden overflow, as the button Pantau shows for it does (for scripts, and
/// tests where nothing can be clicked).
pub const SHOW_TRAY_ICON: &str = "--show-tray-icon";
/// `pantau --toggle`: shows or hides the popup (bound to a key in the desktop's own settings
/// where apps may not take global shortcuts).
pub const TOGGLE: &str = "--toggle";
/// `pantau.exe --close-installed DIR`: closes this user's Pantau programs from DIR (Windows; the
/// installer runs it).
pub const CLOSE_INSTALLED: &str = "--close-installed";

/// Whether this process was started with `arg`.
pub fn given(arg: &str) -> bool {
    std::env::args().any(|a| a == arg)
}
