//! Updates: the daily check for a newer Pantau on this build's release address (the engine's
//! `update` module does the asking and the schedule), what the user is told of it, once per
//! version, and the commands behind Settings' "Pembaruan Pantau". Who installs a newer version is
//! the platform's to say (`platform::update_route`): the system's package manager on Linux, the
//! signed installer on Windows.

use crate::platform::UpdateRoute;
use crate::state::AppState;
use pantau_engine::store::keys;
use pantau_engine::sync::Locked;
use pantau_engine::update::{check, Asked, Checked, LastCheck, Release, UpdateMemory};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::Notify;

/// The UI learns of every change in the update status under this name.
pub const UPDATE_EVENT: &str = "pantau://update";

/// How often the loop looks at the schedule (the schedule, not this, decides when to ask).
const LOOK_EVERY: Duration = Duration::from_secs(5 * 60);

/// Where this build looks for releases, and the key their installers must be signed with. Both
/// come from the release's inputs at build time (`./scripts/release` sets `PANTAU_UPDATE_URL` and
/// `PANTAU_UPDATE_PUBKEY`); a build without an address has updates off.
#[derive(Debug, Clone, Copy)]
pub struct UpdateSource {
    /// The release tree's address (its `latest.json` is there).
    pub url: &'static str,
    /// The updater's public key (minisign, as `tauri signer generate` prints it).
    pub pubkey: Option<&'static str>,
}

/// This build's update source, if it has one.
pub fn source() -> Option<UpdateSource> {
    let url = option_env!("PANTAU_UPDATE_URL")
        .map(str::trim)
        .filter(|u| !u.is_empty())?;
    Some(UpdateSource {
        url: url.trim_end_matches('/'),
        pubkey: option_env!("PANTAU_UPDATE_PUBKEY")
            .map(str::trim)
            .filter(|k| !k.is_empty()),
    })
}

/// The update loop's wake-ups (managed by the app).
#[derive(Debug, Default)]
pub struct Updates {
    wake: Notify,
    by_user: AtomicBool,
    layout_changed: AtomicBool,
    checking: AtomicBool,
    /// Taken by every change of the remembered state (the loop, the install, the notes).
    memory_lock: Mutex<()>,
}

/// What Settings and About show, and the banner in the popup.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateStatus {
    /// Whether this build has a release address.
    pub enabled: bool,
    /// Whether the daily check is on (Settings).
    pub automatic: bool,
    /// Who installs a newer version here.
    pub route: UpdateRoute,
    /// A check is under way.
    pub checking: bool,
    /// When the last check was made (RFC 3339, WIB).
    pub last_check: Option<String>,
    /// What it found.
    pub last_result: Option<LastCheck>,
    /// A released version newer than this one, with its notes.
    pub newer: Option<NewerRelease>,
    /// Its installer is downloaded and its signature checked: "Pasang sekarang" can install it.
    pub ready: bool,
}

/// A newer release, as the banner shows it.
#[derive(Debug, Clone, Serialize)]
pub struct NewerRelease {
    /// Its version.
    pub version: String,
    /// Its release notes (plain text: the UI sets them with `textContent`).
    pub notes: String,
}

/// What the update check remembers (kept in the cache).
fn remembered<R: Runtime>(app: &AppHandle<R>) -> UpdateMemory {
    let engine = app.state::<AppState>().engine();
    let memory = engine.store().get_json(keys::UPDATE).unwrap_or_default();
    memory
}

/// Reads the memory, lets `change` change it and keeps it when it changed (so a look that
/// changes nothing costs no write), under the lock every writer of the memory takes.
fn with_memory<R: Runtime, T>(
    app: &AppHandle<R>,
    change: impl FnOnce(&mut UpdateMemory) -> T,
) -> T {
    let updates = app.state::<Updates>();
    let _one = updates.memory_lock.locked();
    let mut memory = remembered(app);
    let before = memory.clone();
    let out = change(&mut memory);
    if memory != before {
        let engine = app.state::<AppState>().engine();
        let kept = engine.store().set_json(keys::UPDATE, &memory);
        if let Err(e) = kept {
            log::warn!("the update check's memory was not kept: {e}");
        }
    }
    out
}

