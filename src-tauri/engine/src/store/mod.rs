//! The offline-first cache: one SQLite file (WAL) that the app and the CLI share.

mod schema;

use crate::error::{Error, Result};
use crate::model::{Article, Headline, Indicator};
use crate::parse::indicators::KNOWN_SYMBOLS;
use chrono::{DateTime, FixedOffset};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// A stored indicator reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredReading {
    #[serde(flatten)]
    pub reading: Indicator,
    /// When this value was first seen.
    pub first_seen: Millis,
    /// When a source last confirmed this value.
    pub confirmed_at: Millis,
    /// Where it came from: `kontan` or a fallback such as `yahoo`.
    pub source: String,
}

/// A stored headline with its reader state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredHeadline {
    #[serde(flatten)]
    pub headline: Headline,
    pub first_seen: Millis,
    pub read: bool,
    pub starred: bool,
}

/// A search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub url: String,
    pub title: String,
    /// A few words around the match.
    pub snippet: String,
}

/// What a source last did.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SourceStatus {
    pub source: String,
    pub last_ok: Option<Millis>,
    pub last_attempt: Option<Millis>,
    pub failures: u32,
    pub error_kind: Option<String>,
    pub error_message: Option<String>,
    pub next_retry: Option<Millis>,
}

/// HTTP validators remembered for a URL.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

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

/// The settings key of the alert engine's memory.
pub const ALERT_STATE_KEY: &str = "alert_state";

/// The writer's page cache, as a negative number of KiB: room for the indexes a 30-day cache
/// touches on every upsert (with SQLite's default 2 MiB, a month-old cache upserts 1.25x slower
/// than an empty one; with 8 MiB, as fast). Bounded, and only filled as pages are used.
const CACHE_KIB: i64 = -8192;
/// The read connection's page cache (views read little).
const READER_CACHE_KIB: i64 = -2048;

/// True when an error means the file itself is damaged or is no SQLite file.
fn is_damage(e: &Error) -> bool {
    let text = e.to_string();
    text.contains("not a database")
        || text.contains("malformed")
        || text.contains("corrupt")
        || text.contains("unsupported file format")
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

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The cache.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Cache(e.to_string())
    }
}

/// How the cache was opened, when it was not simply opened.
#[derive(Debug, Clone, PartialEq)]
pub enum Recovery {
    /// The file was damaged: it was moved aside (kept, never deleted) and a fresh cache started.
    MovedAside { damaged: PathBuf, reason: String },
    /// The cache's folder or file cannot be written: an in-memory cache stands in.
    InMemory { reason: String },
}

