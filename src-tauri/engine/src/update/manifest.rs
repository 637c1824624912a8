//! `latest.json`, the Tauri updater's format: `version`, `notes`, `pub_date` and, per platform
//! (`windows-x86_64`), the installer's `url` and its minisign `signature`. What Pantau accepts of
//! it: a version in semver, download addresses over https (http on loopback, for tests), bounded
//! sizes, and notes scrubbed like any text from the network.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest `latest.json` read (a real one is under 4 KB).
pub const MAX_MANIFEST_BYTES: usize = 64 * 1024;
/// The largest installer downloaded (Pantau's is under 10 MB).
pub const MAX_INSTALLER_BYTES: u64 = 200 * 1024 * 1024;
/// Release notes are cut here (they are shown in a banner).
const MAX_NOTES_CHARS: usize = 4000;

/// The platform key of Windows' installer in `latest.json`.
pub const WINDOWS_X86_64: &str = "windows-x86_64";

/// A released version as `latest.json` offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// Its version (semver, without a leading `v`).
    pub version: String,
    /// What changed, in users' words (the version's section of the changelog).
    pub notes: String,
    /// When it was published (RFC 3339), as the release says.
    pub pub_date: Option<String>,
    /// This platform's installer, where the release carries one.
    pub download: Option<Download>,
}

/// An installer and the signature that vouches for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Download {
    /// Where it is (https, or http on loopback).
    pub url: String,
    /// Its minisign signature, as `latest.json` carries it.
    pub signature: String,
}

#[derive(Deserialize)]
struct LatestJson {
    version: String,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    pub_date: Option<String>,
    #[serde(default)]
    platforms: BTreeMap<String, PlatformJson>,
}

#[derive(Deserialize)]
struct PlatformJson {
    url: String,
    signature: String,
}

impl Release {
    /// Reads `latest.json` for `platform` (e.g. [`WINDOWS_X86_64`]; another platform's entries
    /// are ignored). A bad version, or a download that is not https, is a clear error.
    pub fn parse(bytes: &[u8], platform: &str) -> Result<Release> {
        if bytes.len() > MAX_MANIFEST_BYTES {
            return Err(Error::Update(format!(
                "latest.json is larger than {} KB",
                MAX_MANIFEST_BYTES / 1024
            )));
        }
        let raw: LatestJson = serde_json::from_slice(bytes)
            .map_err(|e| Error::Update(format!("latest.json cannot be read: {e}")))?;
        let version = parse_version(&raw.version)?.to_string();
        let download = match raw.platforms.get(platform) {
            Some(p) => {
                download_url(&p.url)?;
                if p.signature.trim().is_empty() {
                    return Err(Error::Update(format!(
                        "{platform}: the signature is missing"
                    )));
                }
                Some(Download {
                    url: p.url.clone(),
                    signature: p.signature.trim().to_string(),
                })
            }
            None => None,
        };
        let notes = raw.notes.as_deref().unwrap_or("").lines().map(|line| {
            crate::parse::text::strip_steering(line)
                .trim_end()
                .to_string()
        });
        Ok(Release {
            version,
            notes: notes
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .chars()
                .take(MAX_NOTES_CHARS)
                .collect(),
            pub_date: raw.pub_date.map(|d| crate::parse::text::collapse_ws(&d)),
            download,
        })
    }

    /// `latest.json` for this release as `parse` kept it (what the Tauri updater plugin reads),
    /// with its installer under `platform`.
    pub fn manifest(&self, platform: &str) -> serde_json::Value {
        let mut json = serde_json::json!({
            "version": self.version,
            "notes": self.notes,
            "platforms": {},
        });
        if let Some(date) = &self.pub_date {
            json["pub_date"] = date.as_str().into();
        }
        if let Some(d) = &self.download {
            json["platforms"][platform] =
                serde_json::json!({ "url": d.url, "signature": d.signature });
        }
        json
    }

    /// Whether this release is newer than `running` (a version not newer is never offered).
    pub fn is_newer_than(&self, running: &str) -> Result<bool> {
        Ok(parse_version(&self.version)? > parse_version(running)?)
    }
}

