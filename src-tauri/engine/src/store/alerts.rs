//! The alert inbox, written together with the alert engine's memory.

use super::{decodable, keys, unknown_value, Millis, Store};
use crate::error::Result;
use rusqlite::params;

impl Store {
    /// Records alerts in the inbox.
    pub fn record_alerts(&mut self, alerts: &[crate::alerts::Alert]) -> Result<()> {
        self.record_alerts_and_state(alerts, None)
    }

    /// Records alerts in the inbox and the alert engine's memory (`state_json`, under
    /// [`keys::ALERT_STATE`]) in one transaction: an alert is never in one without the other.
    pub fn record_alerts_and_state(
        &mut self,
        alerts: &[crate::alerts::Alert],
        state_json: Option<&str>,
    ) -> Result<()> {
        self.record_alerts_with(alerts, state_json.map(|j| (keys::ALERT_STATE, j)))
    }

    /// Records alerts in the inbox with the memory of the engine that raised them (`(key, json)`)
    /// in one transaction.
    pub fn record_alerts_with(
        &mut self,
        alerts: &[crate::alerts::Alert],
        state: Option<(&str, &str)>,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some((key, json)) = state {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, json],
            )?;
        }
        for a in alerts {
            let words = serde_json::to_string(&a.words).unwrap_or_else(|_| "[]".into());
            let urls = serde_json::to_string(&a.urls).unwrap_or_else(|_| "[]".into());
            tx.execute(
                "INSERT INTO alerts (symbol, rule, direction, tier, value, change_pct, title, body, at, shown, words, urls) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
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
                    a.shown,
                    words,
                    urls
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The inbox, newest first.
    pub fn alerts(&self, limit: usize) -> Result<Vec<crate::alerts::Alert>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, symbol, rule, direction, tier, value, change_pct, title, body, shown, words, urls FROM alerts ORDER BY at DESC, id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], stored_alert)?;
        Ok(decodable(rows, "alert"))
    }

    /// How many shown alerts the user has not looked at in the inbox yet.
    pub fn unseen_alerts(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM alerts WHERE shown = 1 AND seen = 0",
            [],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The user looked at the inbox: every alert in it is seen.
    pub fn mark_alerts_seen(&self) -> Result<()> {
        self.conn
            .execute("UPDATE alerts SET seen = 1 WHERE seen = 0", [])?;
        Ok(())
    }

    /// The alerts about `symbol` fired since `since`, newest first (at most `limit`).
    pub fn alerts_about(
        &self,
        symbol: &str,
        since: Millis,
        limit: usize,
    ) -> Result<Vec<crate::alerts::Alert>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, symbol, rule, direction, tier, value, change_pct, title, body, shown, words, urls FROM alerts
             WHERE symbol = ?1 AND at >= ?2 ORDER BY at DESC, id DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![symbol, since, limit as i64], stored_alert)?;
        Ok(decodable(rows, "alert"))
    }
}

fn stored_alert(r: &rusqlite::Row<'_>) -> rusqlite::Result<crate::alerts::Alert> {
    let rule: String = r.get(2)?;
    let direction: String = r.get(3)?;
    Ok(crate::alerts::Alert {
        at: crate::time::to_wib(r.get(0)?),
        symbol: r.get(1)?,
        rule: crate::alerts::Rule::from_name(&rule)
            .ok_or_else(|| unknown_value(2, "alert rule", &rule))?,
        direction: crate::alerts::Direction::from_name(&direction)
            .ok_or_else(|| unknown_value(3, "alert direction", &direction))?,
        tier: r.get(4)?,
        value: r.get(5)?,
        change_pct: r.get(6)?,
        title: r.get(7)?,
        body: r.get(8)?,
        shown: r.get(9)?,
        replaces: false,
        words: json_list(r.get(10)?),
        urls: json_list(r.get(11)?),
    })
}

/// A stored JSON list of strings; anything unreadable is an empty list.
fn json_list(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}
