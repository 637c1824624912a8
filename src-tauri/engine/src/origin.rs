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
        let plain = url.username().is_empty()
            && url.password().is_none()
            && url.query().is_none()
            && url.fragment().is_none()
            && url.path() == "/";
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() || !plain {
            return Err(Error::InvalidUrl(format!(
                "{origin}: origin must be http(s)://HOST[:PORT], with no path, query, fragment or user"
            )));
        }
        tracing::warn!("every kontan request goes to {url} instead of the real site");
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

    /// The origin requests go to, when one is set.
    pub fn url(&self) -> Option<&Url> {
        self.0.as_ref()
    }

    /// The kontan address behind an address requests actually went to: the inverse of
    /// [`Origin::map`]. `None` when `target` is not under the origin.
    pub fn unmap(&self, target: &Url) -> Option<Url> {
        let Some(origin) = &self.0 else {
            return Some(target.clone());
        };
        if target.scheme() != origin.scheme()
            || target.host_str() != origin.host_str()
            || target.port_or_known_default() != origin.port_or_known_default()
        {
            return None;
        }
        let rest = target.path().strip_prefix('/')?;
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let mut url = Url::parse(&format!("https://{host}/{path}")).ok()?;
        url.set_query(target.query());
        Some(url)
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
        let back = o.unmap(&o.map(&u)).unwrap();
        assert_eq!(back, u, "unmap undoes map");
        assert!(o
            .unmap(&Url::parse("http://127.0.0.1:9999/www.kontan.co.id/").unwrap())
            .is_none());
    }

    #[test]
    fn origins_with_more_than_scheme_host_port_are_refused() {
        for bad in [
            "http://127.0.0.1:8080/?x=1",
            "http://127.0.0.1:8080/#top",
            "http://user:pass@127.0.0.1:8080",
            "http://127.0.0.1:8080/sub",
        ] {
            let e = Origin::parse(bad).unwrap_err();
            assert!(e.to_string().contains("origin must be"), "{bad}: {e}");
        }
        assert!(Origin::parse("http://127.0.0.1:8080/").is_ok());
    }
}
