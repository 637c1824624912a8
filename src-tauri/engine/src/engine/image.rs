//! Articles' lead images, fetched by the engine (never by the webview): only from kontan's hosts,
//! with Pantau's User-Agent, robots.txt and waits, size-capped, and kept with the article.

use super::{Engine, Patience};
use crate::error::Result;
use crate::model::Article;
use crate::parse::urls::is_kontan_host;
use crate::sources::Source;
use crate::store::{StoredImage, Validators};
use crate::time::now_ms;
use url::Url;

/// The largest lead image fetched (kontan's are 30 to 200 KB).
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// How long a picture that could not be had is not asked for again.
const RETRY_MISSING_MS: i64 = 6 * 3_600_000;

impl Engine {
    /// The article's lead image: kept with the article, else fetched once. `None` when the
    /// article has none, its address is not kontan's, or it could not be had (tried again after
    /// a few hours). A picture never stops the article from being read.
    pub async fn lead_image(&self, article: &Article) -> Result<Option<StoredImage>> {
        let Some(url) = article.image_url.as_deref().and_then(image_address) else {
            return Ok(None);
        };
        let kept = self.reader().lead_image(&article.url)?;
        if let Some(kept) = kept.filter(|k| k.image_url == url.as_str()) {
            let fresh_failure = now_ms() - kept.fetched_at < RETRY_MISSING_MS;
            if !kept.bytes.is_empty() {
                return Ok(Some(kept));
            }
            if fresh_failure {
                return Ok(None);
            }
        }
        let image = match self.fetch_image(&url).await {
            Ok(image) => image,
            Err(e) => {
                tracing::info!("lead image {url}: {e}");
                StoredImage {
                    image_url: url.to_string(),
                    media_type: String::new(),
                    bytes: Vec::new(),
                    fetched_at: now_ms(),
                }
            }
        };
        self.store().put_lead_image(&article.url, &image)?;
        Ok(Some(image).filter(|i| !i.bytes.is_empty()))
    }

    async fn fetch_image(&self, url: &Url) -> Result<StoredImage> {
        // While kontan has asked Pantau to wait for its articles, pictures wait too.
        self.check_backoff(&Source::Article, Patience::UserAsked)?;
        let body = self
            .get_following_capped(url, &Validators::default(), true, MAX_IMAGE_BYTES)
            .await?
            .ok_or_else(|| crate::Error::Network("an image answered 304 unasked".into()))?;
        let media_type = sniff(&body.bytes).ok_or_else(|| {
            crate::Error::Network(format!(
                "not a picture ({})",
                body.media_type.as_deref().unwrap_or("no type")
            ))
        })?;
        Ok(StoredImage {
            image_url: url.to_string(),
            media_type: media_type.to_string(),
            bytes: body.bytes,
            fetched_at: now_ms(),
        })
    }
}

/// The address a lead image is fetched from: kontan's hosts only, over https.
fn image_address(raw: &str) -> Option<Url> {
    let mut url = Url::parse(raw).ok()?;
    if !url.host_str().is_some_and(is_kontan_host) {
        return None;
    }
    match url.scheme() {
        "https" => {}
        "http" => url.set_scheme("https").ok()?,
        _ => return None,
    }
    url.set_fragment(None);
    Some(url)
}

/// The picture's type from its first bytes: JPEG, PNG, GIF or WebP, nothing else (no SVG, no
/// HTML however it is labelled).
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some("image/png"),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some("image/gif"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_kontan_pictures_over_https() {
        let ok = image_address("http://foto.kontan.co.id/a=/smart/x.jpg#top").unwrap();
        assert_eq!(ok.as_str(), "https://foto.kontan.co.id/a=/smart/x.jpg");
        for refused in [
            "https://example.com/x.jpg",
            "https://foto.kontan.co.id.evil.example/x.jpg",
            "data:image/png;base64,AAAA",
            "file:///etc/passwd",
            "ftp://foto.kontan.co.id/x.jpg",
        ] {
            assert_eq!(image_address(refused), None, "{refused}");
        }
    }

    #[test]
    fn pictures_are_known_by_their_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"GIF89a...."), Some("image/gif"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"<!doctype html>"), None);
        assert_eq!(sniff(b""), None);
    }
}
