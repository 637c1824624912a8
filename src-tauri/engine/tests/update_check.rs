//! The update check over real HTTP on loopback, against a release tree served by the fixture
//! site: a newer version is found, an unchanged `latest.json` costs a 304 and no body, failures
//! are remembered in words without losing what was known, and nothing older is ever offered.

#![allow(clippy::unwrap_used)] // test helpers: a failure here is a failed test

use kontan_fixture::{FixtureSite, SiteConfig};
use pantau_engine::update::{check, Asked, Checked, LastCheck, UpdateMemory};
use std::path::Path;

fn write_latest(dir: &Path, version: &str, url: &str) {
    let latest = serde_json::json!({
        "version": version,
        "notes": "Harga emas terbaca lagi setelah kontan mengubah halamannya.",
        "pub_date": "2026-12-07T10:00:00Z",
        "platforms": { "windows-x86_64": { "url": url, "signature": "c2lnbmF0dXJl" } }
    });
    std::fs::write(dir.join("latest.json"), latest.to_string()).unwrap();
}

/// An empty release tree, served by the fixture site under `/releases/`.
fn served() -> (tempfile::TempDir, FixtureSite) {
    let dir = tempfile::tempdir().unwrap();
    let config = SiteConfig {
        releases_dir: Some(dir.path().to_path_buf()),
        ..SiteConfig::from_repo()
    };
    (dir, FixtureSite::spawn(config, 0).unwrap())
}

/// The address of `name` in the served release tree.
fn address(site: &FixtureSite, name: &str) -> String {
    format!("{}/releases/{name}", site.origin())
}

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Runtime::new().unwrap().block_on(f)
}

/// One check of `url` for the Windows installer by a Pantau of version `running`, at `at`.
fn ask(
    url: &str,
    running: &str,
    memory: &mut UpdateMemory,
    at: i64,
    asked: Asked,
) -> pantau_engine::Result<Checked> {
    run(check(url, "windows-x86_64", running, memory, at, asked))
}

#[test]
fn a_newer_release_is_found_and_an_unchanged_one_costs_a_304() {
    let (dir, site) = served();
    let url = address(&site, "latest.json");
    write_latest(dir.path(), "0.1.1", &address(&site, "Pantau.exe"));
    let mut memory = UpdateMemory::default();
    let found = ask(&url, "0.1.0", &mut memory, 1_000, Asked::Daily);
    let Ok(Checked::Newer(release)) = found else {
        panic!("{found:?}")
    };
    assert_eq!(release.version, "0.1.1");
    assert!(release.notes.starts_with("Harga emas"));
    assert_eq!(memory.last_check_ms, Some(1_000));
    assert_eq!(
        memory.last_result,
        Some(LastCheck::Newer {
            version: "0.1.1".into()
        })
    );

    // The next day: the same file answers 304 with no body, and the release is still known.
    let again = ask(&url, "0.1.0", &mut memory, 2_000, Asked::Daily);
    assert!(
        matches!(again, Ok(Checked::Newer(ref r)) if r.version == "0.1.1"),
        "{again:?}"
    );
    let log = site.requests_to("/releases/");
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0].status, 200);
    assert_eq!(
        (log[1].status, log[1].if_none_match.is_some()),
        (304, true),
        "{log:?}"
    );

    // Running the released version itself: nothing to offer.
    let same = ask(&url, "0.1.1", &mut memory, 3_000, Asked::ByUser);
    assert_eq!(same.unwrap(), Checked::UpToDate);
}

#[test]
fn an_older_or_equal_version_is_never_offered() {
    let (dir, site) = served();
    let url = address(&site, "latest.json");
    write_latest(dir.path(), "0.0.9", "https://unduh.example/Pantau.exe");
    let mut memory = UpdateMemory::default();
    let found = ask(&url, "0.1.0", &mut memory, 1, Asked::Daily);
    assert_eq!(found.unwrap(), Checked::UpToDate);
    assert_eq!(memory.last_result, Some(LastCheck::UpToDate));
}

#[test]
fn a_failed_check_is_remembered_in_words_and_keeps_what_was_known() {
    let (dir, site) = served();
    let url = address(&site, "latest.json");
    let mut memory = UpdateMemory::default();
    // Nothing released yet: a 404.
    let missing = ask(&url, "0.1.0", &mut memory, 1, Asked::Daily);
    assert!(missing.unwrap_err().to_string().contains("404"));
    assert!(
        matches!(memory.last_result, Some(LastCheck::Failed { ref reason }) if reason.contains("404"))
    );

    write_latest(dir.path(), "0.2.0", "https://unduh.example/Pantau.exe");
    ask(&url, "0.1.0", &mut memory, 2, Asked::Daily).unwrap();
    // A download that is not https is refused, and the release known before stays known.
    write_latest(dir.path(), "0.3.0", "http://unduh.example/Pantau.exe");
    let refused = ask(&url, "0.1.0", &mut memory, 3, Asked::Daily);
    assert!(refused.unwrap_err().to_string().contains("not https"));
    assert_eq!(memory.latest.as_ref().unwrap().version, "0.2.0");

    // Offline: the server is gone.
    site.stop();
    let offline = ask(&url, "0.1.0", &mut memory, 4, Asked::LayoutChanged);
    assert!(offline
        .unwrap_err()
        .to_string()
        .contains("cannot be reached"));
    assert_eq!(memory.last_check_ms, Some(4));
}

#[test]
fn an_installer_is_downloaded_whole_but_never_past_its_size_limit_or_over_plain_http() {
    let (dir, site) = served();
    std::fs::write(dir.path().join("Pantau.exe"), vec![7u8; 300_000]).unwrap();
    let url = address(&site, "Pantau.exe");
    let bytes = run(pantau_engine::update::download(&url)).unwrap();
    assert_eq!(bytes.len(), 300_000);
    let refused = run(pantau_engine::update::download_at_most(&url, 100_000)).unwrap_err();
    assert!(refused.to_string().contains("larger than"), "{refused}");
    let plain = run(pantau_engine::update::download(
        "http://unduh.example/Pantau.exe",
    ));
    assert!(plain.unwrap_err().to_string().contains("not https"));
    let missing = address(&site, "Hilang.exe");
    assert!(run(pantau_engine::update::download(&missing))
        .unwrap_err()
        .to_string()
        .contains("404"));
}
