//! Linux: AppIndicator trays (a label where the host shows one), start at login by an autostart
//! file, asleep and awake (logind's `PrepareForSleep(false)` on the system bus says the machine
//! has resumed; the session's screen saver, `ActiveChanged` of org.freedesktop.ScreenSaver or
//! org.gnome.ScreenSaver, says when the screen locks and unlocks), whether a StatusNotifier host
//! is there, and keeping the process small (GTK without GL, glibc's arenas, WebKit's helpers,
//! idle file pages).

pub use super::autostart::{set_start_at_login, with_start_at_login};
pub use super::linux_label_width::steady_labels;
pub use super::linux_tray_icons::TrayIcons;
pub use super::no_installer::{
    configure_updater, fetch_installer, install_update, installer_ready, with_updater,
    INSTALLER_KEY,
};
pub use super::no_taskbar::{
    on_display_change, promote_tray_icon, tray_icon_in_overflow, tray_icon_px,
};
pub use super::unix::on_terminate;
use super::TrayDisplay;
use futures_util::StreamExt;
use pantau_engine::alerts::config::Language;
use std::sync::atomic::AtomicBool;
use tauri::{App, Runtime};
use zbus::{MatchRule, MessageStream};

/// AppIndicator hosts that show labels (GNOME's extension, Unity, some panels) get the label,
/// every other host (KDE, XFCE) the icon.
pub const DEFAULT_TRAY_DISPLAY: TrayDisplay = TrayDisplay::Both;
/// AppIndicator hosts send no clicks: the menu opens on any click.
pub const LEFT_CLICK_OPENS_POPUP: bool = false;

/// Nothing to settle.
pub fn setup<R: Runtime>(_app: &mut App<R>) {}

/// WebKitGTK is a dependency of the package: the popup can always open.
pub fn can_show_popup(_language: Language, _told: &AtomicBool) -> bool {
    true
}

/// Runs `tick` every `seconds` on GTK's own main loop, while it returns true: a seconds timer
/// that GLib wakes together with the others, with no hop from a worker thread through the event
/// loop. False (and `tick` dropped) off GTK's main thread, as in tests: the caller keeps time.
pub fn every_seconds(seconds: u32, mut tick: impl FnMut() -> bool + 'static) -> bool {
    if glib::MainContext::default().acquire().is_err() {
        return false;
    }
    glib::timeout_add_seconds_local(seconds, move || {
        if tick() {
            glib::ControlFlow::Continue
        } else {
            glib::ControlFlow::Break
        }
    });
    true
}

/// Why this session refuses apps a global shortcut, if it does: `wayland` (the compositor keeps
/// global keys to itself) or `no_display`.
pub fn global_shortcut_refused() -> Option<&'static str> {
    shortcut_refused_in(
        std::env::var_os("WAYLAND_DISPLAY").is_some(),
        std::env::var("GDK_BACKEND").ok().as_deref(),
        std::env::var_os("DISPLAY").is_some(),
    )
}

/// A session's refusal from its environment: a Wayland display that GTK uses (no
/// `GDK_BACKEND=x11`) takes the shortcut away, and so does having no X display at all.
fn shortcut_refused_in(
    wayland_display: bool,
    gdk_backend: Option<&str>,
    x_display: bool,
) -> Option<&'static str> {
    let on_wayland = wayland_display && !gdk_backend.is_some_and(|b| b.starts_with("x11"));
    if on_wayland {
        Some("wayland")
    } else if !x_display {
        Some("no_display")
    } else {
        None
    }
}

/// No installer here.
pub fn installer_helper() -> Option<i32> {
    None
}

