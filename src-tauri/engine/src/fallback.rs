//! The fallback source for USD/IDR and the IDX composite: Yahoo's chart API, used only when
//! kontan's bar has failed several times in a row.

use crate::error::{Error, Result};
use crate::model::Indicator;
use url::Url;

/// Who the stand-in quotes come from, as the About section names them.
pub const SOURCE_NAME: &str = "Yahoo Finance (query1.finance.yahoo.com)";

/// Yahoo symbols and the bar labels they stand in for.
pub const FALLBACK_SYMBOLS: &[(&str, &str)] = &[("IDR=X", "USD/IDR"), ("^JKSE", "IDX")];

/// The chart URL for a Yahoo symbol.
pub fn chart_url(yahoo_symbol: &str) -> Url {
    let mut u =
        Url::parse("https://query1.finance.yahoo.com/v8/finance/chart/").expect("static url");
    u.path_segments_mut()
        .expect("http url")
        .pop_if_empty()
        .push(yahoo_symbol);
    u.query_pairs_mut()
        .append_pair("interval", "1d")
        .append_pair("range", "1d");
    u
}

/// Reads `chart.result[0].meta.regularMarketPrice` and `chartPreviousClose` into a reading.
pub fn parse_chart(json: &str, symbol: &str) -> Result<Indicator> {
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Error::InvalidFeed(format!("chart: {e}")))?;
    let meta = v
        .pointer("/chart/result/0/meta")
        .ok_or_else(|| Error::InvalidFeed("chart: no chart.result[0].meta".into()))?;
    let price = meta.get("regularMarketPrice").and_then(|p| p.as_f64());
    let prev = meta
        .get("chartPreviousClose")
        .or_else(|| meta.get("previousClose"))
        .and_then(|p| p.as_f64());
    let (Some(price), Some(prev)) = (price, prev) else {
        return Err(Error::InvalidFeed(
            "chart: price or previous close missing".into(),
        ));
    };
    if !(price.is_finite() && prev.is_finite() && price > 0.0 && prev > 0.0) {
        return Err(Error::InvalidFeed(format!(
            "chart: implausible price {price} / previous close {prev}"
        )));
    }
    let round2 = |x: f64| (x * 100.0).round() / 100.0;
    Ok(Indicator {
        symbol: symbol.to_string(),
        value: round2(price),
        change: round2(price - prev),
        change_pct: round2((price - prev) / prev * 100.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_chart_meta() {
        let json = r#"{"chart":{"result":[{"meta":{"regularMarketPrice":16689.0,"chartPreviousClose":16610.0}}],"error":null}}"#;
        let r = parse_chart(json, "USD/IDR").unwrap();
        assert_eq!((r.value, r.change, r.change_pct), (16689.0, 79.0, 0.48));
        assert!(parse_chart(
            r#"{"chart":{"result":[],"error":{"code":"Not Found"}}}"#,
            "IDX"
        )
        .is_err());
        assert!(parse_chart("garbage", "IDX").is_err());
    }

    #[test]
    fn urls() {
        assert_eq!(
            chart_url("^JKSE").as_str(),
            "https://query1.finance.yahoo.com/v8/finance/chart/^JKSE?interval=1d&range=1d"
        );
    }
}
