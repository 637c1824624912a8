//! Opening the cache: the schema brought up to date, a damaged file moved aside, an unwritable
//! one replaced by an in-memory cache, and a second connection for reads.

use super::{owner_only, schema, Store};
use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The writer's page cache, as a negative number of KiB: room for the indexes a 30-day cache
/// touches on every upsert (with SQLite's default 2 MiB, a month-old cache upserts 1.25x slower
/// than an empty one; with 8 MiB, as fast). Bounded, and only filled as pages are used.
const CACHE_KIB: i64 = -8192;
/// The read connection's page cache (views read little).
const READER_CACHE_KIB: i64 = -2048;

/// True when SQLite says the file itself is damaged or is no SQLite file (by its error code,
/// never by the text, which can hold the file's path).
fn is_damage(e: &Error) -> bool {
    let Error::Sqlite(rusqlite::Error::SqliteFailure(failure, message)) = e else {
        return false;
    };
    matches!(
        failure.code,
        rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
    ) || message
        .as_deref()
        .is_some_and(|m| m.contains("unsupported file format"))
}

/// `cache.sqlite` → `cache.sqlite.corrupt-20261126T101500`.
fn aside_path(path: &Path, now: chrono::DateTime<chrono::Utc>) -> PathBuf {
    let stamp = now.format("%Y%m%dT%H%M%S");
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".corrupt-{stamp}"));
    let candidate = path.with_file_name(&name);
    if !candidate.exists() {
        return candidate;
    }
    (1..)
        .map(|n| {
            let mut numbered = name.clone();
            numbered.push(format!("-{n}"));
            path.with_file_name(numbered)
        })
        .find(|p| !p.exists())
        .unwrap_or(candidate)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// How the cache was opened, when it was not simply opened.
#[derive(Debug, Clone, PartialEq)]
pub enum Recovery {
    /// The file was damaged: it was moved aside (kept, never deleted) and a fresh cache started.
    MovedAside {
        /// Where the damaged file now is.
        damaged: PathBuf,
        /// What SQLite said of it.
        reason: String,
    },
    /// The cache can be read but not written (another user's file, a read-only mount): what it
    /// holds was copied into memory, where new data is kept until exit.
    ReadOnly {
        /// Why it cannot be written.
        reason: String,
    },
    /// The cache's folder or file cannot be written: an in-memory cache stands in.
    InMemory {
        /// Why nothing can be written.
        reason: String,
    },
}

impl std::fmt::Display for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Recovery::MovedAside { damaged, reason } => write!(
                f,
                "the cache was damaged ({reason}); it was kept as {} and a fresh cache started",
                damaged.display()
            ),
            Recovery::ReadOnly { reason } => write!(
                f,
                "the cache is read-only: showing what it holds, nothing new is kept ({reason})"
            ),
            Recovery::InMemory { reason } => write!(
                f,
                "the cache cannot be written ({reason}); running with an in-memory cache, nothing is kept after exit"
            ),
        }
    }
}

impl Store {
    /// Opens (creating if needed) the cache at `path` and brings its schema up to date.
    /// Folders it creates are the user's alone (0700) and so is the file (0600): the cache holds
    /// reading history, saved articles and alert levels.
    pub fn open(path: &Path) -> Result<Store> {
        if path == Path::new(":memory:") {
            return Store::open_in_memory();
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            owner_only::create_folder(dir)?;
        }
        owner_only::create_file(path)?;
        let conn = Connection::open(path)?;
        Store::prepare(conn, path)
    }

    /// Opens the cache at `path` whatever state it is in: a damaged file is moved aside (as
    /// `NAME.corrupt-YYYYMMDDTHHMMSS`) and a fresh one started; a cache that cannot be written
    /// becomes an in-memory one. Says what it did, if anything.
    pub fn open_or_recover(path: &Path) -> Result<(Store, Option<Recovery>)> {
        let first = Store::open(path).and_then(|s| s.check_sound().map(|()| s));
        let e = match first {
            Ok(store) => return Ok((store, None)),
            Err(e) => e,
        };
        if is_damage(&e) {
            let damaged = aside_path(path, chrono::Utc::now());
            tracing::warn!("cache {} damaged: {e}", path.display());
            if std::fs::rename(path, &damaged).is_ok() {
                for suffix in ["-wal", "-shm"] {
                    let side = with_suffix(path, suffix);
                    if side.exists() {
                        let _ = std::fs::rename(&side, with_suffix(&damaged, suffix));
                    }
                }
                if let Ok(store) = Store::open(path) {
                    let recovery = Recovery::MovedAside {
                        damaged,
                        reason: e.to_string(),
                    };
                    tracing::warn!("{recovery}");
                    return Ok((store, Some(recovery)));
                }
            }
        }
        if path.is_file() {
            match Store::copy_read_only(path) {
                Ok(store) => {
                    let recovery = Recovery::ReadOnly {
                        reason: format!("{}: {e}", path.display()),
                    };
                    tracing::warn!("{recovery}");
                    return Ok((store, Some(recovery)));
                }
                Err(ro) => tracing::warn!("cache {} cannot be read either: {ro}", path.display()),
            }
        }
        let recovery = Recovery::InMemory {
            reason: format!("{}: {e}", path.display()),
        };
        tracing::warn!("{recovery}");
        Ok((Store::open_in_memory()?, Some(recovery)))
    }

    /// An in-memory cache holding a copy of the read-only file at `path` (SQLite's backup).
    /// `mode=ro` reads it beside a writer; `immutable=1` reads a WAL file on a read-only mount,
    /// where no `-shm` file can be made.
    fn copy_read_only(path: &Path) -> Result<Store> {
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
        let uri = |param: &str| {
            let mut u = url::Url::from_file_path(std::path::absolute(path)?)
                .map_err(|()| Error::InvalidValue(format!("{}: no file path", path.display())))?;
            u.set_query(Some(param));
            Ok::<_, Error>(u.to_string())
        };
        let mut memory = Connection::open_in_memory()?;
        let mut last = None;
        for param in ["mode=ro", "immutable=1"] {
            let copied = Connection::open_with_flags(uri(param)?, flags)
                .map_err(Error::from)
                .and_then(|file| {
                    let backup = rusqlite::backup::Backup::new(&file, &mut memory)?;
                    backup.run_to_completion(256, Duration::ZERO, None)?;
                    Ok(())
                });
            match copied {
                Ok(()) => {
                    let store = Store::prepare(memory, Path::new(":memory:"))?;
                    store.check_sound()?;
                    return Ok(store);
                }
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::InvalidValue("no way to read the cache".into())))
    }

    /// A cache that lives only as long as the process (when no file can be written).
    pub fn open_in_memory() -> Result<Store> {
        Store::prepare(Connection::open_in_memory()?, Path::new(":memory:"))
    }

    /// Another connection to the same file (for reads beside the writer); `None` in memory.
    pub fn reopen(&self) -> Result<Option<Store>> {
        if self.path == Path::new(":memory:") {
            return Ok(None);
        }
        let conn = Connection::open(&self.path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "cache_size", READER_CACHE_KIB)?;
        Ok(Some(Store {
            conn,
            path: self.path.clone(),
        }))
    }

    fn prepare(conn: Connection, path: &Path) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "cache_size", CACHE_KIB)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Fails when SQLite finds the file damaged (a quick structural check).
    fn check_sound(&self) -> Result<()> {
        let verdict: String = self
            .conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(Error::Sqlite(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                Some(format!("database disk image is malformed: {verdict}")),
            )))
        }
    }

    fn migrate(&mut self) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: usize = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i + 1)?;
        }
        tx.commit()?;
        Ok(())
    }
}
