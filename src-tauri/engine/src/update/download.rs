//! Downloading a release's installer: https only (http on loopback, for tests), at most
//! [`MAX_INSTALLER_BYTES`] (counted as it arrives, whatever the server says), within a time
//! limit. The bytes are not trusted here: the shell checks their signature before anything runs.

use super::manifest::{download_url, MAX_INSTALLER_BYTES};
use crate::error::{Error, Result};
use std::time::Duration;

/// The longest a download may take.
const DOWNLOAD_LIMIT: Duration = Duration::from_secs(15 * 60);

/// The file at `url`, or why it was refused.
pub async fn download(url: &str) -> Result<Vec<u8>> {
    download_at_most(url, MAX_INSTALLER_BYTES).await
}

/// [`download`] with its size limit given.
pub async fn download_at_most(url: &str, limit: u64) -> Result<Vec<u8>> {
    let url = download_url(url)?;
    let client = reqwest::Client::builder()
        .user_agent(crate::fetch::user_agent())
        .connect_timeout(Duration::from_secs(15))
        .timeout(DOWNLOAD_LIMIT)
        .https_only(url.scheme() == "https")
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .map_err(|e| Error::Update(format!("the HTTP client cannot start: {e}")))?;
    let mut response = client
        .get(url.clone())
        .send()
        .await
        .map_err(|e| Error::Update(format!("{url} cannot be reached: {e}")))?;
    if !response.status().is_success() {
        return Err(Error::Update(format!(
            "{url} answered {}",
            response.status().as_u16()
        )));
    }
    let too_large = || {
        Error::Update(format!(
            "the installer is larger than {} MB: refused",
            limit / (1024 * 1024)
        ))
    };
    if response.content_length().is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Error::Update(format!("{url}: {e}")))?
    {
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
