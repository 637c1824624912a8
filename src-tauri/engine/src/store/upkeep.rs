//! Upkeep: retention, integrity, compaction.

use super::{Millis, Retention, Store};
use crate::error::Result;

impl Store {
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
        // A saved headline keeps its article.
        removed += tx.execute(
            "DELETE FROM articles WHERE fetched_at < ?1 AND url NOT IN (
                SELECT url FROM headlines WHERE starred = 1
                UNION SELECT canonical FROM article_aliases
                    WHERE url IN (SELECT url FROM headlines WHERE starred = 1))",
            [cutoff],
        )?;
        removed += tx.execute(
            "DELETE FROM headlines WHERE first_seen < ?1 AND starred = 0",
            [cutoff],
        )?;
        tx.execute(
            "DELETE FROM article_aliases WHERE canonical NOT IN (SELECT url FROM articles)",
            [],
        )?;
        tx.execute(
            "DELETE FROM article_images WHERE article_url NOT IN (SELECT url FROM articles)",
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

    /// Writes the WAL back into the main file and empties it: what a clean close leaves, so a
    /// program replaced or ended next finds every write in the main file.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Writes the WAL back into the main file and reclaims free pages.
    pub fn compact(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM;")?;
        Ok(())
    }
}
