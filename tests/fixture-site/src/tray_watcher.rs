//! A StatusNotifierWatcher for tests: lets tray items register on a private bus and writes
//! what each shows (its AppIndicator label, title, tooltip, menu labels) to a JSON file
//! whenever it changes.

use futures_util::{FutureExt, StreamExt};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use zbus::message::Header;
use zbus::object_server::SignalEmitter;

/// What one registered tray item shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ItemView {
    /// The bus name of the item's service.
    pub service: String,
    /// The item's object path.
    pub path: String,
    /// The AppIndicator label (the ticker).
    pub label: Option<String>,
    /// The item's title.
    pub title: Option<String>,
    /// The menu's labels, in order.
    pub menu: Vec<String>,
    /// The dbusmenu ids of those entries (tests click them with `com.canonical.dbusmenu.Event`).
    pub menu_ids: Vec<i32>,
    /// The menu's object path.
    pub menu_path: Option<String>,
    /// The icon's name as the item gives it (AppIndicator gives a PNG file's path).
    pub icon_name: Option<String>,
    /// A copy of the icon's PNG taken when it changed (the item deletes its old files).
    pub icon_copy: Option<String>,
    /// Icon names whose file was missing or not a whole PNG when the watcher loaded it, as a
    /// shell does, a moment after learning the name.
    pub icon_faults: Vec<String>,
}

/// The watcher's D-Bus object (the interface macro adds public helpers without docs of its own).
mod object {
    #![allow(missing_docs)]
    use super::*;

    #[derive(Default)]
    pub struct Registered {
        pub items: Vec<(String, String)>,
    }

    /// The watcher object.
    pub struct Watcher {
        pub registered: Arc<Mutex<Registered>>,
    }

    #[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
    impl Watcher {
        async fn register_status_notifier_item(
            &self,
            service: String,
            #[zbus(header)] header: Header<'_>,
            #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
        ) {
            let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
            // Items register either a bus name (path implied) or an object path (sender implied).
            let (bus, path) = if service.starts_with('/') {
                (sender, service.clone())
            } else {
                (service.clone(), "/StatusNotifierItem".to_string())
            };
            {
                let mut registered = self.registered.lock().expect("registry");
                if !registered.items.contains(&(bus.clone(), path.clone())) {
                    registered.items.push((bus.clone(), path));
                }
            }
            let _ = Self::status_notifier_item_registered(&emitter, &bus).await;
        }

        fn register_status_notifier_host(&self, _service: String) {}

        #[zbus(property)]
        fn registered_status_notifier_items(&self) -> Vec<String> {
            self.registered
                .lock()
                .expect("registry")
                .items
                .iter()
                .map(|(b, p)| format!("{b}{p}"))
                .collect()
        }

        #[zbus(property)]
        fn is_status_notifier_host_registered(&self) -> bool {
            true
        }

        #[zbus(property)]
        fn protocol_version(&self) -> i32 {
            0
        }

        /// Tells hosts that an item registered.
        #[zbus(signal)]
        async fn status_notifier_item_registered(
            emitter: &SignalEmitter<'_>,
            service: &str,
        ) -> zbus::Result<()>;
    }
}
use object::{Registered, Watcher};

/// How long after learning an icon's name the watcher loads its file: a shell loads it on its
/// own time (GNOME Shell's AppIndicator extension in a worker, after reading the properties).
const ICON_LOAD_DELAY: Duration = Duration::from_millis(200);

/// The file an icon name stands for.
fn icon_file(name: &str, theme: Option<&str>) -> Option<PathBuf> {
    if Path::new(name).is_absolute() {
        Some(PathBuf::from(name))
    } else {
        Some(Path::new(theme?).join(format!("{name}.png")))
    }
}

