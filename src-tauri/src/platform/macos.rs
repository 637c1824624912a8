//! macOS: the ticker as the menu bar item's title, no Dock icon or menu bar of Pantau's own,
//! start at login by a Launch Agent. Type-checked here (`scripts/check-macos`); only a Mac can
//! run it.

pub use super::autostart::{set_start_at_login, with_start_at_login};
pub use super::no_installer::{
    configure_updater, fetch_installer, install_update, installer_ready, with_updater,
    INSTALLER_KEY,
};
pub use super::no_taskbar::{
    on_display_change, promote_tray_icon, tray_icon_in_overflow, tray_icon_px,
};
pub use super::plain::{
    can_show_popup, end_idle_webkit_helpers, every_seconds, global_shortcut_refused,
    installer_helper, page_out_idle_files, prepare_process, return_freed_memory, steady_labels,
    thread_count, tray_host_present, update_route, watch_sleep_and_lock, TrayIcons,
};
pub use super::unix::on_terminate;
use super::TrayDisplay;
use tauri::{App, Runtime};

/// The menu bar shows the title beside the icon, in the system font.
pub const DEFAULT_TRAY_DISPLAY: TrayDisplay = TrayDisplay::Label;
/// The menu bar shows menus on a click.
pub const LEFT_CLICK_OPENS_POPUP: bool = false;

/// A tray app has no Dock icon and no menu bar of its own.
pub fn setup<R: Runtime>(app: &mut App<R>) {
    app.set_activation_policy(tauri::ActivationPolicy::Accessory);
}
