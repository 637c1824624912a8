//! Updates: whether a newer Pantau has been released, when to ask, and what is remembered between
//! runs. A release publishes `latest.json` in the Tauri updater's format (`./scripts/release`);
//! the engine reads it with one small conditional request a day, and at once (at most hourly)
//! when kontan's pages stop parsing. Installing is the shell's job: the system's package manager
//! on Linux, the signed installer on Windows.

mod check;
mod download;
pub mod manifest;
pub mod schedule;

pub use check::{check, Asked, Checked};
pub use download::{download, download_at_most};
pub use manifest::{Download, Release, MAX_INSTALLER_BYTES};
pub use schedule::{LastCheck, UpdateMemory};
