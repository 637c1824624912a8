//! Windows installs a newer Pantau itself, through tauri-plugin-updater: the plugin checks the
//! downloaded installer's minisign signature (and the version it was signed for) against the
//! public key built into this Pantau, runs it passive and per user (`/P /UPDATE`), and has it
//! start Pantau again with the arguments this one was started with (`/R /ARGS …`: hidden if it
//! ran hidden). The release's `latest.json` was already read and judged by the engine; the
//! plugin gets it as is (`restore_update`, which also insists on the signed version), so no
//! second request is made. The download is the engine's (https, at most 200 MB).

use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_updater::UpdaterExt;

/// The key of this platform's installer in a release's `latest.json`.
pub const INSTALLER_KEY: &str = pantau_engine::update::manifest::WINDOWS_X86_64;

/// Gives the updater plugin its configuration: the public key and `latest.json`'s address from
/// this build's release inputs, the installer passive, the signed version required. Plain http
/// is allowed for a loopback address only (the tests' release server).
pub fn configure_updater<R: Runtime>(context: &mut tauri::Context<R>, url: &str, pubkey: &str) {
    let loopback = url::Url::parse(url).is_ok_and(|u| {
        u.scheme() == "http" && matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
    });
    context.config_mut().plugins.0.insert(
        "updater".into(),
        serde_json::json!({
            "pubkey": pubkey,
            "endpoints": [format!("{url}/latest.json")],
            "dangerousInsecureTransportProtocol": loopback,
            "requireSignedVersion": true,
            "windows": { "installMode": "passive" },
        }),
    );
}

/// Registers the updater plugin, where this build has a key to check installers with.
pub fn with_updater<R: Runtime>(builder: tauri::Builder<R>, has_key: bool) -> tauri::Builder<R> {
    if has_key {
        builder.plugin(tauri_plugin_updater::Builder::new().build())
    } else {
        builder
    }
}

/// Where a checked installer waits for "Pasang sekarang" (the user's own data folder).
fn installer_path<R: Runtime>(app: &AppHandle<R>, version: &str) -> Option<PathBuf> {
    let dir = app.path().app_local_data_dir().ok()?.join("updates");
    Some(dir.join(format!("Pantau_{version}_x64-setup.exe")))
}

/// Downloads `release`'s installer (the engine's download), checks its signature and signed
/// version with the plugin, and keeps it for "Pasang sekarang". Nothing is kept or run when a
/// check fails.
pub async fn fetch_installer<R: Runtime>(
    app: &AppHandle<R>,
    release: serde_json::Value,
    version: &str,
    url: &str,
) -> Result<(), String> {
    let update = restored(app.updater(), release, version)?;
    let bytes = pantau_engine::update::download(url)
        .await
        .map_err(|e| e.to_string())?;
    update.verify(&bytes).map_err(|e| {
        format!("the installer's signature does not hold ({e}): nothing was installed")
    })?;
    let path = installer_path(app, version).ok_or("no folder for the installer")?;
    let dir = path.parent().ok_or("no folder for the installer")?;
    // Older versions' installers go; this one is written whole, then renamed into place.
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let part = path.with_extension("part");
    std::fs::write(&part, &bytes).map_err(|e| e.to_string())?;
    std::fs::rename(&part, &path).map_err(|e| e.to_string())?;
    Ok(())
}

/// Whether `version`'s checked installer is waiting.
pub fn installer_ready<R: Runtime>(app: &AppHandle<R>, version: &str) -> bool {
    installer_path(app, version).is_some_and(|p| p.is_file())
}

/// Installs `version`: the plugin checks the kept installer again, `before_exit` ends Pantau
/// cleanly (the write in flight finishes, the cache is closed), the installer runs and this
/// process ends. Returns only on failure.
pub fn install_update<R: Runtime>(
    app: &AppHandle<R>,
    release: serde_json::Value,
    version: &str,
    before_exit: impl Fn() + Send + Sync + 'static,
) -> Result<(), String> {
    let path = installer_path(app, version).ok_or("no folder for the installer")?;
    let bytes = read_installer(&path)?;
    let updater = app.updater_builder().on_before_exit(before_exit).build();
    restored(updater, release, version)?
        .install(bytes)
        .map_err(|e| format!("the update was not installed: {e}"))
}

fn read_installer(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The plugin's update for `release` (the plugin refuses a version not newer than this one).
fn restored(
    updater: tauri_plugin_updater::Result<tauri_plugin_updater::Updater>,
    release: serde_json::Value,
    version: &str,
) -> Result<tauri_plugin_updater::Update, String> {
    updater
        .and_then(|u| u.restore_update(release))
        .map_err(|e| format!("the update cannot be prepared: {e}"))?
        .ok_or_else(|| format!("{version} is not newer than this Pantau"))
}
