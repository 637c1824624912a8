//! Each source's health: last success, failures in a row, the error, the next try.

use super::{decodable, Millis, Store};
use crate::error::Result;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// What a source last did.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SourceStatus {
    /// The source's name (`kontan:bar`, `kontan:channel:keuangan`, ...).
    pub source: String,
    /// When it last worked.
    pub last_ok: Option<Millis>,
    /// When it was last tried.
    pub last_attempt: Option<Millis>,
    /// Failures in a row since it last worked.
    pub failures: u32,
    /// The last error's stable kind.
    pub error_kind: Option<String>,
    /// The last error in words.
    pub error_message: Option<String>,
    /// When it may be tried again.
    pub next_retry: Option<Millis>,
}

impl Store {
    /// Until when `host` asked Pantau to wait (its Retry-After), if that is still ahead of `now`.
    pub fn host_wait(&self, host: &str, now: Millis) -> Result<Option<Millis>> {
        Ok(self
            .conn
            .query_row(
                "SELECT until FROM host_waits WHERE host = ?1 AND until > ?2",
                params![host, now],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records that `host` asked Pantau to wait until `until`; a later wait already recorded
    /// stands (a server can only make Pantau wait longer).
    pub fn set_host_wait(&self, host: &str, until: Millis) -> Result<()> {
        self.conn.execute(
            "INSERT INTO host_waits (host, until) VALUES (?1, ?2)
             ON CONFLICT(host) DO UPDATE SET until = max(until, excluded.until)",
            params![host, until],
        )?;
        Ok(())
    }

    /// What a source last did.
    pub fn source_status(&self, source: &str) -> Result<SourceStatus> {
        Ok(self
            .conn
            .query_row(
                "SELECT source, last_ok, last_attempt, failures, error_kind, error_message, next_retry FROM source_status WHERE source = ?1",
                [source],
                row_to_status,
            )
            .optional()?
            .unwrap_or_else(|| SourceStatus { source: source.to_string(), ..Default::default() }))
    }

    /// Every source's status.
    pub fn all_source_status(&self) -> Result<Vec<SourceStatus>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT source, last_ok, last_attempt, failures, error_kind, error_message, next_retry FROM source_status ORDER BY source",
        )?;
        let rows = stmt.query_map([], row_to_status)?;
        Ok(decodable(rows, "source status"))
    }

    /// Records a success.
    pub fn source_ok(&self, source: &str, at: Millis) -> Result<()> {
        self.conn.execute(
            "INSERT INTO source_status (source, last_ok, last_attempt, failures) VALUES (?1, ?2, ?2, 0)
             ON CONFLICT(source) DO UPDATE SET last_ok = ?2, last_attempt = ?2, failures = 0, error_kind = NULL, error_message = NULL, next_retry = NULL",
            params![source, at],
        )?;
        Ok(())
    }

    /// Records a failure and when the source may be tried again; returns the failure count.
    pub fn source_failed(
        &self,
        source: &str,
        kind: &str,
        message: &str,
        at: Millis,
        next_retry: Option<Millis>,
    ) -> Result<u32> {
        self.conn.execute(
            "INSERT INTO source_status (source, last_attempt, failures, error_kind, error_message, next_retry) VALUES (?1, ?2, 1, ?3, ?4, ?5)
             ON CONFLICT(source) DO UPDATE SET last_attempt = ?2, failures = failures + 1, error_kind = ?3, error_message = ?4, next_retry = ?5",
            params![source, at, kind, message, next_retry],
        )?;
        Ok(self.source_status(source)?.failures)
    }
}

fn row_to_status(row: &rusqlite::Row<'_>) -> rusqlite::Result<SourceStatus> {
    Ok(SourceStatus {
        source: row.get(0)?,
        last_ok: row.get(1)?,
        last_attempt: row.get(2)?,
        failures: row.get(3)?,
        error_kind: row.get(4)?,
        error_message: row.get(5)?,
        next_retry: row.get(6)?,
    })
}
