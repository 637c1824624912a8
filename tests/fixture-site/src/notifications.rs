//! A desktop notification server for tests: owns `org.freedesktop.Notifications` on a bus
//! and appends every `Notify` call to a file as a JSON line.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

/// A notification server that records what it is asked to show.
pub struct Recorder {
    out: Mutex<std::fs::File>,
    next_id: AtomicU32,
    actions: bool,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Recorder {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        replaces_id: u32,
        app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, zbus::zvariant::OwnedValue>,
        expire_timeout: i32,
    ) -> u32 {
        // A server replaces the notification it is asked to, under the same id.
        let id = match replaces_id {
            0 => self.next_id.fetch_add(1, Ordering::SeqCst),
            same => same,
        };
        let mut hint_names: Vec<&String> = hints.keys().collect();
        hint_names.sort();
        let line = serde_json::json!({
            "id": id, "app_name": app_name, "replaces_id": replaces_id, "app_icon": app_icon,
            "summary": summary, "body": body, "actions": actions, "expire_timeout": expire_timeout,
            "hints": hint_names,
        });
        let mut f = self.out.lock().expect("recorder file");
        let _ = writeln!(f, "{line}");
        let _ = f.flush();
        id
    }

    fn get_capabilities(&self) -> Vec<String> {
        let mut caps = vec!["body".to_string()];
        if self.actions {
            caps.push("actions".to_string());
        }
        caps
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "notify-recorder".into(),
            "Pantau tests".into(),
            "1.0".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

impl Recorder {
    /// A recorder appending to `out`; `actions` says whether it claims the "actions" capability.
    pub fn new(out: &Path, actions: bool) -> std::io::Result<Recorder> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(out)?;
        Ok(Recorder {
            out: Mutex::new(file),
            next_id: AtomicU32::new(1),
            actions,
        })
    }
}

/// The recorder's test controls: make the server say that the user clicked an action.
pub struct Clicker;

#[zbus::interface(name = "id.pantau.NotifyRecorder")]
impl Clicker {
    /// Emits `ActionInvoked(id, key)` as a notification server does when the user clicks.
    async fn invoke_action(
        &self,
        id: u32,
        key: String,
        #[zbus(connection)] conn: &zbus::Connection,
    ) -> zbus::fdo::Result<()> {
        conn.emit_signal(
            None::<()>,
            "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications",
            "ActionInvoked",
            &(id, key.as_str()),
        )
        .await
        .map_err(|e| zbus::fdo::Error::Failed(e.to_string()))
    }
}

/// Serves a recorder on the bus at `address` (the session bus when `None`).
pub async fn serve(address: Option<&str>, recorder: Recorder) -> zbus::Result<zbus::Connection> {
    let builder = match address {
        Some(a) => zbus::connection::Builder::address(a)?,
        None => zbus::connection::Builder::session()?,
    };
    builder
        .name("org.freedesktop.Notifications")?
        .serve_at("/org/freedesktop/Notifications", recorder)?
        .serve_at("/org/freedesktop/Notifications", Clicker)?
        .build()
        .await
}

/// A recorder running in a thread of its own; stops when dropped.
pub struct RecorderThread {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RecorderThread {
    /// Starts a recorder on the bus at `address`, writing to `out`; returns once it owns the name.
    pub fn start(address: &str, out: &Path) -> zbus::Result<RecorderThread> {
        let recorder = Recorder::new(out, true).map_err(|e| zbus::Error::Failure(e.to_string()))?;
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<zbus::Result<()>>();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let address = address.to_string();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                match serve(Some(&address), recorder).await {
                    Ok(conn) => {
                        let _ = ready_tx.send(Ok(()));
                        let _ = stop_rx.await;
                        drop(conn);
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            });
        });
        ready_rx
            .recv()
            .map_err(|e| zbus::Error::Failure(e.to_string()))??;
        Ok(RecorderThread {
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }
}

impl Drop for RecorderThread {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
