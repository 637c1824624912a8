//! Link clean-up: absolute, https, no tracking parameters, no fragment.

use url::Url;

/// Query parameters that only track where a click came from.
fn is_tracking_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "source" || n.starts_with("utm_") || n == "fbclid" || n == "gclid" || n == "ref"
}

/// Resolves `href` against `base` and cleans it; `None` for non-web links
/// (`javascript:`, `mailto:`, `data:` ...) and for text that is not a URL.
pub fn normalize(href: &str, base: &Url) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let mut url = base.join(href).ok()?;
    match url.scheme() {
        "https" => {}
        "http" => url.set_scheme("https").ok()?,
        _ => return None,
    }
    url.host_str()?;
    url.set_fragment(None);
    retain_query(&mut url, |k| !is_tracking_param(k));
    Some(url)
}

/// Keeps only the query parameters whose name passes `keep`; drops an emptied query.
fn retain_query(url: &mut Url, keep: impl Fn(&str) -> bool) {
    if url.query().is_none() {
        return;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| keep(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
}

/// Same as [`normalize`], as a string.
pub fn normalize_str(href: &str, base: &Url) -> Option<String> {
    normalize(href, base).map(String::from)
}

/// True for kontan's own hosts (`kontan.co.id` and its subdomains).
pub fn is_kontan_host(host: &str) -> bool {
    host == "kontan.co.id" || host.ends_with(".kontan.co.id")
}

/// True when `url` is a kontan article (a `/news/<slug>` page) rather than
/// navigation, a tag, a rubric or a channel front page.
pub fn is_article_url(url: &Url, page: &Url) -> bool {
    let host_ok = url
        .host_str()
        .is_some_and(|h| is_kontan_host(h) || Some(h) == page.host_str());
    if !host_ok {
        return false;
    }
    let segments: Vec<&str> = url.path_segments().map(|s| s.collect()).unwrap_or_default();
    segments
        .iter()
        .position(|s| *s == "news")
        .is_some_and(|i| segments.get(i + 1).is_some_and(|slug| !slug.is_empty()))
}

/// The article's own address: `page` dropped, so every page of a story has one identity.
pub fn without_page(url: &Url) -> Url {
    let mut u = url.clone();
    retain_query(&mut u, |k| k != "page");
    u
}

/// The `page` query value of a URL, if any.
pub fn page_param(url: &Url) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == "page")
        .map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://investasi.kontan.co.id/news/a-b").unwrap()
    }

    #[test]
    fn cleans_links() {
        let b = base();
        assert_eq!(
            normalize_str("/news/x-y?source=terbaru&utm_medium=z#top", &b).unwrap(),
            "https://investasi.kontan.co.id/news/x-y"
        );
        assert_eq!(
            normalize_str("//foto.kontan.co.id/a.jpg", &b).unwrap(),
            "https://foto.kontan.co.id/a.jpg"
        );
        assert_eq!(
            normalize_str("http://keuangan.kontan.co.id/news/r?page=2&source=x", &b).unwrap(),
            "https://keuangan.kontan.co.id/news/r?page=2"
        );
        assert!(normalize("javascript:alert(1)", &b).is_none());
        assert!(normalize("mailto:a@b.c", &b).is_none());
    }

    #[test]
    fn article_links_only() {
        let b = base();
        let yes = |s: &str| is_article_url(&normalize(s, &b).unwrap(), &b);
        assert!(yes("https://www.kontan.co.id/news/abc-def"));
        assert!(yes("/news/abc"));
        assert!(!yes("https://www.kontan.co.id/tag/ihsg"));
        assert!(!yes("https://investasi.kontan.co.id/rubrik/0/Saham"));
        assert!(!yes("https://investasi.kontan.co.id/"));
        assert!(!yes("https://www.kontan.co.id/news/"));
        assert!(!yes("https://example.com/news/abc"));
    }
}