/// The newest release known, if it is newer than this Pantau.
fn newer(memory: UpdateMemory) -> Option<Release> {
    let running = env!("CARGO_PKG_VERSION");
    memory
        .latest
        .filter(|r| r.is_newer_than(running).unwrap_or(false))
}

/// Records why an update was refused or failed: the last check's line in Settings and About.
fn failed<R: Runtime>(app: &AppHandle<R>, reason: String) {
    with_memory(app, |memory| {
        memory.last_result = Some(LastCheck::Failed { reason })
    });
}

/// The newer version whose checked installer waits for "Pasang sekarang", if one does.
pub fn ready_to_install<R: Runtime>(app: &AppHandle<R>) -> Option<String> {
    newer(remembered(app))
        .map(|r| r.version)
        .filter(|version| crate::platform::installer_ready(app, version))
}

/// The update status now.
pub fn status<R: Runtime>(app: &AppHandle<R>) -> UpdateStatus {
    let memory = remembered(app);
    let newer = newer(memory.clone()).map(|r| NewerRelease {
        version: r.version,
        notes: r.notes,
    });
    let ready = newer
        .as_ref()
        .is_some_and(|n| crate::platform::installer_ready(app, &n.version));
    UpdateStatus {
        ready,
        enabled: source().is_some(),
        automatic: app.state::<AppState>().settings().check_updates,
        route: crate::platform::update_route(),
        checking: app.state::<Updates>().checking.load(Ordering::Relaxed),
        last_check: memory
            .last_check_ms
            .map(|ms| pantau_engine::time::to_wib(ms).to_rfc3339()),
        last_result: memory.last_result,
        newer,
    }
}

fn announce_status<R: Runtime>(app: &AppHandle<R>) {
    if let Err(e) = app.emit(UPDATE_EVENT, status(app)) {
        log::warn!("update status not delivered to the UI: {e}");
    }
}

/// Starts the daily check, where this build has a release address (logged once otherwise).
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let Some(source) = source() else {
        log::info!("updates: off (this build has no release address)");
        return;
    };
    log::info!("updates: from {}/latest.json", source.url);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let updates = app.state::<Updates>();
            if let Some(asked) = due(&app) {
                run_check(&app, source, asked).await;
            }
            let _ = tokio::time::timeout(LOOK_EVERY, updates.wake.notified()).await;
        }
    });
}

/// Why a check is due now, if one is (a user's ask first, then a layout change, then the day's).
fn due<R: Runtime>(app: &AppHandle<R>) -> Option<Asked> {
    let updates = app.state::<Updates>();
    if updates.by_user.swap(false, Ordering::Relaxed) {
        return Some(Asked::ByUser);
    }
    if !app.state::<AppState>().settings().check_updates {
        updates.layout_changed.store(false, Ordering::Relaxed);
        return None;
    }
    let now = pantau_engine::time::now_ms();
    with_memory(app, |memory| {
        if updates.layout_changed.swap(false, Ordering::Relaxed) && memory.layout_changed(now) {
            Some(Asked::LayoutChanged)
        } else if memory.daily_due(now, fastrand::f64) {
            Some(Asked::Daily)
        } else {
            None
        }
    })
}

async fn run_check<R: Runtime>(app: &AppHandle<R>, source: UpdateSource, asked: Asked) {
    let updates = app.state::<Updates>();
    updates.checking.store(true, Ordering::Relaxed);
    announce_status(app);
    let mut memory = remembered(app);
    let url = format!("{}/latest.json", source.url);
    let result = check(
        &url,
        crate::platform::INSTALLER_KEY,
        env!("CARGO_PKG_VERSION"),
        &mut memory,
        pantau_engine::time::now_ms(),
        asked,
    )
    .await;
    with_memory(app, |kept| *kept = memory);
    if let Ok(Checked::Newer(release)) = &result {
        match crate::platform::update_route() {
            // Only a build with the updater's public key can check an installer.
            UpdateRoute::Installer if source.pubkey.is_some() => {
                prepare_installer(app, release).await
            }
            _ => tell_once(app, &release.version),
        }
    }
    updates.checking.store(false, Ordering::Relaxed);
    announce_status(app);
}

