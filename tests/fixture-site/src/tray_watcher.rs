//! A StatusNotifierWatcher for tests: lets tray items register on a private bus and writes
//! what each shows (its AppIndicator label, title, tooltip, menu labels) to a JSON file
//! whenever it changes.

use serde::Serialize;
use std::path::PathBuf;
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
}

#[derive(Default)]
struct Registered {
    items: Vec<(String, String)>,
}

/// The watcher object.
pub struct Watcher {
    registered: Arc<Mutex<Registered>>,
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

    #[zbus(signal)]
    async fn status_notifier_item_registered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;
}

async fn read_item(conn: &zbus::Connection, bus: &str, path: &str) -> ItemView {
    let mut view = ItemView {
        service: bus.to_string(),
        path: path.to_string(),
        ..Default::default()
    };
    if let Ok(proxy) = zbus::Proxy::new(
        conn,
        bus.to_string(),
        path.to_string(),
        "org.kde.StatusNotifierItem",
    )
    .await
    {
        view.label = proxy.get_property::<String>("XAyatanaLabel").await.ok();
        view.title = proxy.get_property::<String>("Title").await.ok();
        if let Ok(menu_path) = proxy.get_property::<zbus::OwnedObjectPath>("Menu").await {
            (view.menu_ids, view.menu) = read_menu(conn, bus, menu_path.as_str())
                .await
                .into_iter()
                .unzip();
            view.menu_path = Some(menu_path.to_string());
        }
    }
    view
}

type Layout = (
    i32,
    std::collections::HashMap<String, zbus::OwnedVariant>,
    Vec<zbus::OwnedVariant>,
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

/// Serves the watcher on the bus at `address` and writes the items' views to `out`.
pub async fn run(address: &str, out: PathBuf) -> zbus::Result<()> {
    let registered = Arc::new(Mutex::new(Registered::default()));
    let conn = zbus::connection::Builder::address(address)
        .name("org.kde.StatusNotifierWatcher")
        .serve_at(
            "/StatusNotifierWatcher",
            Watcher {
                registered: registered.clone(),
            },
        )
        .build()
        .await?;
    let mut last: Vec<ItemView> = Vec::new();
    loop {
        let items = registered.lock().expect("registry").items.clone();
        let mut views = Vec::new();
        for (bus, path) in &items {
            views.push(read_item(&conn, bus, path).await);
        }
        if views != last {
            let json = serde_json::to_string_pretty(&views).unwrap_or_default();
            let tmp = out.with_extension("tmp");
            if std::fs::write(&tmp, json).is_ok() {
                let _ = std::fs::rename(&tmp, &out);
            }
            last = views;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