impl std::fmt::Display for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Recovery::MovedAside { damaged, reason } => write!(
                f,
                "the cache was damaged ({reason}); it was kept as {} and a fresh cache started",
                damaged.display()
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
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
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
        let recovery = Recovery::InMemory {
            reason: format!("{}: {e}", path.display()),
        };
        tracing::warn!("{recovery}");
        Ok((Store::open_in_memory()?, Some(recovery)))
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
            Err(Error::Cache(format!(
                "database disk image is malformed: {verdict}"
            )))
        }
    }

    /// The platform's data directory for Pantau's cache (`~/.local/share/pantau/cache.sqlite`).
    pub fn default_path() -> PathBuf {
        directories::ProjectDirs::from("id", "Pantau", "pantau")
            .map(|d| d.data_dir().join("cache.sqlite"))
            .unwrap_or_else(|| PathBuf::from("pantau-cache.sqlite"))
    }

    /// Where the file lives.
    pub fn path(&self) -> &Path {
        &self.path
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

    /// The schema version.
    pub fn schema_version(&self) -> Result<usize> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    // ---- indicator readings ----

    /// Records a bar read at `at`: a new row only where the value changed; otherwise the
    /// latest row is confirmed. Returns the symbols whose value changed.
    pub fn record_readings(
        &mut self,
        readings: &[Indicator],
        source: &str,
        at: Millis,
    ) -> Result<Vec<String>> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut changed = Vec::new();
        for r in readings {
            let latest: Option<(i64, f64, f64, f64, String)> = tx
                .query_row(
                    "SELECT id, value, change, change_pct, source FROM readings WHERE symbol = ?1 ORDER BY observed_at DESC, id DESC LIMIT 1",
                    [&r.symbol],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
                )
                .optional()?;
            match latest {
                Some((id, v, c, p, s))
                    if v == r.value && c == r.change && p == r.change_pct && s == source =>
                {
                    tx.execute(
                        "UPDATE readings SET confirmed_at = max(confirmed_at, ?2) WHERE id = ?1",
                        params![id, at],
                    )?;
                }
                _ => {
                    tx.execute(
                        "INSERT INTO readings (symbol, value, change, change_pct, observed_at, confirmed_at, source) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
                        params![r.symbol, r.value, r.change, r.change_pct, at, source],
                    )?;
                    changed.push(r.symbol.clone());
                }
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Marks the latest reading of each symbol from `source` as confirmed at `at` (a 304).
    pub fn confirm_readings(&self, source: &str, at: Millis) -> Result<()> {
        self.conn.execute(
            "UPDATE readings SET confirmed_at = max(confirmed_at, ?2)
             WHERE id IN (SELECT max(id) FROM readings GROUP BY symbol) AND source = ?1",
            params![source, at],
        )?;
        Ok(())
    }

    /// The latest reading of every symbol, in the bar's usual order.
    pub fn latest_readings(&self) -> Result<Vec<StoredReading>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.symbol, r.value, r.change, r.change_pct, r.observed_at, r.confirmed_at, r.source FROM readings r
             JOIN (SELECT max(id) AS id FROM readings GROUP BY symbol) latest ON latest.id = r.id",
        )?;
        let mut rows: Vec<StoredReading> =
            decodable(stmt.query_map([], row_to_reading)?, "reading");
        let rank = |s: &str| {
            KNOWN_SYMBOLS
                .iter()
                .position(|k| *k == s)
                .unwrap_or(KNOWN_SYMBOLS.len())
        };
        rows.sort_by(|a, b| {
            rank(&a.reading.symbol)
                .cmp(&rank(&b.reading.symbol))
                .then(a.reading.symbol.cmp(&b.reading.symbol))
        });
        Ok(rows)
    }

    /// Every reading of `symbol` observed since `since`, oldest first (for sparklines).
    pub fn readings_since(&self, symbol: &str, since: Millis) -> Result<Vec<StoredReading>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT symbol, value, change, change_pct, observed_at, confirmed_at, source FROM readings
             WHERE symbol = ?1 AND observed_at >= ?2 ORDER BY observed_at, id",
        )?;
        let rows = stmt.query_map(params![symbol, since], row_to_reading)?;
        Ok(decodable(rows, "reading"))
    }

    /// Count of stored readings (all symbols).
    pub fn reading_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM readings", [], |r| r.get(0))?)
    }

    // ---- headlines ----

    /// Stores headlines; returns how many were new.
    pub fn upsert_headlines(
        &mut self,
        headlines: &[Headline],
        source: &str,
        at: Millis,
    ) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut new = 0;
        for h in headlines {
            let published = h.published_at.map(|d| d.to_rfc3339());
            let inserted = tx.prepare_cached(
                "INSERT INTO headlines (url, title, channel, published_at, image_url, source, first_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(url) DO UPDATE SET
                    title = excluded.title,
                    channel = coalesce(headlines.channel, excluded.channel),
                    published_at = coalesce(headlines.published_at, excluded.published_at),
                    image_url = coalesce(headlines.image_url, excluded.image_url)
                 WHERE headlines.title IS NOT excluded.title
                    OR (headlines.channel IS NULL AND excluded.channel IS NOT NULL)
                    OR (headlines.published_at IS NULL AND excluded.published_at IS NOT NULL)
                    OR (headlines.image_url IS NULL AND excluded.image_url IS NOT NULL)",
            )?
            .execute(params![h.url, h.title, h.channel, published, h.image_url, source, at])?;
            // One probe of the url index: a new search row is made where there is none.
            let added = tx
                .prepare_cached("INSERT OR IGNORE INTO search_docs (url) VALUES (?1)")?
                .execute([&h.url])?;
            if added > 0 {
                new += 1;
                let id = tx.last_insert_rowid();
                tx.prepare_cached(
                    "INSERT INTO search (rowid, url, title, body) VALUES (?1, ?2, ?3, '')",
                )?
                .execute(params![id, h.url, h.title])?;
            } else if inserted > 0 {
                if let Some(id) = search_id(&tx, &h.url)? {
                    tx.execute(
                        "UPDATE search SET title = ?2 WHERE rowid = ?1 AND title IS NOT ?2",
                        params![id, h.title],
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(new)
    }

    /// The newest headlines (by publication time, then first seen), optionally of one channel.
    pub fn latest_headlines(
        &self,
        channel: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredHeadline>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT url, title, channel, published_at, image_url, first_seen, read, starred FROM headlines
             WHERE ?1 IS NULL OR lower(channel) = lower(?1) OR url LIKE ?3 ESCAPE '\\'
             ORDER BY coalesce(published_at, '') DESC, first_seen DESC LIMIT ?2",
        )?;
        let host_pattern = channel.map(|c| {
            format!(
                "https://{}.kontan.co.id/%",
                escape_like(&c.trim().to_lowercase())
            )
        });
        let rows = stmt.query_map(params![channel, limit as i64, host_pattern], |row| {
            let published: Option<String> = row.get(3)?;
            Ok(StoredHeadline {
                headline: Headline {
                    url: row.get(0)?,
                    title: row.get(1)?,
                    channel: row.get(2)?,
                    published_at: published
                        .and_then(|p| DateTime::<FixedOffset>::parse_from_rfc3339(&p).ok()),
                    image_url: row.get(4)?,
                },
                first_seen: row.get(5)?,
                read: row.get(6)?,
                starred: row.get(7)?,
            })
        })?;
        Ok(decodable(rows, "headline"))
    }

    /// Marks a headline read (or unread), under whichever address it is listed: the one
    /// asked for, or the article's canonical one.
    pub fn set_read(&self, url: &str, read: bool) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE headlines SET read = ?2 WHERE url = ?1
                OR url IN (SELECT url FROM article_aliases WHERE canonical = ?1)
                OR url IN (SELECT canonical FROM article_aliases WHERE url = ?1)",
            params![url, read],
        )? > 0)
    }

    /// Stars (or unstars) a headline; starred ones are kept past retention.
    pub fn set_starred(&self, url: &str, starred: bool) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE headlines SET starred = ?2 WHERE url = ?1",
            params![url, starred],
        )? > 0)
    }

    // ---- articles ----

    /// Stores a parsed article and indexes its text. `asked` is the address it was asked by;
    /// when the page names another canonical address, the article is found under both.
    pub fn put_article(&mut self, article: &Article, asked: &str, at: Millis) -> Result<()> {
        let json = serde_json::to_string(article).map_err(|e| Error::Cache(e.to_string()))?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if asked != article.url {
            tx.execute(
                "INSERT INTO article_aliases (url, canonical) VALUES (?1, ?2)
                 ON CONFLICT(url) DO UPDATE SET canonical = excluded.canonical",
                params![asked, article.url],
            )?;
        }
        tx.execute(
            "INSERT INTO articles (url, json, published_at, fetched_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(url) DO UPDATE SET json = excluded.json, published_at = excluded.published_at, fetched_at = excluded.fetched_at",
            params![article.url, json, article.published_at.map(|d| d.to_rfc3339()), at],
        )?;
        let id = match search_id(&tx, &article.url)? {
            Some(id) => {
                tx.execute("DELETE FROM search WHERE rowid = ?1", [id])?;
                id
            }
            None => new_search_id(&tx, &article.url)?,
        };
        tx.execute(
            "INSERT INTO search (rowid, url, title, body) VALUES (?1, ?2, ?3, ?4)",
            params![
                id,
                article.url,
                article.title,
                article.paragraphs.join("\n")
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A cached article (by its canonical address or one it was asked by) and when it was
    /// fetched. A stored copy that cannot be read is no copy: it will be fetched again.
    pub fn article(&self, url: &str) -> Result<Option<(Article, Millis)>> {
        let row: Option<(String, Millis)> = self
            .conn
            .query_row(
                "SELECT json, fetched_at FROM articles WHERE url = ?1
                    OR url = (SELECT canonical FROM article_aliases WHERE url = ?1) LIMIT 1",
                [url],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .unwrap_or_else(|e| {
                tracing::warn!("cached article {url} cannot be read: {e}");
                None
            });
        Ok(
            row.and_then(|(json, at)| match serde_json::from_str(&json) {
                Ok(article) => Some((article, at)),
                Err(e) => {
                    tracing::warn!(
                        "cached article {url} cannot be read and will be fetched again: {e}"
                    );
                    None
                }
            }),
        )
    }

    /// True when the article is cached (under its own address or one it was asked by).
    pub fn has_article(&self, url: &str) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM articles WHERE url = ?1)
                OR EXISTS(SELECT 1 FROM article_aliases WHERE url = ?1)",
            [url],
            |r| r.get(0),
        )?)
    }

    // ---- search ----

    /// Full-text search over headline titles and article text (diacritics ignored).
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let fts = fts_query(query);
        if fts.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT url, title, snippet(search, 2, '', '', '…', 12) FROM search WHERE search MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![fts, limit as i64], |r| {
            Ok(SearchHit {
                url: r.get(0)?,
                title: r.get(1)?,
                snippet: r.get(2)?,
            })
        })?;
        Ok(decodable(rows, "search"))
    }

    // ---- HTTP validators ----

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

    // ---- source status ----

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

    // ---- alerts ----

    /// Records alerts in the inbox.
    pub fn record_alerts(&mut self, alerts: &[crate::alerts::Alert]) -> Result<()> {
        self.record_alerts_and_state(alerts, None)
    }

    /// Records alerts in the inbox and the alert engine's memory (`state_json`, under
    /// [`ALERT_STATE_KEY`]) in one transaction: an alert is never in one without the other.
    pub fn record_alerts_and_state(
        &mut self,
        alerts: &[crate::alerts::Alert],
        state_json: Option<&str>,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some(json) = state_json {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![ALERT_STATE_KEY, json],
            )?;
        }
        for a in alerts {
            tx.execute(
                "INSERT INTO alerts (symbol, rule, direction, tier, value, change_pct, title, body, at, shown) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    a.symbol,
                    a.rule.as_str(),
                    a.direction.as_str(),
                    a.tier,
                    a.value,
                    a.change_pct,
                    a.title,
                    a.body,
                    a.at.timestamp_millis(),
                    a.shown
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The inbox, newest first.
    pub fn alerts(&self, limit: usize) -> Result<Vec<crate::alerts::Alert>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, symbol, rule, direction, tier, value, change_pct, title, body, shown FROM alerts ORDER BY at DESC, id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            let rule: String = r.get(2)?;
            let direction: String = r.get(3)?;
            let unknown = |what: &str, name: &str| {
                rusqlite::Error::FromSqlConversionFailure(
                    2,
                    rusqlite::types::Type::Text,
                    format!("unknown alert {what} {name:?}").into(),
                )
            };
            Ok(crate::alerts::Alert {
                at: crate::engine::to_wib(r.get(0)?),
                symbol: r.get(1)?,
                rule: crate::alerts::Rule::from_name(&rule)
                    .ok_or_else(|| unknown("rule", &rule))?,
                direction: crate::alerts::Direction::from_name(&direction)
                    .ok_or_else(|| unknown("direction", &direction))?,
                tier: r.get(4)?,
                value: r.get(5)?,
                change_pct: r.get(6)?,
                title: r.get(7)?,
                body: r.get(8)?,
                shown: r.get(9)?,
            })
        })?;
        Ok(decodable(rows, "alert"))
    }

    // ---- settings ----

    /// A setting's stored JSON value.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Stores a setting's JSON value.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    // ---- upkeep ----

    /// Drops old articles and headlines (starred ones stay) and thins old readings to one
    /// per symbol per hour. Returns the number of rows removed.
    pub fn prune(&mut self, now: Millis, retention: Retention) -> Result<usize> {
        const DAY: i64 = 86_400_000;
        let cutoff = now - retention.days * DAY;
        let detail_cutoff = now - retention.full_detail_days * DAY;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut removed = 0;
        removed += tx.execute("DELETE FROM articles WHERE fetched_at < ?1", [cutoff])?;
        removed += tx.execute(
            "DELETE FROM headlines WHERE first_seen < ?1 AND starred = 0",
            [cutoff],
        )?;
        tx.execute(
            "DELETE FROM article_aliases WHERE canonical NOT IN (SELECT url FROM articles)",
            [],
        )?;
        const GONE: &str = "SELECT id FROM search_docs
             WHERE url NOT IN (SELECT url FROM headlines) AND url NOT IN (SELECT url FROM articles)";
        tx.execute(&format!("DELETE FROM search WHERE rowid IN ({GONE})"), [])?;
        tx.execute(&format!("DELETE FROM search_docs WHERE id IN ({GONE})"), [])?;
        removed += tx.execute(
            "DELETE FROM readings WHERE observed_at < ?1 AND id NOT IN (
                SELECT max(id) FROM readings WHERE observed_at < ?1 GROUP BY symbol, observed_at / 3600000)
             AND id NOT IN (SELECT max(id) FROM readings GROUP BY symbol)",
            [detail_cutoff],
        )?;
        removed += tx.execute("DELETE FROM readings WHERE observed_at < ?1 AND id NOT IN (SELECT max(id) FROM readings GROUP BY symbol)", [cutoff])?;
        removed += tx.execute("DELETE FROM validators WHERE checked_at < ?1", [cutoff])?;
        // Merge the search index into one segment, so later upserts do not pay for a month of
        // small ones.
        tx.execute("INSERT INTO search(search) VALUES ('optimize')", [])?;
        tx.commit()?;
        Ok(removed)
    }

    /// Runs SQLite's integrity check; `ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// Writes the WAL back into the main file and reclaims free pages.
    pub fn compact(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM;")?;
        Ok(())
    }
}

