//! One check: a conditional GET of `latest.json` (the validators of the last answer sent, so an
//! unchanged file costs a 304 and no body), read with a size limit, judged against the running
//! version, and remembered in [`UpdateMemory`].

use super::manifest::{download_url, Release, MAX_MANIFEST_BYTES};
use super::schedule::{LastCheck, UpdateMemory};
use crate::error::{Error, Result};
use crate::time::Millis;
use std::time::Duration;

/// Why a check is made (logged; the schedule decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Asked {
    /// The daily check.
    Daily,
    /// kontan's pages stopped parsing: a fix may be released.
    LayoutChanged,
    /// The user pressed "Periksa sekarang" (or a script asked).
    ByUser,
}

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Checked {
    /// Nothing newer than the running version.
    UpToDate,
    /// This newer release (its download, where it has one for the platform, is https).
    Newer(Release),
}

/// Asks `url` (the release's `latest.json`) whether a version newer than `running` is out, for
/// `platform`'s installer; records the answer in `memory` at `now` (a failure too, in words).
pub async fn check(
    url: &str,
    platform: &str,
    running: &str,
    memory: &mut UpdateMemory,
    now: Millis,
    asked: Asked,
) -> Result<Checked> {
    let result = ask(url, platform, memory).await;
    tracing::info!(
        "update check ({asked:?}): {}",
        match &result {
            Ok(Some(r)) => format!("latest is {}", r.version),
            Ok(None) => "not modified".into(),
            Err(e) => e.to_string(),
        }
    );
    let checked = match result {
        Ok(Some(release)) => {
            memory.latest = Some(release);
            judge(memory.latest.as_ref(), running)
        }
        Ok(None) => judge(memory.latest.as_ref(), running),
        Err(e) => Err(e),
    };
    memory.checked(
        now,
        match &checked {
            Ok(Checked::UpToDate) => LastCheck::UpToDate,
            Ok(Checked::Newer(r)) => LastCheck::Newer {
                version: r.version.clone(),
            },
            Err(e) => LastCheck::Failed {
                reason: e.to_string(),
            },
        },
    );
    checked
}

/// Whether `latest` (the newest release known) is newer than `running`.
fn judge(latest: Option<&Release>, running: &str) -> Result<Checked> {
    match latest {
        Some(r) if r.is_newer_than(running)? => Ok(Checked::Newer(r.clone())),
        _ => Ok(Checked::UpToDate),
    }
}

/// The release `url` offers now, or `None` when it is unchanged since the last answer.
async fn ask(url: &str, platform: &str, memory: &mut UpdateMemory) -> Result<Option<Release>> {
    let url = download_url(url)?;
    let client = reqwest::Client::builder()
        .user_agent(crate::fetch::user_agent())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::limited(3))
        .https_only(url.scheme() == "https")
        .build()
        .map_err(|e| Error::Update(format!("the HTTP client cannot start: {e}")))?;
    let mut request = client.get(url.clone());
    // Validators go only with the answer they came from (a cached `latest` to fall back on).
    if memory.latest.is_some() {
        if let Some(etag) = &memory.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(modified) = &memory.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, modified);
        }
    }
    let mut response = request
        .send()
        .await
        .map_err(|e| Error::Update(format!("{url} cannot be reached: {e}")))?;
    let status = response.status();
    if status == reqwest::StatusCode::NOT_MODIFIED && memory.latest.is_some() {
        return Ok(None);
    }
    if !status.is_success() {
        return Err(Error::Update(format!("{url} answered {}", status.as_u16())));
    }
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
            .filter(|v| v.len() < 200)
            .map(str::to_string)
    };
    let (etag, modified) = (
        header(reqwest::header::ETAG),
        header(reqwest::header::LAST_MODIFIED),
    );
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Error::Update(format!("{url}: {e}")))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_MANIFEST_BYTES {
            return Err(Error::Update(format!(
                "latest.json is larger than {} KB",
                MAX_MANIFEST_BYTES / 1024
            )));
        }
    }
    let release = Release::parse(&body, platform)?;
    memory.etag = etag;
    memory.last_modified = modified;
    Ok(Some(release))
}
