//! Tauri's build step: the app's context from `tauri.conf.json` (beside the manifest, at the repo
//! root) and the capabilities in `src-tauri/capabilities/`; the app's commands are allowed only
//! where a capability names them (the popup, `main`).
/// Pantau's own commands: each needs a permission, which only the popup's capability grants.
const COMMANDS: &[&str] = &[
    "market",
    "meta",
    "refresh_now",
    "headlines",
    "article",
    "search",
    "mark_read",
    "mark_all_read",
    "set_saved",
    "saved_headlines",
    "lead_image",
    "get_settings",
    "set_settings",
    "indicator",
    "ui_error",
    "alerts_inbox",
    "alerts_unseen",
    "word_preview",
    "snooze_alerts",
    "open_external",
    "popup_ready",
    "popup_painted",
    "hide_popup",
    "update_status",
    "check_updates_now",
    "install_update",
    "taskbar_status",
    "show_on_taskbar",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step (are tauri.conf.json and icons/ present?)");
}