/// Listens for resume and for the screen lock, for the life of the app, and says each through
/// `resumed` and `screen_locked`. A missing bus (a container, a desktop without logind) only
/// means Pantau waits out its timers as before.
pub fn watch_sleep_and_lock(
    resumed: impl Fn() + Send + 'static,
    screen_locked: impl Fn(bool) + Send + 'static,
) {
    tauri::async_runtime::spawn(async move {
        let rule = MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .interface("org.freedesktop.login1.Manager")
            .and_then(|r| r.member("PrepareForSleep"))
            .map(|r| r.build());
        let stream = match (zbus::Connection::system().await, rule) {
            (Ok(bus), Ok(rule)) => MessageStream::for_match_rule(rule, &bus, None).await,
            (Err(e), _) => return log::info!("no system bus, so no resume signal: {e}"),
            (_, Err(e)) => return log::warn!("resume signal rule: {e}"),
        };
        let mut stream = match stream {
            Ok(s) => s,
            Err(e) => return log::info!("resume signal not followed: {e}"),
        };
        while let Some(Ok(msg)) = stream.next().await {
            // `true` before sleeping, `false` after waking.
            if let Ok(false) = msg.body().deserialize::<bool>() {
                resumed();
            }
        }
    });
    tauri::async_runtime::spawn(async move {
        let bus = match zbus::Connection::session().await {
            Ok(bus) => bus,
            Err(e) => return log::info!("no session bus, so no screen lock signal: {e}"),
        };
        let mut streams = Vec::new();
        for interface in ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"] {
            let rule = MatchRule::builder()
                .msg_type(zbus::message::Type::Signal)
                .interface(interface)
                .and_then(|r| r.member("ActiveChanged"))
                .map(|r| r.build());
            if let Ok(rule) = rule {
                match MessageStream::for_match_rule(rule, &bus, None).await {
                    Ok(s) => streams.push(s),
                    Err(e) => log::info!("screen lock signal of {interface} not followed: {e}"),
                }
            }
        }
        let mut all = futures_util::stream::select_all(streams);
        while let Some(Ok(msg)) = all.next().await {
            if let Ok(locked) = msg.body().deserialize::<bool>() {
                screen_locked(locked);
            }
        }
    });
}

/// Whether a StatusNotifier host (a panel that shows tray icons) is on the session bus. GNOME
/// Shell without the AppIndicator extension has none: a tray icon there is seen by nobody.
/// `None` when the bus did not answer in time or at all: nothing is known, so nothing changes.
pub async fn tray_host_present() -> Option<bool> {
    let ask = async {
        let bus = zbus::Connection::session().await?;
        let dbus = zbus::fdo::DBusProxy::new(&bus).await?;
        let watcher = zbus::names::BusName::try_from("org.kde.StatusNotifierWatcher")?;
        if !dbus.name_has_owner(watcher.clone()).await? {
            return Ok::<bool, zbus::Error>(false);
        }
        let props = zbus::fdo::PropertiesProxy::builder(&bus)
            .destination(watcher)?
            .path("/StatusNotifierWatcher")?
            .build()
            .await?;
        let interface = zbus::names::InterfaceName::try_from("org.kde.StatusNotifierWatcher")?;
        let registered = props
            .get(interface, "IsStatusNotifierHostRegistered")
            .await?;
        Ok(bool::try_from(registered).unwrap_or(false))
    };
    match tokio::time::timeout(std::time::Duration::from_secs(5), ask).await {
        Ok(Ok(present)) => Some(present),
        Ok(Err(e)) => {
            log::info!("the session bus did not say whether a tray host is there: {e}");
            None
        }
        Err(_) => {
            log::info!("the session bus did not say in time whether a tray host is there");
            None
        }
    }
}

