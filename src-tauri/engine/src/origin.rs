//! One switch to point every kontan (and fallback) address at a local site.

use crate::error::{Error, Result};
use url::Url;

/// Maps `https://HOST/PATH?QUERY` to `ORIGIN/HOST/PATH?QUERY` when an origin is set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origin(Option<Url>);

impl Origin {
    /// No mapping: talk to the real sites.
    pub fn live() -> Origin {
        Origin(None)
    }

    /// Maps to `origin` (e.g. `http://127.0.0.1:8080`).
    pub fn parse(origin: &str) -> Result<Origin> {
        let url = Url::parse(origin.trim_end_matches('/'))
            .map_err(|e| Error::InvalidUrl(format!("{origin}: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(Error::InvalidUrl(format!(
                "{origin}: origin must be http(s)://HOST[:PORT]"
            )));
        }
        Ok(Origin(Some(url)))
    }

    /// From `PANTAU_KONTAN_ORIGIN`, else an explicit flag value, else live.
    pub fn from_flag_or_env(flag: Option<&str>) -> Result<Origin> {
        match flag.map(str::to_string).or_else(|| {
            std::env::var("PANTAU_KONTAN_ORIGIN")
                .ok()
                .filter(|s| !s.is_empty())
        }) {
            Some(o) => Origin::parse(&o),
            None => Ok(Origin::live()),
        }
    }

    /// True when requests go to the real sites.
    pub fn is_live(&self) -> bool {
        self.0.is_none()
    }

    /// The address a request for `url` is actually sent to.
    pub fn map(&self, url: &Url) -> Url {
        let Some(origin) = &self.0 else {
            return url.clone();
        };
        let mut target = format!(
            "{}/{}{}",
            origin.as_str().trim_end_matches('/'),
            url.host_str().unwrap_or(""),
            url.path()
        );
        if let Some(q) = url.query() {
            target.push('?');
            target.push_str(q);
        }
        Url::parse(&target).unwrap_or_else(|_| url.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_host_path_and_query() {
        let o = Origin::parse("http://127.0.0.1:8080/").unwrap();
        let u = Url::parse("https://investasi.kontan.co.id/rss").unwrap();
        assert_eq!(
            o.map(&u).as_str(),
            "http://127.0.0.1:8080/investasi.kontan.co.id/rss"
        );
        let u = Url::parse("https://www.kontan.co.id/search/indeks?tanggal=29&bulan=04").unwrap();
        assert_eq!(
            o.map(&u).as_str(),
            "http://127.0.0.1:8080/www.kontan.co.id/search/indeks?tanggal=29&bulan=04"
        );
        assert_eq!(Origin::live().map(&u), u);
        assert!(Origin::parse("ftp://x").is_err());
    }
}