/// Whether `bytes` are a whole PNG: its signature first and its end chunk last.
fn whole_png(bytes: &[u8]) -> bool {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    const END: &[u8] = b"\0\0\0\0IEND\xaeB`\x82";
    bytes.len() > SIGNATURE.len() + END.len()
        && bytes.starts_with(SIGNATURE)
        && bytes.ends_with(END)
}

/// Copies the icon file an item names into `copies` (once per name); returns the copy's path,
/// or `None` when the file is missing or not a whole PNG.
fn copy_icon(owner: &str, name: &str, theme: Option<&str>, copies: &Path) -> Option<String> {
    let file = icon_file(name, theme)?;
    // Apps on one bus number their icon files alike: the owner's bus name tells them apart.
    let owner: String = owner
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let file_name = format!("{owner}-{}", file.file_name()?.to_string_lossy());
    let copy = copies.join(if file_name.ends_with(".png") {
        file_name
    } else {
        format!("{file_name}.png")
    });
    if !copy.exists() {
        let bytes = std::fs::read(&file).ok().filter(|b| whole_png(b))?;
        std::fs::write(&copy, bytes).ok()?;
    }
    Some(copy.to_string_lossy().to_string())
}

/// What an item's signal says changed.
#[derive(Debug, Clone, Copy, Default)]
struct Changed {
    label: bool,
    icon: bool,
    menu: bool,
    all: bool,
}

impl Changed {
    const ALL: Changed = Changed {
        label: true,
        icon: true,
        menu: true,
        all: true,
    };

    /// Reads a signal as a tray host does: each names what to read again.
    fn add(&mut self, member: &str) {
        match member {
            "XAyatanaNewLabel" | "NewTitle" => self.label = true,
            "NewIcon" | "NewIconThemePath" => self.icon = true,
            "LayoutUpdated" | "ItemsPropertiesUpdated" => self.menu = true,
            "StatusNotifierItemRegistered" => self.all = true,
            _ => {}
        }
    }

    fn any(&self) -> bool {
        self.label || self.icon || self.menu || self.all
    }
}

/// Reads what `changed` names of an item, keeping the rest of `previous`.
async fn read_item(
    conn: &zbus::Connection,
    (bus, path): (&str, &str),
    copies: &Path,
    previous: Option<&ItemView>,
    changed: Changed,
) -> ItemView {
    let changed = if previous.is_none() {
        Changed::ALL
    } else {
        changed
    };
    let mut view = previous.cloned().unwrap_or_else(|| ItemView {
        service: bus.to_string(),
        path: path.to_string(),
        ..Default::default()
    });
    if let Ok(proxy) = zbus::Proxy::new(
        conn,
        bus.to_string(),
        path.to_string(),
        "org.kde.StatusNotifierItem",
    )
    .await
    {
        if changed.label || changed.all {
            view.label = proxy.get_property::<String>("XAyatanaLabel").await.ok();
            view.title = proxy.get_property::<String>("Title").await.ok();
        }
        if changed.icon || changed.all {
            view.icon_name = proxy.get_property::<String>("IconName").await.ok();
            let theme = proxy.get_property::<String>("IconThemePath").await.ok();
            view.icon_copy = None;
            if let Some(name) = view.icon_name.clone().filter(|n| !n.is_empty()) {
                tokio::time::sleep(ICON_LOAD_DELAY).await;
                view.icon_copy = copy_icon(bus, &name, theme.as_deref(), copies);
                if view.icon_copy.is_none() {
                    view.icon_faults.push(name);
                }
            }
        }
        if changed.menu || changed.all {
            if let Ok(menu_path) = proxy
                .get_property::<zbus::zvariant::OwnedObjectPath>("Menu")
                .await
            {
                (view.menu_ids, view.menu) = read_menu(conn, bus, menu_path.as_str())
                    .await
                    .into_iter()
                    .unzip();
                view.menu_path = Some(menu_path.to_string());
            }
        }
    }
    view
}

