//! `tray-watcher --out FILE`: a StatusNotifierWatcher on the session bus for tests; writes
//! what each registered tray item shows (label, title, menu) to FILE as JSON.

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let out = match (args.next().as_deref(), args.next()) {
        (Some("--out"), Some(path)) => std::path::PathBuf::from(path),
        _ => {
            eprintln!("usage: tray-watcher --out FILE");
            std::process::exit(2);
        }
    };
    let address = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_else(|_| {
        eprintln!("tray-watcher: DBUS_SESSION_BUS_ADDRESS is not set");
        std::process::exit(2);
    });
    if let Err(e) = kontan_fixture::tray_watcher::run(&address, out).await {
        eprintln!("tray-watcher: {e}");
        std::process::exit(1);
    }
}