/// A version as semver (a leading `v` allowed), or a clear error.
pub fn parse_version(raw: &str) -> Result<semver::Version> {
    let trimmed = raw.trim();
    semver::Version::parse(trimmed.strip_prefix('v').unwrap_or(trimmed))
        .map_err(|e| Error::Update(format!("\"{}\" is not a version: {e}", raw.escape_debug())))
}

/// A download address Pantau may fetch: https anywhere, http only on loopback (tests).
pub fn download_url(raw: &str) -> Result<url::Url> {
    let url = url::Url::parse(raw)
        .map_err(|_| Error::Update(format!("\"{}\" is not an address", raw.escape_debug())))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(Error::Update(format!(
            "{url} is not https: an update is only fetched over https"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latest(version: &str, url: &str) -> Vec<u8> {
        serde_json::json!({
            "version": version,
            "notes": "Harga emas terbaca lagi.\u{202E}",
            "pub_date": "2026-12-07T10:00:00Z",
            "platforms": {
                "windows-x86_64": { "url": url, "signature": "dW50cnVzdGVk" },
                "linux-x86_64": { "url": "ftp://example.invalid/x", "signature": "" }
            }
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn a_release_is_read_with_its_installer_and_clean_notes() {
        let r = Release::parse(
            &latest("v0.1.1", "https://unduh.example/p.exe"),
            WINDOWS_X86_64,
        )
        .unwrap();
        assert_eq!(r.version, "0.1.1");
        assert_eq!(r.notes, "Harga emas terbaca lagi.");
        assert_eq!(r.download.unwrap().url, "https://unduh.example/p.exe");
        assert!(r.pub_date.is_some());
    }

    #[test]
    fn a_release_gives_back_the_manifest_it_was_read_from() {
        let r =
            Release::parse(&latest("0.1.1", "https://a.example/p.exe"), WINDOWS_X86_64).unwrap();
        let again = r.manifest(WINDOWS_X86_64).to_string();
        assert_eq!(Release::parse(again.as_bytes(), WINDOWS_X86_64).unwrap(), r);
    }

    #[test]
    fn only_a_newer_version_is_newer() {
        let r = Release::parse(&latest("0.1.1", "https://a.example/p.exe"), "none").unwrap();
        assert!(r.is_newer_than("0.1.0").unwrap());
        assert!(!r.is_newer_than("0.1.1").unwrap());
        assert!(!r.is_newer_than("0.2.0").unwrap());
        assert!(r.is_newer_than("0.1.1-rc.1").unwrap());
    }

    #[test]
    fn a_download_that_is_not_https_is_refused_but_loopback_is_allowed() {
        for bad in [
            "http://unduh.example/p.exe",
            "file:///C:/p.exe",
            "ftp://a/p.exe",
        ] {
            let e = Release::parse(&latest("0.1.1", bad), WINDOWS_X86_64).unwrap_err();
            assert!(e.to_string().contains("not https"), "{bad}: {e}");
        }
        for good in [
            "http://127.0.0.1:8080/p.exe",
            "http://localhost/p.exe",
            "http://[::1]/p",
        ] {
            Release::parse(&latest("0.1.1", good), WINDOWS_X86_64).unwrap();
        }
    }

    #[test]
    fn an_installer_without_a_signature_is_refused() {
        let mut latest: serde_json::Value =
            serde_json::from_slice(&latest("0.1.1", "https://a.example/p.exe")).unwrap();
        latest["platforms"][WINDOWS_X86_64]["signature"] = " ".into();
        let e = Release::parse(latest.to_string().as_bytes(), WINDOWS_X86_64).unwrap_err();
        assert!(e.to_string().contains("signature is missing"), "{e}");
    }

    #[test]
    fn bad_versions_and_oversized_files_are_clear_errors() {
        let e = Release::parse(&latest("besok", "https://a.example/p"), "x").unwrap_err();
        assert!(e.to_string().contains("is not a version"), "{e}");
        let big = vec![b' '; MAX_MANIFEST_BYTES + 1];
        assert!(Release::parse(&big, "x")
            .unwrap_err()
            .to_string()
            .contains("larger"));
        let e = Release::parse(b"<html>", "x").unwrap_err();
        assert!(e.to_string().contains("cannot be read"), "{e}");
    }
}