/// Downloads and checks a newer version's installer (once per version), then tells the user it
/// is ready; a refusal is the last check's result, in words, and nothing is kept.
async fn prepare_installer<R: Runtime>(app: &AppHandle<R>, release: &Release) {
    if crate::platform::installer_ready(app, &release.version) {
        return tell_once(app, &release.version);
    }
    let Some(download) = &release.download else {
        log::warn!(
            "update {}: the release has no installer for Windows",
            release.version
        );
        return;
    };
    let result = crate::platform::fetch_installer(
        app,
        release.manifest(crate::platform::INSTALLER_KEY),
        &release.version,
        &download.url,
    )
    .await;
    match result {
        Ok(()) => {
            log::info!("update {}: installer checked and ready", release.version);
            tell_once(app, &release.version);
        }
        Err(reason) => {
            log::warn!("update {} refused: {reason}", release.version);
            failed(app, reason);
        }
    }
}

/// Tells the user of `version` once (a later check of the same version says nothing).
fn tell_once<R: Runtime>(app: &AppHandle<R>, version: &str) {
    let first = with_memory(app, |memory| {
        let first = memory.told.as_deref() != Some(version);
        memory.told = Some(version.to_string());
        first
    });
    if first {
        tell_newer(app, version);
    }
}

/// Says once, in a notification, that `version` is out and who will install it. Where Pantau
/// installs itself, the note offers "Pasang sekarang" and "Nanti"; a click on it opens the
/// settings' update section.
fn tell_newer<R: Runtime>(app: &AppHandle<R>, version: &str) {
    let language = app.state::<AppState>().settings().language;
    let t = |key: &str| crate::i18n::t(language, key, &[("version", version)]);
    let settings = crate::window::Navigate::Settings;
    let body = match crate::platform::update_route() {
        UpdateRoute::System => t("update.by_system"),
        UpdateRoute::Source => t("update.by_source"),
        UpdateRoute::Installer => {
            let choices = vec![
                ("install".to_string(), t("update.install_now")),
                ("later".to_string(), t("update.later")),
            ];
            let (title, body) = (t("update.ready_title"), t("update.ready_body"));
            crate::notes::ask(app, title, body, choices, move |app, choice| match choice {
                "install" => install_now(app),
                "open" => crate::window::navigate(app, settings.clone()),
                _ => {}
            });
            return;
        }
    };
    crate::notes::announce(app, t("update.available_title"), body, Some(settings));
}

/// "Pasang sekarang" (the button, the tray's line, `pantau --install-update`): installs the
/// checked newer version. Pantau ends as "Keluar" ends it (the write in flight finishes, the
/// cache is closed), the installer runs per user and starts the new version as this one ran.
/// Nothing happens, and the log says why, when no checked installer is waiting.
pub fn install_now<R: Runtime>(app: &AppHandle<R>) {
    if source().and_then(|s| s.pubkey).is_none() {
        log::warn!("install update: this build has no key to check an installer with");
        return;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        let Some(release) = newer(remembered(&app)) else {
            log::warn!("install update: no newer version is known");
            return;
        };
        if !crate::platform::installer_ready(&app, &release.version) {
            log::warn!(
                "install update: {} is not downloaded and checked yet",
                release.version
            );
            return;
        }
        log::info!("install update: installing {}", release.version);
        let ending = app.clone();
        let result = crate::platform::install_update(
            &app,
            release.manifest(crate::platform::INSTALLER_KEY),
            &release.version,
            move || crate::session::end_cleanly(&ending),
        );
        if let Err(reason) = result {
            log::warn!("install update: {reason}");
            failed(&app, reason);
            announce_status(&app);
        }
    });
}

/// "Periksa sekarang": a check at once, whatever the schedule (with the daily check off too).
pub fn check_now<R: Runtime>(app: &AppHandle<R>) -> bool {
    if source().is_none() {
        return false;
    }
    let updates = app.state::<Updates>();
    updates.by_user.store(true, Ordering::Relaxed);
    updates.wake.notify_one();
    true
}

/// kontan's pages stopped parsing: a fixed Pantau may be out, so the loop asks at once (the
/// engine's schedule keeps it to once an hour).
pub fn layout_changed<R: Runtime>(app: &AppHandle<R>) {
    if source().is_none() {
        return;
    }
    let updates = app.state::<Updates>();
    if !updates.layout_changed.swap(true, Ordering::Relaxed) {
        updates.wake.notify_one();
    }
}