type Layout = (
    i32,
    std::collections::HashMap<String, zbus::zvariant::OwnedValue>,
    Vec<zbus::zvariant::OwnedValue>,
);

/// The menu's top-level entries: (id, label).
async fn read_menu(conn: &zbus::Connection, bus: &str, path: &str) -> Vec<(i32, String)> {
    let Ok(proxy) = zbus::Proxy::new(
        conn,
        bus.to_string(),
        path.to_string(),
        "com.canonical.dbusmenu",
    )
    .await
    else {
        return Vec::new();
    };
    let reply: zbus::Result<(u32, Layout)> =
        proxy.call("GetLayout", &(0i32, -1i32, vec!["label"])).await;
    let Ok((_, (_, _, children))) = reply else {
        return Vec::new();
    };
    let mut labels = Vec::new();
    for child in children {
        let Ok(layout) = Layout::try_from(child) else {
            continue;
        };
        if let Some(label) = layout
            .1
            .get("label")
            .and_then(|v| String::try_from(v.clone()).ok())
        {
            labels.push((layout.0, label));
        }
    }
    labels
}

/// Notes what a signal says changed; an item whose owner left the bus is forgotten.
fn note_signal(message: &zbus::Message, registered: &Mutex<Registered>, changed: &mut Changed) {
    let header = message.header();
    let Some(member) = header.member() else {
        return;
    };
    if member.as_str() == "NameOwnerChanged" {
        if let Ok((name, _old, new)) = message.body().deserialize::<(String, String, String)>() {
            let mut registered = registered.lock().expect("registry");
            let before = registered.items.len();
            if new.is_empty() {
                registered.items.retain(|(bus, _)| bus != &name);
            }
            if registered.items.len() != before {
                changed.all = true;
            }
        }
        return;
    }
    changed.add(member.as_str());
}

/// Serves the watcher on the bus at `address` and writes the items' views to `out`.
pub async fn run(address: &str, out: PathBuf) -> zbus::Result<()> {
    let registered = Arc::new(Mutex::new(Registered::default()));
    let conn = zbus::connection::Builder::address(address)?
        .name("org.kde.StatusNotifierWatcher")?
        .serve_at(
            "/StatusNotifierWatcher",
            Watcher {
                registered: registered.clone(),
            },
        )?
        .build()
        .await?;
    let copies = out.with_extension("icons");
    let _ = std::fs::create_dir_all(&copies);
    // Like a desktop's tray host, read the items again when they signal a change (new label,
    // icon, menu layout ...) and only what they name, not by polling them; a full read once a
    // minute catches anything without a signal.
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .build();
    let mut signals = zbus::MessageStream::for_match_rule(rule, &conn, Some(256)).await?;
    let mut last: Vec<ItemView> = Vec::new();
    let mut changed = Changed::ALL;
    loop {
        let items = registered.lock().expect("registry").items.clone();
        let mut views = Vec::new();
        for (bus, path) in &items {
            let previous = last.iter().find(|v| &v.service == bus && &v.path == path);
            views.push(read_item(&conn, (bus, path), &copies, previous, changed).await);
        }
        if views != last {
            let json = serde_json::to_string_pretty(&views).unwrap_or_default();
            let tmp = out.with_extension("tmp");
            if std::fs::write(&tmp, json).is_ok() {
                let _ = std::fs::rename(&tmp, &out);
            }
            last = views;
        }
        changed = Changed::default();
        while !changed.any() {
            tokio::select! {
                Some(Ok(message)) = signals.next() => {
                    note_signal(&message, &registered, &mut changed);
                }
                _ = tokio::time::sleep(Duration::from_secs(60)) => changed = Changed::ALL,
            }
        }
        // Changes come in bursts (menu, icon and label together): take the whole burst.
        tokio::time::sleep(Duration::from_millis(100)).await;
        while let Some(Some(Ok(message))) = signals.next().now_or_never() {
            note_signal(&message, &registered, &mut changed);
        }
    }
}
