//! Articles' lead images, kept with the article so a saved story reads offline with its picture.

use super::{Millis, Store};
use crate::error::Result;
use rusqlite::{params, OptionalExtension};

/// A stored lead image. Empty `bytes` means the picture could not be had when last tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    /// Where the picture came from.
    pub image_url: String,
    /// Its media type as sniffed from the bytes (`image/jpeg` ...), empty when there are none.
    pub media_type: String,
    /// The picture.
    pub bytes: Vec<u8>,
    /// When it was fetched or last tried.
    pub fetched_at: Millis,
}

impl Store {
    /// Keeps an article's lead image (by the article's canonical address).
    pub fn put_lead_image(&mut self, article_url: &str, image: &StoredImage) -> Result<()> {
        self.conn.execute(
            "INSERT INTO article_images (article_url, image_url, media_type, bytes, fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(article_url) DO UPDATE SET image_url = excluded.image_url,
                media_type = excluded.media_type, bytes = excluded.bytes,
                fetched_at = excluded.fetched_at",
            params![
                article_url,
                image.image_url,
                image.media_type,
                image.bytes,
                image.fetched_at
            ],
        )?;
        Ok(())
    }

    /// The lead image kept for an article (its canonical address or one it was asked by).
    pub fn lead_image(&self, article_url: &str) -> Result<Option<StoredImage>> {
        Ok(self
            .conn
            .query_row(
                "SELECT image_url, media_type, bytes, fetched_at FROM article_images
                 WHERE article_url = ?1
                    OR article_url = (SELECT canonical FROM article_aliases WHERE url = ?1)
                 LIMIT 1",
                [article_url],
                |r| {
                    Ok(StoredImage {
                        image_url: r.get(0)?,
                        media_type: r.get(1)?,
                        bytes: r.get(2)?,
                        fetched_at: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }
}
