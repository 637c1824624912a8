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

/// Writes `csv` to a file, runs `pantau-cli alerts <command> FILE <extra>...`, and returns its
/// JSON lines (the command must succeed).
pub fn replay_lines(command: &str, csv: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("replay.csv");
    std::fs::write(&file, csv).unwrap();
    let out = cli()
        .args(["alerts", command, file.to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The repo's kontan fixture pages.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/kontan")
}

/// Reads a fixture page as text.
pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}
