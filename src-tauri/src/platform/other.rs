//! Any other target (a BSD, say): Pantau's portable behaviour, the tray as on Linux without its
//! extras, start at login by an autostart file.

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
    installer_helper, page_out_idle_files, prepare_process, return_freed_memory, setup,
    steady_labels, thread_count, tray_host_present, update_route, watch_sleep_and_lock, TrayIcons,
};
pub use super::unix::on_terminate;
use super::TrayDisplay;

/// The label where the host shows one, and the icon.
pub const DEFAULT_TRAY_DISPLAY: TrayDisplay = TrayDisplay::Both;
/// The menu opens on any click.
pub const LEFT_CLICK_OPENS_POPUP: bool = false;
