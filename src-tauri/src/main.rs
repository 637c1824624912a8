//! Starts the Pantau desktop app.
// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    pantau_lib::run();
}
