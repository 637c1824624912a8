//! Headlines and their reader state (read, starred).

use super::articles::search_id;
use super::{decodable, Millis, Store};
use crate::error::Result;
use crate::model::Headline;
use chrono::{DateTime, FixedOffset};
use rusqlite::params;
use serde::{Deserialize, Serialize};

/// A stored headline with its reader state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredHeadline {
    #[serde(flatten)]
    /// The headline as the list showed it.
    pub headline: Headline,
    /// When Pantau first saw it.
    pub first_seen: Millis,
    /// The user has opened it.
    pub read: bool,
    /// The user keeps it (kept past retention).
    pub starred: bool,
}

/// A query for the columns [`stored_headline`] reads, filtered by `$filter` (a `WHERE` clause or
/// nothing), newest first (by publication time, then first seen), at most `$limit` rows.
macro_rules! newest_headlines {
    ($filter:literal, $limit:literal) => {
        concat!(
            "SELECT url, title, channel, published_at, image_url, first_seen, read, starred FROM headlines ",
            $filter,
            " ORDER BY coalesce(published_at, '') DESC, first_seen DESC LIMIT ",
            $limit
        )
    };
}

/// How many of the newest headlines a topic search looks through.
const SCAN_FOR_TOPIC: usize = 2000;

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

impl Store {
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

    /// The headlines first seen after `since`, in the order they were first seen (at most
    /// `limit`): what word alerts look at.
    pub fn headlines_first_seen_after(
        &self,
        since: Millis,
        limit: usize,
    ) -> Result<Vec<StoredHeadline>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT url, title, channel, published_at, image_url, first_seen, read, starred
             FROM headlines WHERE first_seen > ?1 ORDER BY first_seen, rowid LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![since, limit as i64], stored_headline)?;
        Ok(decodable(rows, "headline"))
    }

    /// The newest headlines (by publication time, then first seen), optionally of one channel.
    pub fn latest_headlines(
        &self,
        channel: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredHeadline>> {
        let mut stmt = self.conn.prepare_cached(newest_headlines!(
            "WHERE ?1 IS NULL OR lower(channel) = lower(?1) OR url LIKE ?3 ESCAPE '\\'",
            "?2"
        ))?;
        let host_pattern = channel_host_pattern(channel);
        let rows = stmt.query_map(
            params![channel, limit as i64, host_pattern],
            stored_headline,
        )?;
        Ok(decodable(rows, "headline"))
    }

    /// The headlines whose titles name one of `words`, published (or, without a publication
    /// time, first seen) at `since` or later: at most `limit`, newest first.
    pub fn headlines_about(
        &self,
        words: &[&str],
        since: Millis,
        limit: usize,
    ) -> Result<Vec<StoredHeadline>> {
        let mut stmt = self.conn.prepare_cached(newest_headlines!("", "?1"))?;
        // Scanned newest first in Rust: titles are short and the table is pruned, and a word
        // match (not a substring: "emas" is not in "kemasan") needs word boundaries.
        let words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let rows = stmt.query_map([SCAN_FOR_TOPIC as i64], stored_headline)?;
        let when = |h: &StoredHeadline| {
            h.headline
                .published_at
                .map_or(h.first_seen, |at| at.timestamp_millis())
        };
        let mut found: Vec<StoredHeadline> = decodable(rows, "headline")
            .into_iter()
            .filter(|h| when(h) >= since)
            .filter(|h| {
                let title = h.headline.title.to_lowercase();
                title
                    .split(|c: char| !c.is_alphanumeric() && c != '/')
                    .any(|w| words.iter().any(|t| t == w))
            })
            .collect();
        // A headline without a publication time goes where it was first seen.
        found.sort_by_key(|h| std::cmp::Reverse(when(h)));
        found.truncate(limit);
        Ok(found)
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

    /// Stars (or unstars) a headline, under whichever address it is listed; starred ones, and
    /// their articles, are kept past retention.
    pub fn set_starred(&self, url: &str, starred: bool) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE headlines SET starred = ?2 WHERE url = ?1
                OR url IN (SELECT url FROM article_aliases WHERE canonical = ?1)
                OR url IN (SELECT canonical FROM article_aliases WHERE url = ?1)",
            params![url, starred],
        )? > 0)
    }

    /// The saved ("Tersimpan") headlines, newest first.
    pub fn saved_headlines(&self, limit: usize) -> Result<Vec<StoredHeadline>> {
        let mut stmt = self
            .conn
            .prepare_cached(newest_headlines!("WHERE starred = 1", "?1"))?;
        let rows = stmt.query_map(params![limit as i64], stored_headline)?;
        Ok(decodable(rows, "headline"))
    }

    /// Marks every unread headline read (of one channel, when given). Returns how many.
    pub fn mark_all_read(&self, channel: Option<&str>) -> Result<usize> {
        let host_pattern = channel_host_pattern(channel);
        Ok(self.conn.execute(
            "UPDATE headlines SET read = 1 WHERE read = 0
                AND (?1 IS NULL OR lower(channel) = lower(?1) OR url LIKE ?2 ESCAPE '\\')",
            params![channel, host_pattern],
        )?)
    }

    /// Unread headlines first seen since `since`.
    pub fn unread_since(&self, since: Millis) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM headlines WHERE read = 0 AND first_seen >= ?1",
            [since],
            |row| row.get(0),
        )?;
        Ok(n.max(0) as usize)
    }
}

/// The LIKE pattern for a channel's own host ("https://investasi.kontan.co.id/%"), which lists
/// a channel's headlines whatever name the page gave the channel.
fn channel_host_pattern(channel: Option<&str>) -> Option<String> {
    channel.map(|c| {
        format!(
            "https://{}.kontan.co.id/%",
            escape_like(&c.trim().to_lowercase())
        )
    })
}

fn stored_headline(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredHeadline> {
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
}
