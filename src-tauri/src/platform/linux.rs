//! Linux: asleep and awake. logind's `PrepareForSleep(false)` on the system bus says the machine
//! has resumed; the session's screen saver (`ActiveChanged` of org.freedesktop.ScreenSaver or
//! org.gnome.ScreenSaver) says when the screen locks and unlocks.

use futures_util::StreamExt;
use zbus::{MatchRule, MessageStream};

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
