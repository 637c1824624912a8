//! The offline-first cache: one SQLite file (WAL) that the app and the CLI share.
//!
//! One file per table (or pair of tables that live together), each an `impl Store` block:
//! [`readings`], [`headlines`], [`articles`] (with search), [`http`] (validators, robots.txt),
//! [`sources`], [`alerts`], [`settings`] (every key in [`keys`]), [`upkeep`]; [`open`] brings
//! the file up to date or recovers from a damaged one.

mod alerts;
mod articles;
mod headlines;
mod http;
mod images;
mod open;
pub mod owner_only;
mod readings;
mod schema;
mod settings;
mod sources;
#[cfg(test)]
mod tests;
mod upkeep;

pub use articles::SearchHit;
pub use headlines::StoredHeadline;
pub use http::Validators;
pub use images::StoredImage;
pub use open::Recovery;
pub use readings::StoredReading;
pub use settings::keys;
pub use sources::SourceStatus;

use crate::error::Result;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

pub use crate::time::Millis;

/// Retention limits.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// Articles and unstarred headlines older than this go.
    pub days: i64,
    /// Readings older than this are thinned to one per symbol per hour.
    pub full_detail_days: i64,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            days: 30,
            full_detail_days: 3,
        }
    }
}

/// Keeps the rows that decode; a row that does not is logged and counts as not cached.
fn decodable<T>(rows: impl Iterator<Item = rusqlite::Result<T>>, what: &str) -> Vec<T> {
    rows.filter_map(|r| match r {
        Ok(v) => Some(v),
        Err(e) => {
            tracing::warn!("a cached {what} row cannot be read and is skipped: {e}");
            None
        }
    })
    .collect()
}

/// A stored name this version does not know, as the row error that makes the row a miss.
fn unknown_value(column: usize, what: &str, name: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("unknown {what} {name:?}").into(),
    )
}

/// The cache.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// Bytes SQLite holds in this process (page caches, statements, schema), for footprint reports.
pub fn sqlite_memory_used() -> i64 {
    // SAFETY: sqlite3_memory_used only reads SQLite's own counter; it is thread-safe.
    unsafe { rusqlite::ffi::sqlite3_memory_used() }
}

impl Store {
    /// The platform's local data directory for Pantau's cache (`~/.local/share/pantau/cache.sqlite`,
    /// `%LOCALAPPDATA%\Pantau\pantau\data\cache.sqlite`: never a roaming profile).
    /// `None` without a home folder: then there is nowhere of the user's own to keep it.
    pub fn default_path() -> Option<PathBuf> {
        let dir = directories::ProjectDirs::from("id", "Pantau", "pantau")?
            .data_local_dir()
            .to_path_buf();
        owner_only::tighten_folder(&dir);
        Some(dir.join("cache.sqlite"))
    }

    /// Where the file lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version.
    pub fn schema_version(&self) -> Result<usize> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }
}
