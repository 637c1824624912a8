//! Tauri's build step: the app's context from `tauri.conf.json` (beside the manifest, at the repo
//! root) and the capabilities in `src-tauri/capabilities/`.
fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("src-tauri/capabilities/**/*"),
    )
    .expect("tauri build step (are tauri.conf.json and icons/ present?)");
}
