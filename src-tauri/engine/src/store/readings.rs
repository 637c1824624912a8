//! Indicator readings: a row only when a value changes, confirmations otherwise.

use super::{decodable, unknown_value, Millis, Store};
use crate::error::Result;
use crate::model::Indicator;
use crate::parse::indicators::KNOWN_SYMBOLS;
use crate::sources::ReadingSource;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// A stored indicator reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredReading {
    #[serde(flatten)]
    /// The reading itself.
    pub reading: Indicator,
    /// When this value was first seen.
    pub first_seen: Millis,
    /// When a source last confirmed this value.
    pub confirmed_at: Millis,
    /// Where it came from: `kontan` or a fallback such as `yahoo`.
    pub source: ReadingSource,
}

impl Store {
    /// Records a bar read at `at`: a new row only where the value changed; otherwise the
    /// latest row is confirmed. Returns the symbols whose value changed.
    pub fn record_readings(
        &mut self,
        readings: &[Indicator],
        source: ReadingSource,
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
                    if v == r.value
                        && c == r.change
                        && p == r.change_pct
                        && s == source.as_str() =>
                {
                    tx.execute(
                        "UPDATE readings SET confirmed_at = max(confirmed_at, ?2) WHERE id = ?1",
                        params![id, at],
                    )?;
                }
                _ => {
                    tx.execute(
                        "INSERT INTO readings (symbol, value, change, change_pct, observed_at, confirmed_at, source) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
                        params![r.symbol, r.value, r.change, r.change_pct, at, source.as_str()],
                    )?;
                    changed.push(r.symbol.clone());
                }
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Marks the latest reading of each symbol from `source` as confirmed at `at` (a 304).
    pub fn confirm_readings(&self, source: ReadingSource, at: Millis) -> Result<()> {
        self.conn.execute(
            "UPDATE readings SET confirmed_at = max(confirmed_at, ?2)
             WHERE id IN (SELECT max(id) FROM readings GROUP BY symbol) AND source = ?1",
            params![source.as_str(), at],
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
        source: {
            let name: String = row.get(6)?;
            ReadingSource::from_name(&name)
                .ok_or_else(|| unknown_value(6, "reading source", &name))?
        },
    })
}
