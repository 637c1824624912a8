//! Cached articles (under their canonical address and the ones they were asked by) and the
//! full-text search over headlines and article text.

use super::{decodable, Millis, Store};
use crate::error::{Error, Result};
use crate::model::Article;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// A search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// The article's address.
    pub url: String,
    /// Its headline.
    pub title: String,
    /// A few words around the match.
    pub snippet: String,
}

impl Store {
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

    /// Stories the user saved or was alerted on (in the last day) whose article is not cached
    /// yet, newest first: what is fetched ahead while nobody looks at the lists.
    pub fn articles_wanted(&self, since: Millis, limit: usize) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT url FROM (
                SELECT url, first_seen AS at FROM headlines WHERE starred = 1
                UNION ALL
                SELECT j.value AS url, a.at AS at FROM alerts a, json_each(a.urls) j
                    WHERE a.at >= ?1)
             WHERE url NOT IN (SELECT url FROM articles)
               AND url NOT IN (SELECT url FROM article_aliases)
             GROUP BY url ORDER BY max(at) DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![since, limit as i64], |r| r.get::<_, String>(0))?;
        Ok(rows.filter_map(std::result::Result::ok).collect())
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
}

/// The search row of `url`, found through its indexed id.
pub(super) fn search_id(tx: &rusqlite::Transaction<'_>, url: &str) -> Result<Option<i64>> {
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
