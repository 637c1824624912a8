//! Tauri's build step: the app's context, from `tauri.conf.json` at the repo root.
fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
        .expect("tauri build step (is icons/icon.png present?)");
}
