//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)] // test helpers: a failure here is a failed test

pub mod site;

use std::path::PathBuf;
use std::process::Command;

/// `pantau-cli` as built for these tests, with no origin inherited from the environment.
pub fn cli() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pantau-cli"));
    cmd.env_remove("PANTAU_KONTAN_ORIGIN");
    cmd
}

/// The repo's kontan fixture pages.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/kontan")
}

/// Reads a fixture page as text.
pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}