/// Settles the process before any thread runs: GTK without OpenGL (on X11 it probes GL visuals
/// when it opens the display: Mesa and, with software rendering, LLVM, about 30 MiB of PSS for a
/// tray icon; the popup's webview shows its pages without GTK's GL, as WebKit does when GL is
/// missing), WebKit's memory pressure monitor off (once the first webview exists it reads
/// `/proc/meminfo` every 5 s for the app's life; Pantau's own answer to memory is coarser and
/// cheaper: the webview goes entirely after 3 minutes hidden), and glibc's allocator at two
/// arenas (it makes up to eight per core). A `GDK_GL` or monitor setting the user made wins.
pub fn prepare_process() {
    if std::env::var_os("GDK_GL").is_none() {
        std::env::set_var("GDK_GL", "disable");
    }
    if std::env::var_os("WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR").is_none() {
        std::env::set_var("WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR", "1");
    }
    #[cfg(target_env = "gnu")]
    // SAFETY: mallopt only sets an allocator parameter; it is called before other threads run.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Hands memory freed by a released webview back to the system (glibc).
pub fn return_freed_memory() {
    #[cfg(target_env = "gnu")]
    // SAFETY: malloc_trim only releases free pages at the top of the allocator's heaps.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Ends WebKit's network process once no webview is left. WebKitGTK keeps one network process
/// for the life of the app, shared by every web context, even after the last webview is gone
/// (about 35 MiB for nothing); WebKit starts a new one when a webview needs it again.
/// Returns how many processes were asked to end.
pub fn end_idle_webkit_helpers() -> usize {
    let ours = std::process::id();
    let mut ended = 0;
    for pid in children_named(ours, "WebKitNetworkPr") {
        // SAFETY: kill only sends a signal to a process this one started.
        if unsafe { libc::kill(pid, libc::SIGTERM) } == 0 {
            ended += 1;
        }
    }
    ended
}

/// Children of `parent` whose command name (as the kernel keeps it, 15 characters) is `comm`.
fn children_named(parent: u32, comm: &str) -> Vec<libc::pid_t> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<libc::pid_t>().ok())
        .filter(|pid| {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                return false;
            };
            let name = &stat[open + 1..close];
            let ppid = stat[close + 1..].split_whitespace().nth(1);
            name == comm && ppid == Some(parent.to_string().as_str())
        })
        .collect()
}

/// How many threads this process runs.
pub fn thread_count() -> Option<usize> {
    std::fs::read_dir("/proc/self/task").ok().map(|d| d.count())
}

/// Asks the kernel to reclaim the pages of mapped files (libraries, the binary) that Pantau holds
/// but is not using: after start-up, and after the popup's release, most of WebKit's, GTK's and
/// the graphics stack's code will not run again until the popup is next opened. This is what the
/// kernel does under memory pressure anyway (`MADV_PAGEOUT`: nothing is lost; a page needed
/// again is read back from the page cache). Anonymous memory is left alone. Returns the bytes
/// of mappings asked for.
pub fn page_out_idle_files() -> usize {
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        return 0;
    };
    let mut asked = 0;
    for line in maps.lines() {
        // "start-end perms offset dev inode path"
        let mut fields = line.split_whitespace();
        let (Some(range), Some(_perms)) = (fields.next(), fields.next()) else {
            continue;
        };
        let path = fields.nth(3).unwrap_or("");
        if !path.starts_with('/') {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (
            usize::from_str_radix(start, 16),
            usize::from_str_radix(end, 16),
        ) else {
            continue;
        };
        // SAFETY: MADV_PAGEOUT only reclaims pages of a mapping this process has; their
        // contents stay (file pages are read back, private copies are kept or swapped).
        if unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_PAGEOUT) }
            == 0
        {
            asked += end - start;
        }
    }
    asked
}

/// Who installs a newer Pantau: the system, for the packaged Pantau whose repository is set up
/// (the .deb's apt source, the .rpm's dnf repository); otherwise the user, from the source.
pub fn update_route() -> super::UpdateRoute {
    let packaged = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.canonicalize().ok())
        .is_some_and(|exe| exe == std::path::Path::new("/usr/bin/pantau"));
    let repository = [
        "/etc/apt/sources.list.d/pantau.list",
        "/etc/yum.repos.d/pantau.repo",
    ]
    .iter()
    .any(|f| std::path::Path::new(f).is_file());
    if packaged && repository {
        super::UpdateRoute::System
    } else {
        super::UpdateRoute::Source
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wayland_session_has_no_global_shortcut_unless_gtk_runs_on_x11() {
        assert_eq!(shortcut_refused_in(true, None, true), Some("wayland"));
        assert!(shortcut_refused_in(true, Some("wayland"), true).is_some());
        assert_eq!(shortcut_refused_in(true, Some("x11"), true), None);
        assert_eq!(shortcut_refused_in(false, None, true), None);
        assert_eq!(shortcut_refused_in(false, None, false), Some("no_display"));
    }
}
