//! The floor for footprint measurements: the smallest Tauri window on this machine (one static
//! page, no tray, no plugins). `scripts/measure-footprint` compares Pantau against it.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!(
            "src-tauri/examples/floor/tauri.conf.json"
        ))
        .expect("floor window");
}