/// The search row of `url`, found through its indexed id.
fn search_id(tx: &rusqlite::Transaction<'_>, url: &str) -> Result<Option<i64>> {
    Ok(tx
        .prepare_cached("SELECT id FROM search_docs WHERE url = ?1")?
        .query_row([url], |r| r.get(0))
        .optional()?)
}

/// A new id for the search row of `url`.
fn new_search_id(tx: &rusqlite::Transaction<'_>, url: &str) -> Result<i64> {
    tx.prepare_cached("INSERT INTO search_docs (url) VALUES (?1)")?
        .execute([url])?;
    Ok(tx.last_insert_rowid())
}

fn row_to_reading(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredReading> {
    Ok(StoredReading {
        reading: Indicator {
            symbol: row.get(0)?,
            value: row.get(1)?,
            change: row.get(2)?,
            change_pct: row.get(3)?,
        },
        first_seen: row.get(4)?,
        confirmed_at: row.get(5)?,
        source: row.get(6)?,
    })
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

/// Turns what a user types into an FTS5 query: every word must appear (prefix match on the last).
fn fts_query(input: &str) -> String {
    let words: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect();
    match words.split_last() {
        Some((last, rest)) => {
            let mut q = rest.join(" ");
            if !q.is_empty() {
                q.push(' ');
            }
            q.push_str(last);
            q.push('*');
            q
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("c.sqlite")).unwrap();
        (dir, s)
    }

    fn ind(symbol: &str, value: f64) -> Indicator {
        Indicator {
            symbol: symbol.into(),
            value,
            change: 1.0,
            change_pct: 0.01,
        }
    }

    fn headline(url: &str, title: &str) -> Headline {
        Headline {
            title: title.into(),
            url: url.into(),
            published_at: None,
            channel: None,
            image_url: None,
        }
    }

    #[test]
    fn migrations_run_once_and_reopen_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        let s = Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), schema::MIGRATIONS.len());
        drop(s);
        let s = Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), schema::MIGRATIONS.len());
        let mode: String = s
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_row_only_when_the_value_changes() {
        let (_d, mut s) = store();
        assert_eq!(
            s.record_readings(
                &[ind("USD/IDR", 16689.0), ind("IDX", 6778.0)],
                "kontan",
                1000
            )
            .unwrap()
            .len(),
            2
        );
        assert!(s
            .record_readings(&[ind("USD/IDR", 16689.0)], "kontan", 2000)
            .unwrap()
            .is_empty());
        assert_eq!(s.reading_count().unwrap(), 2);
        let latest = s.latest_readings().unwrap();
        assert_eq!(latest[0].reading.symbol, "USD/IDR", "bar order");
        assert_eq!((latest[0].first_seen, latest[0].confirmed_at), (1000, 2000));
        assert_eq!(
            s.record_readings(&[ind("USD/IDR", 16700.0)], "kontan", 3000)
                .unwrap(),
            vec!["USD/IDR"]
        );
        assert_eq!(s.readings_since("USD/IDR", 0).unwrap().len(), 2);
        s.confirm_readings("kontan", 4000).unwrap();
        assert_eq!(s.latest_readings().unwrap()[0].confirmed_at, 4000);
    }

    #[test]
    fn search_ignores_diacritics_and_case() {
        let (_d, mut s) = store();
        s.upsert_headlines(
            &[headline(
                "https://x.kontan.co.id/news/a",
                "Harga Café Naik di Pasar Modal",
            )],
            "t",
            1,
        )
        .unwrap();
        let hits = s.search("cafe pasar", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert!(
            s.search("\"; DROP TABLE headlines; --", 10)
                .unwrap()
                .is_empty(),
            "user text is never FTS syntax"
        );
        assert!(s.search("", 10).unwrap().is_empty());
        assert_eq!(
            s.search("mod", 10).unwrap().len(),
            1,
            "prefix on the last word"
        );
    }

    #[test]
    fn headlines_upsert_counts_new_and_keeps_reader_state() {
        let (_d, mut s) = store();
        let h = headline("https://x.kontan.co.id/news/a", "A");
        assert_eq!(
            s.upsert_headlines(std::slice::from_ref(&h), "t", 1)
                .unwrap(),
            1
        );
        assert!(s.set_read(&h.url, true).unwrap());
        assert_eq!(
            s.upsert_headlines(std::slice::from_ref(&h), "t", 2)
                .unwrap(),
            0
        );
        let stored = &s.latest_headlines(None, 10).unwrap()[0];
        assert!(stored.read);
        assert_eq!(stored.first_seen, 1);
    }

    #[test]
    fn retention_prunes_and_thins() {
        let (_d, mut s) = store();
        const DAY: i64 = 86_400_000;
        let now = 100 * DAY;
        for minute in 0..120 {
            s.record_readings(
                &[ind("USD/IDR", 16000.0 + minute as f64)],
                "kontan",
                now - 10 * DAY + minute * 60_000,
            )
            .unwrap();
        }
        s.record_readings(&[ind("USD/IDR", 1.0)], "kontan", now - 40 * DAY)
            .unwrap();
        s.upsert_headlines(
            &[headline("https://x.kontan.co.id/news/old", "Lama")],
            "t",
            now - 40 * DAY,
        )
        .unwrap();
        s.upsert_headlines(
            &[headline("https://x.kontan.co.id/news/star", "Bintang")],
            "t",
            now - 40 * DAY,
        )
        .unwrap();
        s.set_starred("https://x.kontan.co.id/news/star", true)
            .unwrap();
        s.upsert_headlines(
            &[headline("https://x.kontan.co.id/news/new", "Baru")],
            "t",
            now,
        )
        .unwrap();
        s.record_readings(&[ind("USD/IDR", 17000.0)], "kontan", now)
            .unwrap();
        s.prune(now, Retention::default()).unwrap();
        let urls: Vec<String> = s
            .latest_headlines(None, 10)
            .unwrap()
            .into_iter()
            .map(|h| h.headline.url)
            .collect();
        assert!(
            urls.contains(&"https://x.kontan.co.id/news/star".to_string())
                && urls.contains(&"https://x.kontan.co.id/news/new".to_string())
        );
        assert!(!urls.contains(&"https://x.kontan.co.id/news/old".to_string()));
        assert!(
            s.search("lama", 10).unwrap().is_empty(),
            "search index follows"
        );
        assert_eq!(
            s.reading_count().unwrap(),
            3,
            "two hours thinned to one row each, plus the latest"
        );
        assert_eq!(s.latest_readings().unwrap()[0].reading.value, 17000.0);
    }

    fn alert(symbol: &str) -> crate::alerts::Alert {
        crate::alerts::Alert {
            at: crate::engine::to_wib(1_000),
            symbol: symbol.into(),
            rule: crate::alerts::Rule::DayMove,
            direction: crate::alerts::Direction::Up,
            tier: Some(0.5),
            value: 16_700.0,
            change_pct: 0.55,
            title: "Rupiah melemah".into(),
            body: "b".into(),
            shown: true,
        }
    }

    #[test]
    fn alert_memory_and_inbox_are_written_together_or_not_at_all() {
        let (_d, mut s) = store();
        s.record_alerts_and_state(&[alert("USD/IDR")], Some("{\"v\":1}"))
            .unwrap();
        assert_eq!(s.alerts(10).unwrap().len(), 1);
        assert_eq!(
            s.setting(ALERT_STATE_KEY).unwrap().as_deref(),
            Some("{\"v\":1}")
        );
        s.conn
            .execute_batch(
                "CREATE TRIGGER full BEFORE INSERT ON alerts BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
            )
            .unwrap();
        assert!(s
            .record_alerts_and_state(&[alert("IDX")], Some("{\"v\":2}"))
            .is_err());
        assert_eq!(
            s.setting(ALERT_STATE_KEY).unwrap().as_deref(),
            Some("{\"v\":1}"),
            "the memory did not move on without its inbox row"
        );
    }

    #[test]
    fn unknown_stored_alert_names_are_skipped_not_guessed() {
        let (_d, mut s) = store();
        s.record_alerts(&[alert("USD/IDR"), alert("IDX")]).unwrap();
        s.conn
            .execute(
                "UPDATE alerts SET rule = 'future_rule' WHERE symbol = 'IDX'",
                [],
            )
            .unwrap();
        let inbox = s.alerts(10).unwrap();
        assert_eq!(inbox.len(), 1);
        assert_eq!(inbox[0].symbol, "USD/IDR");
    }

    #[test]
    fn search_rows_are_found_by_an_index() {
        let (_d, s) = store();
        let plan: String = s
            .conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT id FROM search_docs WHERE url = 'x'",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("USING") && plan.contains("INDEX"), "{plan}");
    }

    #[test]
    fn an_old_cache_is_migrated_with_its_search_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute(
                "INSERT INTO headlines (url, title, source, first_seen) VALUES ('https://x.kontan.co.id/news/a', 'Harga Kopi', 't', 1)",
                [],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO search (url, title, body) VALUES ('https://x.kontan.co.id/news/a', 'Harga Kopi', '')",
                [],
            )
            .unwrap();
        }
        let mut s = Store::open(&path).unwrap();
        assert_eq!(s.search("kopi", 10).unwrap().len(), 1);
        assert_eq!(
            s.upsert_headlines(
                &[headline("https://x.kontan.co.id/news/a", "Harga Kopi")],
                "t",
                2
            )
            .unwrap(),
            0,
            "the migrated row is known"
        );
    }

    #[test]
    fn a_damaged_file_is_kept_aside_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        std::fs::write(&path, b"garbage".repeat(1000)).unwrap();
        let (s, recovery) = Store::open_or_recover(&path).unwrap();
        match recovery {
            Some(Recovery::MovedAside { damaged, .. }) => {
                assert_eq!(std::fs::read(&damaged).unwrap(), b"garbage".repeat(1000));
                assert!(damaged
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("c.sqlite.corrupt-"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(s.schema_version().unwrap(), schema::MIGRATIONS.len());
        let (_, again) = Store::open_or_recover(&path).unwrap();
        assert_eq!(again, None, "the fresh cache opens plainly");
    }

    #[test]
    fn two_connections_share_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        let mut a = Store::open(&path).unwrap();
        let b = Store::open(&path).unwrap();
        a.record_readings(&[ind("IDX", 1.0)], "kontan", 1).unwrap();
        assert_eq!(b.latest_readings().unwrap().len(), 1);
    }
}
