//! What HTTP remembers per address: validators for conditional GETs, and robots.txt per host.

use super::{Millis, Store};
use crate::error::Result;
use rusqlite::{params, OptionalExtension};

/// HTTP validators remembered for a URL.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Validators {
    /// The `ETag` the server gave.
    pub etag: Option<String>,
    /// The `Last-Modified` the server gave.
    pub last_modified: Option<String>,
}

impl Store {
    /// The validators stored for `url`.
    pub fn validators(&self, url: &str) -> Result<Validators> {
        Ok(self
            .conn
            .query_row(
                "SELECT etag, last_modified FROM validators WHERE url = ?1",
                [url],
                |r| {
                    Ok(Validators {
                        etag: r.get(0)?,
                        last_modified: r.get(1)?,
                    })
                },
            )
            .optional()?
            .unwrap_or_default())
    }

    /// Remembers the validators of a response.
    pub fn set_validators(&self, url: &str, v: &Validators, at: Millis) -> Result<()> {
        self.conn.execute(
            "INSERT INTO validators (url, etag, last_modified, checked_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, checked_at = excluded.checked_at",
            params![url, v.etag, v.last_modified, at],
        )?;
        Ok(())
    }

    /// Forgets the validators of a URL (so the next fetch is a full one).
    pub fn clear_validators(&self, url: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM validators WHERE url = ?1", [url])?;
        Ok(())
    }

    // ---- robots.txt ----

    /// The cached robots.txt of a host and when it was fetched.
    pub fn robots(&self, host: &str) -> Result<Option<(String, Millis)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT body, fetched_at FROM robots WHERE host = ?1",
                [host],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Caches a host's robots.txt.
    pub fn set_robots(&self, host: &str, body: &str, at: Millis) -> Result<()> {
        self.conn.execute(
            "INSERT INTO robots (host, body, fetched_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(host) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at",
            params![host, body, at],
        )?;
        Ok(())
    }
}
