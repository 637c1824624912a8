//! The scripted market: rows `t,symbol,value,change,change_pct`, `t` in seconds of site time.

use std::collections::BTreeMap;

/// One scripted reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// The indicator.
    pub symbol: String,
    /// Its value.
    pub value: f64,
    /// Its change since the previous close.
    pub change: f64,
    /// That change in percent.
    pub change_pct: f64,
}

/// A market script: what the bar shows at each moment.
#[derive(Debug, Clone, Default)]
pub struct Series {
    /// Rows sorted by time.
    rows: Vec<(f64, Quote)>,
    /// Symbols in first-seen order (the bar's order).
    order: Vec<String>,
}

impl Series {
    /// Parses the CSV text of a series.
    pub fn parse(csv: &str) -> Result<Series, String> {
        let mut series = Series::default();
        for (n, line) in csv.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || (n == 0 && line.starts_with('t')) {
                continue;
            }
            let f: Vec<&str> = line.split(',').map(str::trim).collect();
            let num = |i: usize| {
                f.get(i)
                    .and_then(|s| s.parse::<f64>().ok())
                    .ok_or(format!("line {}: bad field {i}", n + 1))
            };
            if f.len() != 5 {
                return Err(format!("line {}: expected 5 fields", n + 1));
            }
            let quote = Quote {
                symbol: f[1].to_string(),
                value: num(2)?,
                change: num(3)?,
                change_pct: num(4)?,
            };
            if !series.order.contains(&quote.symbol) {
                series.order.push(quote.symbol.clone());
            }
            series.rows.push((num(0)?, quote));
        }
        series.rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok(series)
    }

    /// The quotes the bar shows at site time `t` (seconds), in bar order.
    pub fn at(&self, t: f64) -> Vec<Quote> {
        let mut latest: BTreeMap<&str, &Quote> = BTreeMap::new();
        for (at, q) in &self.rows {
            if *at > t {
                break;
            }
            latest.insert(&q.symbol, q);
        }
        self.order
            .iter()
            .filter_map(|s| latest.get(s.as_str()).map(|q| (*q).clone()))
            .collect()
    }
}
